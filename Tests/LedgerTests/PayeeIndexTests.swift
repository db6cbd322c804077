import Foundation
import GRDB
@testable import Ledger
import LedgerTesting
import SkillsDomain
import Testing

/// A person's grants and payments name them only in their data (`payee`): the index `events_by_payee` finds them
/// without reading every grant and payment of the ledger (a person's page at a million workers).
@Suite("grants and payments by payee")
struct PayeeIndexTests {
    /// The steps SQLite plans for a person's events, as `EXPLAIN QUERY PLAN` details them.
    static func plan(_ db: Database) throws -> [String] {
        try Row.fetchAll(db, sql: "EXPLAIN QUERY PLAN " + LedgerStore.personEventsSQL, arguments: ["ps_x", "ps_x"]).map { $0["detail"] }
    }

    static func ledger() throws -> TemporaryLedger {
        let ledger = try TemporaryLedger()
        let wang = FieldValue.person(.citizen(Story.wang))
        try ledger.add(Story.all + [
            Build.subsidyGranted("g-wang", payee: wang, amount: "1500.00", evidence: ["c-1"]).submission(),
            Build.subsidyGranted("g-employer", payee: .text(Build.employer.value), amount: "500", evidence: ["e-1"]).submission(),
        ])
        return ledger
    }

    @Test("a person's grants and payments are found through the index, on the ledger and on a view as of a day; no table is read whole")
    func planned() throws {
        let ledger = try Self.ledger()
        for plan in [try ledger.store.read(Self.plan), try ledger.store.view(asOf: LocalDate.today()).read(Self.plan)] {
            #expect(plan.contains { $0.contains("USING INDEX events_by_payee") }, "\(plan)")
            #expect(plan.contains { $0.contains("USING INDEX events_by_worker") }, "\(plan)")
            #expect(!plan.contains { $0.hasPrefix("SCAN") }, "\(plan)")
        }
        let wang = ledger.store.pseudonym(for: Story.wang)
        #expect(try ledger.store.events(person: wang).map(\.event.id).suffix(1) == ["g-wang"])
    }

    @Test("a ledger made before the index gains it the first time it is opened, and finds the same events")
    func olderLedgerGainsTheIndex() throws {
        let ledger = try Self.ledger()
        let wang = ledger.store.pseudonym(for: Story.wang)
        let expected = try ledger.store.events(person: wang).map(\.event.id)
        let queue = try DatabaseQueue(path: ledger.ledgerPath)
        try queue.write { db in
            try db.execute(sql: "DROP INDEX events_by_payee")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = '007_payee_index.sql'")
            #expect(!(try Self.plan(db)).contains { $0.contains("events_by_payee") }, "without the index every grant and payment is read")
        }
        try queue.close()
        let reopened = try LedgerStore.open(path: ledger.ledgerPath)
        #expect(try reopened.read(Self.plan).contains { $0.contains("USING INDEX events_by_payee") })
        #expect(try reopened.events(person: wang).map(\.event.id) == expected)
        #expect(try reopened.verify().digest == reopened.digest())
    }
}
