import Foundation
import Ledger
@testable import LedgerPostgres
import LedgerTesting
import PostgresNIO
import SkillsDomain
import Testing

/// The streamed batch (`append(operatorName:recordedAt:cache:_:)`) and the batch that reads a snapshot
/// (`appendReadingSnapshot`): the same producers on SQLite and PostgreSQL must record the same events, refuse the same
/// batches with the same errors, and see the same ledger; then the commands end to end through the CLI binary.
@Suite("PostgreSQL streamed batches, compared with SQLite", .enabled(if: TestServer.url != nil, "\(TestServer.skipped)"), .serialized)
struct PostgresStreamTests {
    static let at = "2026-04-05T09:00:00Z"

    /// 2,700 new people (three chunks on PostgreSQL) with, among them, every event of `Batches.first` again.
    static let crossingChunks: [Submission] = (0..<2700).map { index in
        Build.workerRegistered("w-big-\(index)", worker: person(index)).submission(name: index % 3 == 0 ? "工人\(index)" : nil)
    } + Batches.first

    /// Person `index` (0–2,699) of `crossingChunks`: 900 a district, none of them in `Batches`.
    static func person(_ index: Int) -> CitizenID {
        Build.citizenID(index % 900, address: ["420304", "420322", "420381"][index / 900])
    }

    /// What a producer does when its input fails halfway (a file that cannot be read further).
    struct ProducerFailed: Error, Equatable { let line: Int }

    /// Streams `submissions` into both ledgers; the results (or the errors, described) must be equal.
    func streamBoth(_ sqlite: LedgerStore, _ postgres: PostgresLedgerStore, _ submissions: [Submission],
                    failingAfter limit: Int? = nil) async throws -> Result<AppendResult, any Error> {
        func produce(_ sink: inout AppendSink) throws {
            for (index, submission) in submissions.enumerated() {
                if let limit, index == limit { throw ProducerFailed(line: index + 1) }
                try sink.add(submission)
            }
        }
        let expected = Result { try sqlite.append(operatorName: "clerk-1", recordedAt: Self.at, cache: .standard, produce) }
        let found: Result<AppendResult, any Error>
        do {
            found = .success(try await postgres.append(operatorName: "clerk-1", recordedAt: Self.at, cache: .standard, produce))
        } catch {
            found = .failure(error)
        }
        switch (expected, found) {
        case (.success(let expected), .success(let found)):
            #expect(found == expected)
        case (.failure(let expected), .failure(let found)):
            #expect(String(describing: found) == String(describing: expected))
        default:
            Issue.record("SQLite gave \(expected), PostgreSQL \(found)")
        }
        #expect(try await postgres.digest() == (try sqlite.digest()))
        return found
    }

    @Test("a streamed batch crossing chunks, with ids recorded before, gives SQLite's result, digest and registry")
    func crossingChunksAsSQLite() async throws {
        let sqlite = try TemporaryLedger()
        try await TestServer.withLedger(adoptingKey: sqlite.store.pseudonymKey) { postgres, _ in
            let first = try await streamBoth(sqlite.store, postgres, Batches.first).get()
            #expect(first.recorded == Batches.first.count && first.recordedIDs.isEmpty)
            let big = try await streamBoth(sqlite.store, postgres, Self.crossingChunks).get()
            #expect(big.recorded == 2700 && big.alreadyRecorded == Batches.first.count)
            #expect(try await postgres.verify(progress: nil).digest == (try sqlite.store.digest()))
            for index in [0, 1001, 2699] {
                let pseudonym = postgres.pseudonym(for: Self.person(index))
                #expect(try await postgres.registryEntry(pseudonym: pseudonym) == (try sqlite.store.registryEntry(pseudonym: pseudonym)))
            }
            #expect(try await postgres.registeredPeople() == (try sqlite.store.registeredPeople()))
        }
    }

    @Test("a conflict in the second chunk refuses the whole batch with SQLite's error, and nothing is written")
    func conflictInSecondChunk() async throws {
        let sqlite = try TemporaryLedger()
        try await TestServer.withLedger(adoptingKey: sqlite.store.pseudonymKey) { postgres, _ in
            _ = try await streamBoth(sqlite.store, postgres, Batches.first)
            let before = try await postgres.digest()
            var batch = Array(Self.crossingChunks.prefix(1500))
            batch.insert(Build.fundBudgeted("f-1", year: 2027).submission(origin: "late.jsonl:1201"), at: 1200)
            batch.append(Build.eventReversed("r-2", target: "no-such-event").submission(origin: "late.jsonl:1502"))
            let outcome = try await streamBoth(sqlite.store, postgres, batch)
            #expect(throws: LedgerError.self) { try outcome.get() }
            #expect("\(outcome)".contains("late.jsonl:1201"))
            #expect(try await postgres.digest() == before)
            #expect(try await postgres.event(id: "w-big-0") == nil)
            #expect(try await postgres.registryEntry(pseudonym: postgres.pseudonym(for: Self.person(0))) == nil)
        }
    }

