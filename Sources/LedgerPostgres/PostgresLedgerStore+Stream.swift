import Dispatch
import Foundation
import Ledger
import PostgresNIO
import SkillsDomain

/// The streamed batch (`submit` of a file, `policy adopt`, `reconcile`, `grant`): a synchronous producer feeds the sink
/// while PostgreSQL's calls are async. The producer runs on a thread of its own (never the cooperative pool, which it
/// would block); its sink buffers `PostgresAppendBatch.chunkSize` events, hands the chunk to the batch's transaction
/// and waits until the chunk is checked and inserted. One transaction on one connection holds `chain_head FOR UPDATE`
/// from before the first chunk to COMMIT: memory holds one chunk, and the batch is all or nothing.
extension PostgresLedgerStore {
    /// Appends what `produce` adds to the sink, in one transaction, with the rules of `append(_:operatorName:recordedAt:)`;
    /// conflicts and refusals are thrown together at the end, as SQLite does. If `produce` throws, nothing is written
    /// and its error is rethrown unchanged. `cache` is SQLite's page cache: PostgreSQL has no use for it.
    @discardableResult
    public func append(operatorName: String, recordedAt: String, cache: AppendCache,
                       _ produce: (inout AppendSink) throws -> Void) async throws -> AppendResult {
        try await withoutActuallyEscaping(produce) { produce in
            try await transaction { connection in
                var batch = PostgresAppendBatch(keyed: keyed, connection: connection, operatorName: operatorName, recordedAt: recordedAt)
                batch.keepsIDs = false
                try await batch.load()
                return try await Self.stream(BatchProducer { sink in try produce(&sink) }, into: &batch)
            }
        }
    }

    /// The same, while `produce` reads the ledger as it stood before this batch: a second pooled connection in a
    /// REPEATABLE READ READ ONLY transaction whose snapshot is taken once the batch holds the chain head (so no other
    /// batch can commit between the snapshot and this one), its reads bridged to the producer's thread.
    @discardableResult
    public func appendReadingSnapshot(operatorName: String, recordedAt: String, cache: AppendCache,
                                      _ produce: (inout AppendSink, any LedgerSnapshot) throws -> Void) async throws -> AppendResult {
        try await withoutActuallyEscaping(produce) { produce in
            try await transaction { connection in
                var batch = PostgresAppendBatch(keyed: keyed, connection: connection, operatorName: operatorName, recordedAt: recordedAt)
                batch.keepsIDs = false
                try await batch.load()
                return try await client.withConnection { reading in
                    let snapshot = PostgresBatchSnapshot(connection: reading, location: location)
                    try await snapshot.begin()
                    do {
                        let result = try await Self.stream(BatchProducer { sink in try produce(&sink, snapshot) }, into: &batch)
                        await snapshot.end()
                        return result
                    } catch {
                        await snapshot.end()
                        throw error
                    }
                }
            }
        }
    }

    /// Runs the producer on its own thread and inserts each chunk it hands over; returns once the producer is done
    /// (so that the caller's non-escaping closure is never used after), with the batch finished or thrown.
    static func stream(_ producer: BatchProducer, into batch: inout PostgresAppendBatch) async throws -> AppendResult {
        let bridge = ProducerBridge()
        let thread = Thread { bridge.finish(producer.run(bridge)) }
        // The rules engine recurses through expressions: the main thread's stack, not a secondary thread's default.
        thread.stackSize = 8 << 20
        thread.name = "skills-ledger append producer"
        thread.start()
        // A server error ends the batch: the producer is told on every later chunk, and the error is what is thrown.
        var storeError: (any Error)?
        while true {
            switch await bridge.receive() {
            case .chunk(let chunk):
                if storeError == nil {
                    do {
                        batch.pending = chunk
                        try await batch.flush()
                    } catch {
                        storeError = error
                    }
                }
                bridge.reply(storeError.map { .failure($0) } ?? .success(batch.recorded))
            case .finished(let outcome):
                if let storeError { throw storeError }
                batch.pending = try outcome.get()
                return try await batch.finish()
            }
        }
    }
}

