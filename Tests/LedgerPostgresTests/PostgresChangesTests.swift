import Foundation
@testable import Ledger
import LedgerPostgres
import LedgerTesting
import SkillsDomain
import Testing

/// `changes(after:)`, what an incremental grant reads to know whose outcome can have changed since its last run: the
/// same on PostgreSQL as on SQLite from every place of the chain, and what SQLite says is what the grant needs.
@Suite("changes since a place of the chain", .enabled(if: TestServer.url != nil, "\(TestServer.skipped)"), .serialized)
struct PostgresChangesTests {
    static let at = "2026-03-31T08:00:00Z"
    static let employer = Build.creditCode(9, region: "420300")

    /// Workers, their evidence, a grant to a worker and one to an employer, and reversals of each kind of target.
    static let batches: [[Submission]] = [
        Batches.first,
        [Build.subsidyGranted("grant:ent-a", payee: .person(.citizen(Batches.worker(1))), amount: "1000", period: "2026-05", evidence: ["c-1", "t-1"], on: "2026-05-31").submission(),
         Build.subsidyGranted("grant:ent-b", payee: .text(employer.value), amount: "1000", period: "2026-05", evidence: ["t-2"], on: "2026-05-31").submission(),
         Build.fundBudgeted("f-1").submission()],
        [Build.eventReversed("r-c3", target: "c-3").submission()],
        [Build.eventReversed("r-grant-a", target: "grant:ent-a").submission()],
        [Build.eventReversed("r-grant-b", target: "grant:ent-b").submission()],
        [Build.workerChanged("wc-4", worker: Batches.worker(4), [("frontline", .bool(false))]).submission()],
        [Build.policyAdopted("adopt-1").submission()],
    ]

    @Test("the kinds and workers recorded after each place are the same on PostgreSQL as on SQLite")
    func sameAsSQLite() async throws {
        let sqlite = try TemporaryLedger()
        try await TestServer.withLedger(adoptingKey: sqlite.store.pseudonymKey) { postgres, _ in
            for batch in Self.batches {
                _ = try sqlite.store.append(batch, operatorName: "clerk-1", recordedAt: Self.at)
                _ = try await postgres.append(batch, operatorName: "clerk-1", recordedAt: Self.at)
            }
            let last = try sqlite.store.digest().count
            for seq in 0...last {
                #expect(try await postgres.changes(after: seq) == sqlite.store.changes(after: seq), "after \(seq)")
            }
        }
    }
}

/// What SQLite says `changes(after:)` is, checked without a server.
@Suite("changes since a place of the chain, on SQLite")
struct LedgerChangesTests {
    @Test("a reversal counts for the worker of what it cancels: the worker's event, a grant's payee, an employer grant's evidence")
    func reversalsNameTheirWorkers() throws {
        let ledger = try TemporaryLedger()
        var places: [Int64] = []
        for batch in PostgresChangesTests.batches {
            _ = try ledger.store.append(batch, operatorName: "clerk-1", recordedAt: PostgresChangesTests.at)
            places.append(try ledger.store.digest().count)
        }
        let store = ledger.store
        func changes(afterBatch index: Int) throws -> LedgerChanges { try store.changes(after: places[index]) }
        func pseudonym(_ seed: Int) -> String { store.pseudonym(for: Batches.worker(seed)) }
        // After the grants: c-3's worker (reversal), worker 1 (grant to the worker reversed), worker 2 (the employer
        // grant's first evidence), worker 4 (own event); the reversed kinds count as changes of their kind.
        let afterGrants = try changes(afterBatch: 1)
        #expect(afterGrants.workers == Set([3, 1, 2, 4].map(pseudonym)))
        #expect(afterGrants.kinds == [.eventReversed, .certificationAwarded, .subsidyGranted, .workerChanged, .policyAdopted])
        // The latest place of each kind (a run's context is stale when one it loaded from comes after its load).
        #expect(afterGrants.latest[.workerChanged] == places[5] && afterGrants.latest[.policyAdopted] == places[6])
        #expect(afterGrants.latest[.eventReversed] == places[4] && afterGrants.latest[.subsidyGranted] == places[4])
        #expect(try changes(afterBatch: 3).workers == Set([2, 4].map(pseudonym)))
        #expect(try changes(afterBatch: 4).workers == [pseudonym(4)])
        // An adoption names nobody; nothing after the last place.
        #expect(try changes(afterBatch: 5).workers.isEmpty && changes(afterBatch: 5).kinds == [.policyAdopted])
        #expect(try changes(afterBatch: 6) == LedgerChanges(after: places[6]))
    }

    @Test("a tail read in two halves at once says what one scan says, from every place, and as of a day")
    func twoHalves() throws {
        let ledger = try TemporaryLedger()
        for batch in PostgresChangesTests.batches {
            _ = try ledger.store.append(batch, operatorName: "clerk-1", recordedAt: PostgresChangesTests.at)
        }
        let last = try ledger.store.digest().count
        // Recorded a day later: a view as of the day before ends where these begin.
        _ = try ledger.store.append([Build.workerChanged("wc-5", worker: Batches.worker(5), [("frontline", .bool(true))]).submission(),
                                     Build.eventReversed("r-t1", target: "t-1").submission()],
                                    operatorName: "clerk-1", recordedAt: "2026-04-01T08:00:00Z")
        let all = try ledger.store.digest().count
        for seq in 0...all {
            let one = try ledger.store.changes(after: seq, twoThreadsFrom: .max)
            #expect(try ledger.store.changes(after: seq, twoThreadsFrom: 2) == one, "after \(seq)")
        }
        #expect(try ledger.store.changes(after: 0, twoThreadsFrom: 2).latest[.workerChanged] == all - 1)
        #expect(try ledger.store.changes(after: last, twoThreadsFrom: 2).kinds == [.workerChanged, .eventReversed, .trainingCompleted])
        let march = try ledger.store.view(asOf: LocalDate.parse("2026-03-31")!)
        for seq in 0...last {
            let one = try march.changes(after: seq, twoThreadsFrom: .max)
            #expect(try march.changes(after: seq, twoThreadsFrom: 2) == one, "as of 2026-03-31, after \(seq)")
            #expect(one.latest.values.allSatisfy { $0 <= last }, "as of 2026-03-31, after \(seq): nothing recorded on 1 April")
        }
    }
}