    @Test("a producer that throws after two chunks writes nothing, and its error comes back unchanged")
    func producerThrows() async throws {
        let sqlite = try TemporaryLedger()
        try await TestServer.withLedger(adoptingKey: sqlite.store.pseudonymKey) { postgres, _ in
            _ = try await streamBoth(sqlite.store, postgres, Batches.first)
            let before = try await postgres.digest()
            let outcome = try await streamBoth(sqlite.store, postgres, Self.crossingChunks, failingAfter: 2100)
            #expect(throws: ProducerFailed(line: 2101)) { try outcome.get() }
            #expect(try await postgres.digest() == before)
            #expect(try await postgres.event(id: "w-big-0") == nil)
            #expect(try await postgres.registeredPeople() == (try sqlite.store.registeredPeople()))
            // The ledger takes the next batch as if nothing had happened.
            #expect(try await streamBoth(sqlite.store, postgres, Self.crossingChunks).get().recorded == 2700)
        }
    }

    @Test("a batch reading a snapshot sees the ledger as it was before the batch, as on SQLite")
    func snapshotBeforeTheBatch() async throws {
        let sqlite = try TemporaryLedger()
        try await TestServer.withLedger(adoptingKey: sqlite.store.pseudonymKey) { postgres, _ in
            for batch in [Batches.first, Batches.second] {
                _ = try await streamBoth(sqlite.store, postgres, batch)
            }
            let newcomer = Build.citizenID(1, address: "420323")
            let known = postgres.pseudonym(for: Batches.worker(1))
            let candidates: Set = [known, postgres.pseudonym(for: newcomer), postgres.pseudonym(for: Batches.worker(4))]
            /// Adds two chunks (one more event for a known worker, a new one), then reads everything back.
            func produce(_ sink: inout AppendSink, _ snapshot: any LedgerSnapshot) throws -> [String] {
                try sink.add(Build.trainingCompleted("t-late", worker: Batches.worker(1)).submission())
                try sink.add(Build.workerRegistered("w-new", worker: newcomer).submission(name: "新人"))
                for submission in Self.crossingChunks.prefix(2100) { try sink.add(submission) }
                var seen: [String] = []
                for id in ["t-late", "w-new", "w-big-0", "g-1", "c-2"] {
                    seen.append("\(id): \(try snapshot.event(id: id).map { "\($0.seq) \($0.event.kind)" } ?? "absent")")
                }
                try snapshot.forEachWorker { worker, events in seen.append("\(worker): " + events.map(\.event.id).joined(separator: " ")) }
                try snapshot.forEachWorker(in: candidates) { worker, events in seen.append("in: \(worker): \(events.count)") }
                return seen
            }
            var expected: [String] = []
            let sqliteResult = try sqlite.store.appendReadingSnapshot(operatorName: "clerk-1", recordedAt: Self.at, cache: .standard) { sink, snapshot in
                expected = try produce(&sink, snapshot)
            }
            var found: [String] = []
            let result = try await postgres.appendReadingSnapshot(operatorName: "clerk-1", recordedAt: Self.at, cache: .standard) { sink, snapshot in
                found = try produce(&sink, snapshot)
            }
            #expect(result == sqliteResult && result.recorded == 2102)
            #expect(found == expected)
            #expect(found.prefix(3) == ["t-late: absent", "w-new: absent", "w-big-0: absent"])
            #expect(found.count > 1600 + 5 && found.filter { $0.hasPrefix("in: ") }.count == 2)
            #expect(try await postgres.digest() == (try sqlite.store.digest()))
            #expect(try await postgres.event(id: "w-big-0") != nil)
        }
    }

    @Test("grant's snapshot hands every worker over once and whole, whatever the page size cuts, in SQLite's order",
          arguments: [1, 2, 3, 7, 5_000])
    func pagesCutThroughPeople(_ eventsPerPage: Int) async throws {
        let sqlite = try TemporaryLedger()
        try await TestServer.withLedger(adoptingKey: sqlite.store.pseudonymKey) { postgres, _ in
            for batch in [Batches.first, Batches.second] {
                _ = try await streamBoth(sqlite.store, postgres, batch)
            }
            var expected: [String] = []
            try sqlite.store.forEachWorker { worker, events in
                expected.append("\(worker): " + events.map { "\($0.seq) \($0.event.id)" }.joined(separator: " "))
            }
            #expect(expected.count > 3 && expected.contains { $0.split(separator: " ").count > 5 }, "people with several events")
            let found = try await postgres.client.withConnection { connection in
                var snapshot = PostgresBatchSnapshot(connection: connection, location: postgres.location)
                snapshot.eventsPerPage = eventsPerPage
                try await snapshot.begin()
                let seen = try await Self.onThread { [snapshot] in
                    var seen: [String] = []
                    try snapshot.forEachWorker { worker, events in
                        seen.append("\(worker): " + events.map { "\($0.seq) \($0.event.id)" }.joined(separator: " "))
                    }
                    return seen
                }
                await snapshot.end()
                return seen
            }
            #expect(found == expected)
        }
    }

    /// Runs `work` on a thread of its own, as a batch's producer runs (the snapshot blocks its caller on each read).
    static func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }
}
