import Foundation
import GRDB
@testable import Ledger
import LedgerTesting
import SkillsDomain
import Testing

/// The grant facts kept beside the chain (`grant_facts`): written with every grant, read by the rules instead of the
/// grants' whole data, checked by `verify` against the chain, written again by `rebuild`.
@Suite("grant facts beside the chain")
struct GrantFactsTests {
    /// A grant, a clawback of it, a settlement adjustment, a grant to an employer, a reversal, and other events.
    static func ledger() throws -> TemporaryLedger {
        let ledger = try TemporaryLedger()
        let wang = FieldValue.person(.citizen(Story.wang))
        try ledger.add(Story.all + [
            Event(id: "grant:ent-1", kind: .subsidyGranted, occurredOn: Build.date("2026-03-31"), source: "420300", data: EventData([
                ("entitlement", .text("ent-1")), ("rule", .text("skill-upgrade")), ("policy", .text("national-skill-upgrade")),
                ("version", .text("2019.1")), ("period", .month(Build.month("2026-03"))), ("payee", wang),
                ("amount", .money(Build.money("1500.00"))), ("evidence", .list(["c-1", "t-1"])), ("jurisdiction", .text("420300")),
                ("explanation", .text("技能提升补贴 \"中级\" upgrade_amount[intermediate] = 1500.00 元")),
            ])).submission(),
            Event(id: "clawback:grant:ent-1", kind: .subsidyGranted, occurredOn: Build.date("2026-04-30"), source: "420300", data: EventData([
                ("entitlement", .text("ent-1")), ("rule", .text("skill-upgrade")), ("policy", .text("national-skill-upgrade")),
                ("period", .month(Build.month("2026-04"))), ("payee", wang), ("amount", .money(Build.money("-1500.00"))),
                ("clawback_of", .text("grant:ent-1")), ("evidence", .list(["rev-c-1"])), ("jurisdiction", .text("420300")),
                ("explanation", .text("追回 clawback")),
            ])).submission(),
            Build.subsidyGranted("g-employer", payee: .text(Build.employer.value), amount: "500", evidence: ["e-1"]).submission(),
        ])
        try ledger.add([Build.eventReversed("rev-g-employer", target: "g-employer").submission()])
        return ledger
    }

    static func kept(_ store: LedgerStore) throws -> [RulesInputRow] {
        var rows: [RulesInputRow] = []
        try store.forEachRulesInput { if $0.kind == .subsidyGranted { rows.append($0) } }
        return rows
    }