/// The caller's producer, run once on the producer's thread and let go of before the batch goes on: it is the
/// caller's non-escaping closure (`withoutActuallyEscaping`), so nothing may hold it once `stream` returns.
final class BatchProducer: @unchecked Sendable {
    private var produce: ((inout AppendSink) throws -> Void)?

    init(_ produce: @escaping (inout AppendSink) throws -> Void) { self.produce = produce }

    /// On the producer's thread: the events left in the last, partial chunk, or the producer's error.
    func run(_ bridge: ProducerBridge) -> Result<[Submission], any Error> {
        let chunks = AppendChunks(size: PostgresAppendBatch.chunkSize) { chunk in try bridge.hand(chunk) }
        var sink = AppendSink(chunks: chunks)
        do {
            try take()(&sink)
        } catch {
            return .failure(error)
        }
        return .success(chunks.takePending())
    }

    private func take() -> (inout AppendSink) throws -> Void {
        defer { produce = nil }
        return produce!
    }
}

/// Hands messages from the producer's thread to the async side, one at a time: the producer blocks on a semaphore
/// until its chunk is answered, and the async side awaits a continuation (not cancellable: the producer's thread is
/// always waited for).
final class ProducerBridge: @unchecked Sendable {
    enum Message: Sendable {
        case chunk([Submission])
        case finished(Result<[Submission], any Error>)
    }

    private let lock = NSLock()
    private var message: Message?
    private var receiver: CheckedContinuation<Message, Never>?
    private let answered = DispatchSemaphore(value: 0)
    private var answer: Result<Int, any Error>?

    /// Producer's thread: hands a chunk over and waits until it is inserted; the batch's count of recorded events.
    func hand(_ chunk: [Submission]) throws -> Int {
        send(.chunk(chunk))
        answered.wait()
        return try answer!.get()
    }

    /// Producer's thread, last: the producer is done (and no longer held).
    func finish(_ outcome: Result<[Submission], any Error>) { send(.finished(outcome)) }

    private func send(_ next: Message) {
        lock.lock()
        if let receiver {
            self.receiver = nil
            lock.unlock()
            receiver.resume(returning: next)
        } else {
            message = next
            lock.unlock()
        }
    }

    /// Async side: the next message.
    func receive() async -> Message {
        await withCheckedContinuation { continuation in
            lock.lock()
            if let message {
                self.message = nil
                lock.unlock()
                continuation.resume(returning: message)
            } else {
                receiver = continuation
                lock.unlock()
            }
        }
    }

    /// Async side: the answer to the chunk the producer waits on.
    func reply(_ result: Result<Int, any Error>) {
        answer = result
        answered.signal()
    }
}

/// The ledger as it stood before the batch, read synchronously from the producer's thread: each read runs on the
/// snapshot's connection in a task while the thread waits. Every worker's events come in keyset pages of
/// `eventsPerPage` rows in (worker, seq) order, one range scan of the `events_by_worker` index each; the chosen
/// candidates in pages of `workersPerPage` people. Memory holds one page and one person, never the ledger.
struct PostgresBatchSnapshot: LedgerSnapshot {
    static let workersPerPage = 500

    let connection: PostgresConnection
    let location: String
    /// Rows a page of `forEachWorker` reads (5,000: a few milliseconds of the server's, a megabyte or two here).
    var eventsPerPage = 5_000

    var logger: Logger { PostgresLedgerStore.logger }

    /// Opens the read-only transaction and takes its snapshot now (REPEATABLE READ takes it at the first query).
    func begin() async throws {
        try await PostgresLedgerStore.mapServerErrors(location: location) {
            _ = try await connection.watchedQuery("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", logger: logger).collect()
            _ = try await connection.watchedQuery("SELECT seq FROM chain_head", logger: logger).collect()
        }
    }

    func end() async {
        await connection.rollBackIfOpen()
    }

    func event(id: String) throws -> StoredEvent? {
        try blocking { [connection] in try await PostgresLedgerStore.event(id: id, connection) }
    }

