import Ledger
import LedgerTesting
@testable import Rules
import SkillsDomain
import Testing

/// A grant reads its workers on a thread of its own (`EntitlementEngine.forEachOutcome` over a snapshot, chunks
/// handed over through a `BoundedQueue`) while the batch's thread records the grants: the outcomes must still come
/// one per worker in the order the ledger reads them, a grant refused midway must stop the reading and return, and a
/// failed read must reach the grant after what was read before it.
@Suite struct OutcomePipelineTests {
    /// More workers than two chunks hold, each with a training course the national pack pays for in 2026-02.
    static let workers = 2 * EntitlementEngine.OutcomePipeline.chunkSize + 89

    static func fixture() async throws -> RulesFixture {
        let fixture = try await RulesFixture(packs: ["national-skill-upgrade"])
        var events: [Event] = []
        for seed in 1...workers {
            events.append(Build.workerRegistered("reg-\(seed)", worker: worker(seed)))
            events.append(Build.certificationAwarded("cert-\(seed)", worker: worker(seed), on: "2026-02-10"))
        }
        try fixture.add(events)
        return fixture
    }

    static func outcomes(_ snapshot: any LedgerSnapshot, context: RulesContext, stopAfter limit: Int? = nil) throws -> [String] {
        var seen: [String] = []
        try EntitlementEngine.forEachOutcome(snapshot, context: context, only: nil, window: nil, explaining: .all, progress: nil) { outcome in
            if let limit, seen.count == limit { throw Refused() }
            seen.append(outcome.worker)
        }
        return seen
    }

    struct Refused: Error {}
    struct ReadFailed: Error {}

    /// A snapshot whose reading fails after `failAfter` workers.
    struct FailingSnapshot: LedgerSnapshot {
        let store: LedgerStore
        let failAfter: Int

        func event(id: String) throws -> StoredEvent? { try store.event(id: id) }
        func changes(after seq: Int64) throws -> LedgerChanges { try store.changes(after: seq) }
        func forEachWorker(in candidates: Set<String>, _ body: (String, [StoredEvent]) throws -> Void) throws {
            try forEachWorker { worker, events in if candidates.contains(worker) { try body(worker, events) } }
        }
        func forEachWorker(_ body: (String, [StoredEvent]) throws -> Void) throws {
            var read = 0
            try store.forEachWorker { worker, events in
                if read == failAfter { throw ReadFailed() }
                read += 1
                try body(worker, events)
            }
        }
    }

    @Test("every worker's outcome comes once, in the order the ledger reads the workers, with its entitlements")
    func everyWorkerOnceInReadingOrder() async throws {
        let fixture = try await Self.fixture()
        let context = try await RulesContext.load(fixture.store)
        var read: [String] = []
        try fixture.store.forEachWorker { worker, _ in read.append(worker) }
        var entitled = 0
        var seen: [String] = []
        try EntitlementEngine.forEachOutcome(fixture.store as any LedgerSnapshot, context: context, only: nil, window: nil, explaining: .all, progress: nil) { outcome in
            seen.append(outcome.worker)
            entitled += outcome.entitlements.count
        }
        #expect(read.count == Self.workers)
        #expect(seen == read)
        #expect(entitled == Self.workers, "one certificate subsidy each")
    }

    @Test("a batch that stops taking outcomes stops the reading, and the ledger can be used again")
    func aStoppedBatchStopsTheReader() async throws {
        let fixture = try await Self.fixture()
        let context = try await RulesContext.load(fixture.store)
        #expect(throws: Refused.self) { try Self.outcomes(fixture.store, context: context, stopAfter: 300) }
        // The reading thread no longer holds the ledger: a batch can be recorded and everyone read again.
        try fixture.add(Build.workerRegistered("reg-late", worker: worker(Self.workers + 1)))
        #expect(try Self.outcomes(fixture.store, context: context).count == Self.workers + 1)
    }

    @Test("a read that fails reaches the batch after the outcomes of the chunks read whole before it")
    func aFailedReadReachesTheBatch() async throws {
        let fixture = try await Self.fixture()
        let context = try await RulesContext.load(fixture.store)
        let chunk = EntitlementEngine.OutcomePipeline.chunkSize
        var seen = 0
        #expect(throws: ReadFailed.self) {
            try EntitlementEngine.forEachOutcome(FailingSnapshot(store: fixture.store, failAfter: chunk + 10), context: context, only: nil,
                                                 window: nil, explaining: .all, progress: nil) { _ in seen += 1 }
        }
        #expect(seen == chunk, "the first chunk was read whole and computed; the second was cut short by the failure")
    }

    @Test("a grant across several chunks grants each worker's entitlement once, in the workers' order")
    func aGrantAcrossChunks() async throws {
        let fixture = try await Self.fixture()
        let due = try await fixture.entitlements("national", "2026-02")
        let result = try await fixture.grant("national", "2026-02")
        #expect(result.granted.count == Self.workers)
        #expect(Set(result.granted) == Set(due.map { "grant:" + $0.id }))
        var grantOrder: [String] = []
        try fixture.store.forEachEvent(kinds: [.subsidyGranted]) { grantOrder.append($0.event.data["payee"]?.plainText ?? "") }
        #expect(grantOrder == grantOrder.sorted(), "grants are recorded in the workers' pseudonym order")
        #expect(try await fixture.grant("national", "2026-02").granted.isEmpty, "a second run grants nothing")
    }
}
