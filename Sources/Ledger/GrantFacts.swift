import SkillsDomain

/// The grant facts kept beside the chain (`grant_facts`, Schema/005_grant_facts.sql and its PostgreSQL twin): for
/// every `subsidy.granted` event, the members the rules read (`RulesInputRow.grantMembers`), as text exactly as the
/// event's data holds them. Both backends derive a row with this one function, when the grant is appended, when the
/// table is filled or rebuilt, and when `verify` checks it against the chain.
package enum GrantFacts {
    /// The table's columns in order.
    package static let columns = "seq, id, entitlement, amount, period, jurisdiction, version, adjusts, clawback_of, first_evidence"

    /// The facts of one grant, from its stored data; nil when the data is not one JSON object.
    package static func derive(seq: Int64, id: String, data: String) -> RulesInputRow? {
        RulesInputRow(storedSeq: seq, id: id, kind: .subsidyGranted, data: data)
    }

    /// The row's values in the order of `columns`.
    package static func values(_ facts: RulesInputRow) -> (seq: Int64, id: String, members: [String?]) {
        (facts.seq, facts.id, [facts.target, facts.amount, facts.period, facts.jurisdiction, facts.version, facts.adjusts,
                               facts.clawbackOf, facts.firstEvidence])
    }

    /// A row read back (`seq`, `id` and the members in the order of `columns`) as the rules read it.
    package static func row(seq: Int64, id: String, members: [String?]) -> RulesInputRow {
        var row = RulesInputRow(id: id, kind: .subsidyGranted)
        row.seq = seq
        row.target = members[0]
        row.amount = members[1]
        row.period = members[2]
        row.jurisdiction = members[3]
        row.version = members[4]
        row.adjusts = members[5]
        row.clawbackOf = members[6]
        row.firstEvidence = members[7]
        return row
    }

    /// What `verify` says when the kept row differs from what the chain gives, naming the first member that differs.
    package static func difference(kept: RulesInputRow, chain: RulesInputRow) -> String? {
        let names = ["entitlement", "amount", "period", "jurisdiction", "version", "adjusts", "clawback_of", "first_evidence"]
        let (keptValues, chainValues) = (values(kept), values(chain))
        if keptValues.id != chainValues.id { return "its grant facts name event \(keptValues.id)" }
        for (index, name) in names.enumerated() where keptValues.members[index] != chainValues.members[index] {
            return "its grant facts say \(name) \(quoted(keptValues.members[index])) where the event says \(quoted(chainValues.members[index]))"
        }
        return nil
    }

    static func quoted(_ text: String?) -> String { text.map { "\"\($0)\"" } ?? "nothing" }

    /// The end of every failure `verify` reports about the grant facts.
    package static let remedy = "the grant facts kept beside the chain were changed or damaged (the grant itself matches its hash); "
        + "`skills-ledger rebuild` writes them again from the chain, then run `verify` again"
}

/// Checks the grant facts against the chain as `verify` reads it: every grant event, in recording order, is handed to
/// `grant`, the kept rows come from `next` in the order of `seq`; a row missing, different or without its event is
/// an integrity failure naming the grant's place in the chain.
package struct GrantFactsCheck {
    let next: () throws -> RulesInputRow?
    var pending: RulesInputRow?
    var started = false

    package init(next: @escaping () throws -> RulesInputRow?) { self.next = next }

    mutating func peek() throws -> RulesInputRow? {
        if !started { pending = try next(); started = true }
        return pending
    }

    /// One grant event of the verified chain.
    package mutating func grant(seq: Int64, id: String, data: String) throws {
        guard let chain = GrantFacts.derive(seq: seq, id: id, data: data) else {
            throw failure(seq, id, "the stored data is not a JSON object")
        }
        try extra(before: seq)
        guard let kept = try peek(), kept.seq == seq else {
            throw failure(seq, id, "the grant has no row in grant_facts: " + GrantFacts.remedy)
        }
        if let difference = GrantFacts.difference(kept: kept, chain: chain) { throw failure(seq, id, difference + ": " + GrantFacts.remedy) }
        pending = try next()
    }

    /// After the last event: no row may be left.
    package mutating func finish() throws { try extra(before: .max) }

    mutating func extra(before seq: Int64) throws {
        if let kept = try peek(), kept.seq < seq {
            throw failure(kept.seq, nil, "grant_facts has a row (for \(kept.id)) where the chain has no grant: " + GrantFacts.remedy)
        }
    }

    func failure(_ seq: Int64, _ id: String?, _ reason: String) -> LedgerError {
        .integrity(IntegrityFailure(seq: seq, eventID: id, reason: reason))
    }
}

/// What `rebuild` did.
public struct RebuildReport: Sendable, Equatable {
    /// How many grant facts were written from the chain.
    public var grantFacts: Int
    /// How many of the rows kept before differed from the chain, were missing or had no grant.
    public var repaired: Int

    package init(grantFacts: Int, repaired: Int) {
        self.grantFacts = grantFacts
        self.repaired = repaired
    }
}
