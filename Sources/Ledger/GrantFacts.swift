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

extension GrantFacts {
    /// What is wrong at one place of the chain, its grant (id and stored data; nil when the event there is no grant)
    /// beside the row kept for that place (nil when there is none); nil when they agree. `verify` throws it, `rebuild`
    /// counts it: the one judgement of both backends.
    package static func problem(seq: Int64, grant: (id: String, data: String)?, kept: RulesInputRow?) -> IntegrityFailure? {
        guard let grant else {
            return kept.map { IntegrityFailure(seq: seq, eventID: nil, reason: "grant_facts has a row (for \($0.id)) where the chain has no grant: " + remedy) }
        }
        guard let chain = derive(seq: seq, id: grant.id, data: grant.data) else {
            return IntegrityFailure(seq: seq, eventID: grant.id, reason: "the stored data is not a JSON object")
        }
        guard let kept else { return IntegrityFailure(seq: seq, eventID: grant.id, reason: "the grant has no row in grant_facts: " + remedy) }
        return difference(kept: kept, chain: chain).map { IntegrityFailure(seq: seq, eventID: grant.id, reason: $0 + ": " + remedy) }
    }
}

/// The grant facts beside the chain's grants, merged in the order of `seq` (SQLite reads both as cursors): every
/// grant event, in recording order, is handed to `grant`, the kept rows come from `next`; each problem
/// (`GrantFacts.problem`) goes to `report`, which `verify` makes throw and `rebuild` makes count.
package struct GrantFactsCheck {
    let next: () throws -> RulesInputRow?
    let report: (IntegrityFailure) throws -> Void
    var pending: RulesInputRow?
    var started = false

    package init(next: @escaping () throws -> RulesInputRow?, report: @escaping (IntegrityFailure) throws -> Void) {
        self.next = next
        self.report = report
    }

    mutating func peek() throws -> RulesInputRow? {
        if !started { pending = try next(); started = true }
        return pending
    }

    /// One grant event of the chain.
    package mutating func grant(seq: Int64, id: String, data: String) throws {
        try extra(before: seq)
        let kept = try peek().flatMap { $0.seq == seq ? $0 : nil }
        if let problem = GrantFacts.problem(seq: seq, grant: (id, data), kept: kept) { try report(problem) }
        if kept != nil { pending = try next() }
    }

    /// After the last event: no row may be left.
    package mutating func finish() throws { try extra(before: .max) }

    /// Kept rows before `seq` have no grant.
    mutating func extra(before seq: Int64) throws {
        while let kept = try peek(), kept.seq < seq {
            if let problem = GrantFacts.problem(seq: kept.seq, grant: nil, kept: kept) { try report(problem) }
            pending = try next()
        }
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
