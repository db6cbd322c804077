import Foundation
import Ledger
import LedgerTesting
@testable import Rules
import SkillsDomain
import Testing

/// A grant reads its workers on a thread of its own (`EntitlementEngine.forEachOutcome` over a snapshot, chunks
/// handed over through a `BoundedQueue`) while the batch's thread records the grants, and `entitlements` reads a
/// month's candidates on several threads at once, each with a reader of its own (`ConcurrentReading`): the outcomes
/// must still come one per worker in the order the ledger reads them, a grant refused midway must stop the reading and
/// return, and a failed read must reach the grant after what was read before it.
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

    @Test("a chunk's engine thread frees its outcomes and ends once they are handed back, or once its run is dropped unread")
    func chunkThreadsEnd() async throws {
        let fixture = try await Self.fixture()
        let context = try await RulesContext.load(fixture.store)
        var workers: [(String, [StoredEvent])] = []
        try fixture.store.forEachWorker { worker, events in if workers.count < 8 { workers.append((worker, events)) } }
        var runs = (0..<6).map { _ in EntitlementEngine.ChunkRun(workers, context: context, window: nil, explaining: .all) }
        let ended = runs.map(\.threadEnded)
        for run in runs.prefix(3) {
            var outcomes = run.outcomes()
            #expect(outcomes.map(\.worker) == workers.map(\.0))
            #expect(outcomes.allSatisfy { $0.entitlements.count == 1 })
            #expect(run.outcomes().count == 8, "asked again before it is handed back, the same outcomes")
            run.handBack(&outcomes)
            #expect(outcomes.isEmpty, "the caller's copy is dropped first, so the chunk's thread holds the last reference")
        }
        // A computed run that is neither taken nor handed back keeps its thread waiting while it is held.
        #expect(ended[4].wait(timeout: .now() + .milliseconds(200)) == .timedOut)
        runs = []
        for (index, semaphore) in ended.enumerated() {
            #expect(semaphore.wait(timeout: .now() + .seconds(10)) == .success, "run \(index)")
        }
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

    /// A reader that fails after `failAfter` workers of all it is asked for.
    final class FailingReader: LedgerSnapshot, @unchecked Sendable {
        let store: LedgerStore
        let failAfter: Int
        var read = 0

        init(store: LedgerStore, failAfter: Int) {
            self.store = store
            self.failAfter = failAfter
        }

        func event(id: String) throws -> StoredEvent? { try store.event(id: id) }
        func changes(after seq: Int64) throws -> LedgerChanges { try store.changes(after: seq) }
        func forEachWorker(_ body: (String, [StoredEvent]) throws -> Void) throws { try forEachWorker(in: [], body) }
        func forEachWorker(in candidates: Set<String>, _ body: (String, [StoredEvent]) throws -> Void) throws {
            try store.forEachWorker(in: candidates) { worker, events in
                if read == failAfter { throw ReadFailed() }
                read += 1
                try body(worker, events)
            }
        }
    }

    @Test("a month's candidates read on several threads come once each, in pseudonym order, as one reader gives them",
          arguments: [1, 2, 3])
    func candidatesReadConcurrently(threads: Int) async throws {
        let fixture = try await Self.fixture()
        let context = try await RulesContext.load(fixture.store)
        var everyone: [String] = []
        try fixture.store.forEachWorker { worker, _ in everyone.append(worker) }
        // Every third worker: five chunks' worth would need more workers, so the chunks are those of the candidates.
        let candidates = Set(everyone.enumerated().filter { $0.offset % 3 != 1 }.map(\.element))
        var oneReader: [String] = []
        try fixture.store.forEachWorker(in: candidates) { worker, _ in oneReader.append(worker) }
        let readers = try fixture.store.concurrentReaders(threads)
        #expect(readers.count == threads)
        var seen: [String] = []
        var entitled = 0
        try EntitlementEngine.ConcurrentReading(readers: readers, candidates: candidates).forEachOutcome(context: context, window: nil,
                                                                                                      explaining: .all, progress: nil) { outcome in
            seen.append(outcome.worker)
            entitled += outcome.entitlements.count
            #expect(outcome.events.count == 2, "each worker's registration and certificate, read by the reader that computed it")
        }
        #expect(oneReader.count == candidates.count && oneReader.count > EntitlementEngine.OutcomePipeline.chunkSize)
        #expect(seen == oneReader)
        #expect(entitled == candidates.count, "one certificate subsidy each")
    }

    @Test("the entitlements of a month are the same whether its candidates are read on one thread or several")
    func entitlementsTheSameWithConcurrentReaders() async throws {
        let fixture = try await Self.fixture()
        let context = try await RulesContext.load(fixture.store)
        let candidates = try await EntitlementEngine.candidates(fixture.store, context: context, jurisdiction: JurisdictionCode("national"),
                                                                month: Month(parsing: "2026-02"))
        func line(_ entitlement: Entitlement) -> String { "\(entitlement.id) \(entitlement.amount?.yuanString ?? "-") \(entitlement.explanationZH)" }
        var single: [String] = []
        try EntitlementEngine.forEachOutcome(fixture.store as any LedgerSnapshot, context: context, only: candidates, window: nil, explaining: .all,
                                             progress: nil) { outcome in single += outcome.entitlements.map(line) }
        #expect(single.count == Self.workers)
        var concurrent: [String] = []
        try EntitlementEngine.ConcurrentReading(readers: try fixture.store.concurrentReaders(2), candidates: candidates)
            .forEachOutcome(context: context, window: nil, explaining: .all, progress: nil) { outcome in concurrent += outcome.entitlements.map(line) }
        #expect(concurrent == single)
        // `entitlements` itself reads through the store's concurrent readers.
        let listed = try await fixture.entitlements("national", "2026-02").map(line)
        #expect(listed.count == single.count && Set(listed) == Set(single))
    }

    @Test("concurrent readers end where the ledger ended when they were made: a later batch is not read")
    func concurrentReadersAreBounded() async throws {
        let fixture = try await Self.fixture()
        let readers = try fixture.store.concurrentReaders(2)
        let late = worker(Self.workers + 1)
        try fixture.add(Build.workerRegistered("reg-late", worker: late), Build.certificationAwarded("cert-1b", worker: worker(1), on: "2026-02-11"))
        let pseudonyms = [fixture.store.pseudonym(for: late), fixture.store.pseudonym(for: worker(1))]
        for reader in readers {
            var read: [String: Int] = [:]
            try reader.forEachWorker(in: Set(pseudonyms)) { worker, events in read[worker] = events.count }
            #expect(read == [pseudonyms[1]: 2], "the first worker's two events as they were, and no late worker")
        }
        var now: [String: Int] = [:]
        try fixture.store.concurrentReaders(1)[0].forEachWorker(in: Set(pseudonyms)) { worker, events in now[worker] = events.count }
        #expect(now == [pseudonyms[0]: 1, pseudonyms[1]: 3], "readers made after the batch read it")
    }

    @Test("with concurrent readers, a stopped batch stops every reading thread, and a failed read reaches the caller")
    func concurrentReadersStopAndFail() async throws {
        let fixture = try await Self.fixture()
        let context = try await RulesContext.load(fixture.store)
        var everyone: [String] = []
        try fixture.store.forEachWorker { worker, _ in everyone.append(worker) }
        let candidates = Set(everyone)
        var seen = 0
        #expect(throws: Refused.self) {
            try EntitlementEngine.ConcurrentReading(readers: try fixture.store.concurrentReaders(2), candidates: candidates)
                .forEachOutcome(context: context, window: nil, explaining: .all, progress: nil) { _ in
                    if seen == 300 { throw Refused() }
                    seen += 1
                }
        }
        #expect(seen == 300)
        try fixture.add(Build.workerRegistered("reg-late", worker: worker(Self.workers + 1)))
        // The second thread reads chunks 1, 3, …: it fails within its first chunk, after the first thread's chunk 0.
        let chunk = EntitlementEngine.OutcomePipeline.chunkSize
        let readers: [any LedgerSnapshot & Sendable] = [try fixture.store.concurrentReaders(1)[0], FailingReader(store: fixture.store, failAfter: 10)]
        seen = 0
        #expect(throws: ReadFailed.self) {
            try EntitlementEngine.ConcurrentReading(readers: readers, candidates: candidates)
                .forEachOutcome(context: context, window: nil, explaining: .all, progress: nil) { _ in seen += 1 }
        }
        #expect(seen == chunk, "chunk 0 came whole; chunk 1 failed")
    }
}
