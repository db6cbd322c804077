import Foundation
import Ledger
@testable import LedgerPostgres
import PostgresNIO
import Synchronization
import Testing

/// postgres-nio 1.33 never answers a query written on a connection that has already closed (RELIABILITY.md §11): a
/// service request leasing a pooled connection the server had just dropped waited for ever. Every query of the
/// backend goes through `watchedQuery`, which must turn that into `LedgerError.unavailable` (HTTP 503, exit 2) at once.
@Suite("PostgreSQL connections that close under a query", .enabled(if: TestServer.url != nil, "\(TestServer.skipped)"), .serialized)
struct PostgresConnectionWatchTests {
    static func connect() async throws -> PostgresConnection {
        let address = try PostgresAddress(parsing: try #require(TestServer.url))
        return try await PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(),
                                                    configuration: address.connectionConfiguration, id: 1, logger: TestServer.logger)
    }

    static func isUnavailable(_ error: any Error) -> Bool {
        if case LedgerError.unavailable(let message) = error { return message.contains("try again") }
        return false
    }

    /// The outcome of `work`, or nil if it has none within `limit` (the work is then left waiting: a hang must fail
    /// the test, not stop the whole run).
    static func outcome<T: Sendable>(within limit: Duration, _ work: @escaping @Sendable () async throws -> T) async -> Result<T, any Error>? {
        let first = FirstAnswer<Result<T, any Error>?>()
        return await withCheckedContinuation { continuation in
            first.waiting.withLock { $0 = continuation }
            Task {
                let result: Result<T, any Error>
                do { result = .success(try await work()) } catch { result = .failure(error) }
                first.answer(result)
            }
            Task {
                try? await Task.sleep(for: limit)
                first.answer(nil)
            }
        }
    }

    @Test("a query written on a connection already closed is answered 'unavailable', not left waiting")
    func closedBeforeTheWrite() async throws {
        let connection = try await Self.connect()
        try await connection.close()
        // Straight to the watch, past `ensureOpen`: this is the write that postgres-nio alone never answers.
        let outcome = await Self.outcome(within: .seconds(20)) {
            try await ConnectionWatch.shared.run("SELECT 1", on: connection, logger: TestServer.logger).collect().count
        }
        switch outcome {
        case nil: Issue.record("the query on a closed connection was not answered within 20 s")
        case .success(let rows)?: Issue.record("the query on a closed connection returned \(rows) rows")
        case .failure(let error)?: #expect(Self.isUnavailable(error), "\(error)")
        }
        await #expect(throws: LedgerError.self) { _ = try await connection.watchedQuery("SELECT 1", logger: TestServer.logger) }
    }

    @Test("a query waiting on a connection the server terminates is answered 'unavailable'", .timeLimit(.minutes(1)))
    func terminatedWhileWaiting() async throws {
        let connection = try await Self.connect()
        var pid: Int32 = 0
        for try await value in try await connection.watchedQuery("SELECT pg_backend_pid()", logger: TestServer.logger).decode(Int32.self) {
            pid = value
        }
        // The query sleeps on the server; another session ends its backend, as pg_ctl -m immediate or an operator would.
        async let waiting = connection.watchedQuery("SELECT pg_sleep(30)", logger: TestServer.logger).collect()
        try await Task.sleep(for: .milliseconds(300))
        try await TestServer.run(try PostgresAddress(parsing: try #require(TestServer.url)), "SELECT pg_terminate_backend(\(pid))")
        do {
            _ = try await waiting
            Issue.record("the query on a terminated backend returned rows")
        } catch {
            // The server's own goodbye (57P01, via mapServerErrors in the store) or the watch's: never a hang.
            #expect(error is PSQLError || Self.isUnavailable(error), "\(error)")
        }
        // The error can reach the query a moment before the channel is marked closed; then it is, and stays.
        try? await connection.closeFuture.get()
        #expect(connection.isClosed)
        await #expect(throws: LedgerError.self) { _ = try await connection.watchedQuery("SELECT 1", logger: TestServer.logger) }
    }

    @Test("a connection is watched once, however many queries it answers, and leaves the table when it closes")
    func oneWatchPerConnection() async throws {
        let connection = try await Self.connect()
        #expect(ConnectionWatch.shared.waiting(on: connection) == nil)
        for round in 0..<500 {
            let rows = try await connection.watchedQuery("SELECT \(round)::bigint", logger: TestServer.logger).collect()
            #expect(rows.count == 1)
        }
        // One entry, nothing left waiting in it: answered queries leave no continuation (and one close callback in all).
        #expect(ConnectionWatch.shared.waiting(on: connection) == 0)
        try await connection.close()
        // The close callback runs on the connection's event loop, just after closeFuture completes.
        for _ in 0..<100 where ConnectionWatch.shared.waiting(on: connection) != nil {
            try await Task.sleep(for: .milliseconds(10))
        }
        #expect(ConnectionWatch.shared.waiting(on: connection) == nil)
    }
}

@Suite("PostgreSQL addresses that lead nowhere", .enabled(if: TestServer.url != nil, "\(TestServer.skipped)"))
struct PostgresUnreachableTests {
    /// A mistyped database, an unknown role or a port with no server is said in the server's own words, at once: the
    /// pool alone retried quietly until its circuit breaker gave up about a minute later, with a generic message.
    @Test("a wrong database, role or port is said plainly, not after the pool gives up", arguments: ["database", "role", "port"])
    func saidAtOnce(_ wrong: String) async throws {
        var address = try PostgresAddress(parsing: try #require(TestServer.url))
        switch wrong {
        case "database": address.database = "no_such_ledger_db"
        case "role": address.user = "no_such_clerk"
        default: address.port = 1   // nothing listens on port 1
        }
        let url = "postgres://\(address.user)@\(address.host):\(address.port)/\(address.database)"
        let outcome = await PostgresConnectionWatchTests.outcome(within: .seconds(20)) {
            try await PostgresLedgerStore.open(url: url).location
        }
        guard case .failure(let error)? = outcome else {
            Issue.record("opening \(url) gave \(String(describing: outcome)), not an error within 20 s")
            return
        }
        switch (wrong, error) {
        case ("database", LedgerError.refused(let message)):
            #expect(message.contains("3D000") && message.contains("no_such_ledger_db"), "\(message)")
        case ("role", LedgerError.refused(let message)):
            #expect(message.contains("28000") && message.contains("no_such_clerk"), "\(message)")
        case ("port", LedgerError.unavailable(let message)):
            #expect(message.contains("cannot be reached") && message.contains("Is the server running"), "\(message)")
        default:
            Issue.record("\(wrong): unexpected \(error)")
        }
    }
}

/// A continuation resumed by whichever of two tasks answers first.
private final class FirstAnswer<T: Sendable>: Sendable {
    let waiting = Mutex<CheckedContinuation<T, Never>?>(nil)

    func answer(_ value: T) {
        waiting.withLock { $0.take() }?.resume(returning: value)
    }
}