    static func derivedFromChain(_ store: LedgerStore) throws -> [RulesInputRow] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, id, data FROM events WHERE kind = 'subsidy.granted' ORDER BY seq").map { row in
                try #require(GrantFacts.derive(seq: row[0], id: row[1], data: row[2]))
            }
        }
    }

    @Test("every grant appended has its row, with the members exactly as its data holds them")
    func writtenWithTheGrant() throws {
        let ledger = try Self.ledger()
        let kept = try Self.kept(ledger.store)
        #expect(kept.map(\.id) == ["grant:ent-1", "clawback:grant:ent-1", "g-employer"])
        #expect(kept == (try Self.derivedFromChain(ledger.store)))
        #expect(kept[0].target == "ent-1" && kept[0].amount == "1500.00" && kept[0].period == "2026-03" && kept[0].version == "2019.1"
                && kept[0].firstEvidence == "c-1" && kept[0].jurisdiction == "420300")
        #expect(kept[1].amount == "-1500.00" && kept[1].clawbackOf == "grant:ent-1" && kept[1].firstEvidence == "rev-c-1")
        #expect(try ledger.store.verify().digest == ledger.store.digest())
    }

    /// A row lent as bytes, made text again.
    static func text(_ grant: GrantFactBytes) -> String {
        "\(grant.seq) " + GrantFactBytes.Member.allCases.map { grant.text($0).map { "\"\($0)\"" } ?? "nil" }.joined(separator: " ")
    }

    /// The rows lent as bytes, made text again.
    static func lent(_ store: LedgerStore) throws -> [String] {
        var rows: [String] = []
        try store.forEachRulesInput({ #expect($0.kind != .subsidyGranted) }, grants: { grant in
            rows.append(Self.text(grant))
        })
        return rows
    }

    static func text(_ row: RulesInputRow) -> String {
        "\(row.seq) " + ([row.id] + GrantFacts.values(row).members).map { $0.map { "\"\($0)\"" } ?? "nil" }.joined(separator: " ")
    }

    @Test("the rules read the rows as SQLite's bytes: every member as the text rows give it, none where there is none, empty text kept")
    func lentAsBytes() throws {
        let ledger = try Self.ledger()
        let kept = try Self.kept(ledger.store)
        #expect(try Self.lent(ledger.store) == kept.map(Self.text))
        // A member that is empty text is not a member that is missing.
        try ledger.store.writer.write { db in
            try db.execute(sql: "UPDATE grant_facts SET version = '', adjusts = NULL WHERE id = 'grant:ent-1'")
        }
        let lent = try Self.lent(ledger.store)
        #expect(lent.first?.contains("\"ent-1\" \"1500.00\" \"2026-03\" \"420300\" \"\" nil nil \"c-1\"") == true)
        #expect(lent == (try Self.kept(ledger.store)).map(Self.text))
        // The text a backend lends when it reads no bytes in place (PostgreSQL) is the same.
        var defaultLent: [String] = []
        for row in try Self.kept(ledger.store) {
            GrantFactBytes.lending(seq: row.seq, [row.id] + GrantFacts.values(row).members) { grant in
                defaultLent.append(Self.text(grant))
            }
        }
        #expect(defaultLent == lent)
    }

    /// Collects the rows of two runs read at once: one thread at a time writes `rows` (the later run's thread, then the
    /// caller after it is done).
    final class LaterRows: @unchecked Sendable {
        var rows: [String] = []
    }

    @Test("with many grants the later half is read at once on a second reader: both halves are every row once, in order, as one read gives them")
    func twoRuns() throws {
        let ledger = try Self.ledger()
        // More grants after the first three, and a reversal between them, so that the halves fall within the grants.
        try ledger.add((1...7).map { Build.subsidyGranted("g-\($0)", payee: .text(Build.employer.value), amount: "\($0)00", evidence: ["e-\($0)"]).submission() })
        try ledger.add([Build.eventReversed("rev-g-3", target: "g-3").submission()])
        let whole = try Self.lent(ledger.store)
        #expect(whole.count == 10)
        for threshold in [2, 10, 11, .max] {
            var first: [String] = [], others: [String] = []
            let later = LaterRows()
            try ledger.store.forEachRulesInput({ others.append($0.id) }, grants: { first.append(Self.text($0)) },
                                               later: { [later] in later.rows.append(Self.text($0)) }, twoThreadsFrom: threshold)
            #expect(first + later.rows == whole, "threshold \(threshold)")
            #expect(first.count == (threshold <= 10 ? 5 : 10), "the first half, or all on one thread: threshold \(threshold)")
            #expect(others == ["rev-g-employer", "rev-g-3"])
        }
        // A view as of a day reads its own grants only, in two runs as well.
        let view = try ledger.store.view(asOf: LocalDate.today())
        let later = LaterRows()
        var first: [String] = []
        try view.forEachRulesInput({ _ in }, grants: { first.append("\($0.seq)") }, later: { [later] in later.rows.append("\($0.seq)") }, twoThreadsFrom: 2)
        #expect(first + later.rows == whole.map { String($0.prefix { $0 != " " }) })
    }

    @Test("a ledger made before the table gains it, filled from the chain, the first time it is opened")
    func olderLedgerGainsTheTable() throws {
        let ledger = try Self.ledger()
        let expected = try Self.kept(ledger.store)
        let queue = try DatabaseQueue(path: ledger.ledgerPath)
        try queue.write { db in
            try db.execute(sql: "DROP TABLE grant_facts")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = '005_grant_facts.sql'")
        }
        try queue.close()
        let reopened = try LedgerStore.open(path: ledger.ledgerPath)
        #expect(try Self.kept(reopened) == expected)
        #expect(try reopened.verify().digest == reopened.digest())
    }

    @Test("verify names the grant whose row is changed, missing or extra; rebuild writes them again and touches nothing else")
    func verifyAndRebuild() throws {
        let ledger = try Self.ledger()
        let digest = try ledger.store.digest()
        let clawbackSeq = try #require(try Self.kept(ledger.store).first { $0.clawbackOf != nil }?.seq)
        let damages: [(String, String)] = [
            ("UPDATE grant_facts SET amount = '1500.00' WHERE seq = \(clawbackSeq)", "its grant facts say amount \"1500.00\" where the event says \"-1500.00\""),
            ("UPDATE grant_facts SET first_evidence = NULL WHERE seq = \(clawbackSeq)", "its grant facts say first_evidence nothing where the event says \"rev-c-1\""),
            ("DELETE FROM grant_facts WHERE seq = \(clawbackSeq)", "the grant has no row in grant_facts"),
            ("INSERT INTO grant_facts (seq, id, amount) VALUES (1, 'w-1', '9.00')", "grant_facts has a row (for w-1) where the chain has no grant"),
        ]
        for (damage, message) in damages {
            try ledger.store.writer.write { db in try db.execute(sql: damage) }
            let failure = try #require(throws: LedgerError.self) { try ledger.store.verify() }
            guard case .integrity(let integrity) = failure else { Issue.record("\(damage): \(failure)"); continue }
            #expect(integrity.reason.contains(message), "\(damage): \(integrity)")
            #expect(integrity.reason.contains("skills-ledger rebuild"))
            #expect(integrity.seq == (damage.hasPrefix("INSERT") ? 1 : clawbackSeq))
            #expect(try ledger.store.rebuildProjections() == RebuildReport(grantFacts: 3, repaired: 1))
            #expect(try ledger.store.verify().digest == digest)
        }
        #expect(try ledger.store.rebuildProjections() == RebuildReport(grantFacts: 3, repaired: 0))
        #expect(try ledger.store.digest() == digest)
    }

    @Test("a view as of a day reads the rows of its grants only, and cannot rebuild")
    func viewAsOfADay() throws {
        let ledger = try TemporaryLedger()
        try ledger.store.append(Story.all + [Build.subsidyGranted("g-1", payee: .person(.citizen(Story.wang))).submission()],
                                operatorName: "tester", recordedAt: "2026-03-02T10:00:00Z")
        try ledger.store.append([Build.subsidyGranted("g-2", payee: .person(.citizen(Story.li))).submission()],
                                operatorName: "tester", recordedAt: "2026-03-03T10:00:00Z")
        let view = try ledger.store.view(asOf: LocalDate.parse("2026-03-02")!)
        #expect(try Self.kept(view).map(\.id) == ["g-1"])
        #expect(try view.verify().digest == view.digest())
        #expect(throws: LedgerError.self) { try view.rebuildProjections() }
        #expect(try Self.kept(ledger.store).map(\.id) == ["g-1", "g-2"])
    }
}