    /// A person's events may span two pages: the group is handed over when the next person's first event (or the
    /// end) is read, so `body` sees each person once, whole.
    func forEachWorker(_ body: (String, [StoredEvent]) throws -> Void) throws {
        var after: (worker: String, seq: Int64)?
        var current: String?
        var group: [StoredEvent] = []
        while true {
            let page = try blocking { [connection, after, eventsPerPage] in try await Self.events(after: after, limit: eventsPerPage, connection) }
            for (worker, event) in page {
                if worker != current {
                    if let current { try body(current, group) }
                    current = worker
                    group.removeAll(keepingCapacity: true)
                }
                group.append(event)
            }
            guard page.count == eventsPerPage, let last = page.last else { break }
            after = (last.0, last.1.seq)
        }
        if let current { try body(current, group) }
    }

    func changes(after seq: Int64) throws -> LedgerChanges {
        try blocking { [connection] in try await PostgresLedgerStore.changes(after: seq, connection) }
    }

    func forEachWorker(in candidates: Set<String>, _ body: (String, [StoredEvent]) throws -> Void) throws {
        let sorted = candidates.sorted()
        for start in stride(from: 0, to: sorted.count, by: Self.workersPerPage) {
            try forEachWorker(of: Array(sorted[start..<min(start + Self.workersPerPage, sorted.count)]), body)
        }
    }

    private func forEachWorker(of workers: [String], _ body: (String, [StoredEvent]) throws -> Void) throws {
        guard !workers.isEmpty else { return }
        let groups = try blocking { [connection] in try await Self.groups(of: workers, connection) }
        for (worker, events) in groups { try body(worker, events) }
    }

    /// The next `limit` events about workers after `after` in (pseudonym, seq) order: the index's own order
    /// (`worker` is `COLLATE "C"`: byte order, SQLite's), read as one range of it.
    static func events(after: (worker: String, seq: Int64)?, limit: Int, _ connection: PostgresConnection) async throws -> [(String, StoredEvent)] {
        let query: PostgresQuery = if let after {
            """
            SELECT \(unescaped: PostgresLedgerStore.eventColumns) FROM events
            WHERE worker IS NOT NULL AND (worker, seq) > (\(after.worker), \(after.seq)) ORDER BY worker, seq LIMIT \(limit)
            """
        } else {
            """
            SELECT \(unescaped: PostgresLedgerStore.eventColumns) FROM events
            WHERE worker IS NOT NULL ORDER BY worker, seq LIMIT \(limit)
            """
        }
        var result: [(String, StoredEvent)] = []
        result.reserveCapacity(limit)
        for try await columns in try await connection.watchedQuery(query, logger: PostgresLedgerStore.logger).decode(PostgresLedgerStore.EventColumns.self) {
            guard let worker = columns.5 else { continue }
            result.append((worker, try PostgresLedgerStore.storedEvent(columns)))
        }
        return result
    }

    /// These people's events, one group a person in pseudonym order, each in recording order; nobody absent.
    static func groups(of workers: [String], _ connection: PostgresConnection) async throws -> [(String, [StoredEvent])] {
        var result: [(String, [StoredEvent])] = []
        for try await columns in try await connection.watchedQuery("""
            SELECT \(unescaped: PostgresLedgerStore.eventColumns) FROM events WHERE worker = ANY(\(workers)) ORDER BY worker COLLATE "C", seq
            """, logger: PostgresLedgerStore.logger).decode(PostgresLedgerStore.EventColumns.self) {
            guard let worker = columns.5 else { continue }
            let event = try PostgresLedgerStore.storedEvent(columns)
            if result.last?.0 == worker { result[result.count - 1].1.append(event) } else { result.append((worker, [event])) }
        }
        return result
    }

    /// Runs `work` in a task and waits for it on this (the producer's) thread, server errors made `LedgerError`s.
    private func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
        let outcome = BlockingOutcome<T>()
        let done = DispatchSemaphore(value: 0)
        let location = self.location
        try connection.ensureOpen()
        Task {
            do {
                outcome.result = .success(try await PostgresLedgerStore.mapServerErrors(location: location, work))
            } catch {
                outcome.result = .failure(error)
            }
            done.signal()
        }
        done.wait()
        return try outcome.result!.get()
    }
}

/// A task's result handed to the thread that waits for it (the semaphore orders the write before the read).
private final class BlockingOutcome<T: Sendable>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
