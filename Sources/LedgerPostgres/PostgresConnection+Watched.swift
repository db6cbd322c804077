import Ledger
import Logging
import PostgresNIO
import Synchronization

/// A query sent on a connection that has already closed is never answered by postgres-nio 1.33: once the channel is
/// closed its handler has left the pipeline, and `PostgresConnection.query` writes its task with `promise: nil`, so
/// the failed write fails nothing and the caller waits for ever. Found by the fault campaign (`pg_ctl -m immediate`
/// during a batch; RELIABILITY.md §11): a batch computing its next chunk, or a service request leasing a pooled
/// connection the server had just dropped, hung, holding the service's write gate.
///
/// So every query of the PostgreSQL backend goes through `watchedQuery`: it looks at `isClosed` first, and while it
/// waits for the server's first answer it also listens for the connection closing. One close watcher per connection
/// (`ConnectionWatch`), not one per query, so a connection that serves a service for weeks collects nothing.
extension PostgresConnection {
    /// `query(_:logger:)`, failed with `LedgerError.unavailable` if the connection is closed or closes before the
    /// server answers. The rows that follow need no watch: once a query is answered, the handler that streams its
    /// rows fails them itself when the connection goes.
    func watchedQuery(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        try ensureOpen()
        return try await ConnectionWatch.shared.run(query, on: self, logger: logger)
    }

    /// Throws when the connection has closed: nothing of its open transaction was kept by the server.
    func ensureOpen() throws {
        guard isClosed else { return }
        throw LedgerError.unavailable("the connection to PostgreSQL closed in the middle of a transaction (the server stopped or cut it): "
            + "nothing of this transaction was recorded; try again")
    }

    /// ROLLBACK, unless the connection is closed: then the server has rolled the transaction back already (a
    /// transaction never outlives its session).
    func rollBackIfOpen() async {
        guard !isClosed else { return }
        _ = try? await watchedQuery("ROLLBACK", logger: PostgresLedgerStore.logger).collect()
    }

    /// COMMIT; on a closed connection, an error saying that nothing of the transaction was kept.
    func commitIfOpen() async throws {
        _ = try await watchedQuery("COMMIT", logger: PostgresLedgerStore.logger).collect()
    }
}

/// The queries waiting for their first answer, by connection, and the one close callback each connection has.
final class ConnectionWatch: Sendable {
    static let shared = ConnectionWatch()

    private struct Watched {
        /// Held so that the connection's identity cannot be reused by another object while it is in the table.
        let connection: PostgresConnection
        var waiting: [UInt64: CheckedContinuation<PostgresRowSequence, any Error>] = [:]
    }

    private let table = Mutex<[ObjectIdentifier: Watched]>([:])
    private let tickets = Atomic<UInt64>(0)

    /// How many queries wait for a first answer on `connection`, or nil if it is not watched (never queried, or
    /// closed: a connection leaves the table when it closes).
    func waiting(on connection: PostgresConnection) -> Int? {
        table.withLock { $0[ObjectIdentifier(connection)]?.waiting.count }
    }

    /// Sends `query` from a task of its own and waits for whichever comes first: its answer, or the connection
    /// closing. If the connection wins, the query's task is left waiting on a promise nobody will complete: a few
    /// hundred bytes, once per query cut by a lost server.
    func run(_ query: PostgresQuery, on connection: PostgresConnection, logger: Logger) async throws -> PostgresRowSequence {
        let key = ObjectIdentifier(connection)
        let ticket = tickets.add(1, ordering: .relaxed).newValue
        return try await withCheckedThrowingContinuation { continuation in
            let isNew = table.withLock { table -> Bool in
                if table[key] != nil {
                    table[key]!.waiting[ticket] = continuation
                    return false
                }
                table[key] = Watched(connection: connection, waiting: [ticket: continuation])
                return true
            }
            // Registered after the entry exists: on a connection already closed the callback runs at once and
            // fails this query; it can never be missed.
            if isNew { connection.closeFuture.whenComplete { _ in self.closed(key) } }
            Task {
                let result: Result<PostgresRowSequence, any Error>
                do {
                    result = .success(try await connection.query(query, logger: logger))
                } catch {
                    result = .failure(error)
                }
                self.take(ticket, of: key)?.resume(with: result)
            }
        }
    }

    private func take(_ ticket: UInt64, of key: ObjectIdentifier) -> CheckedContinuation<PostgresRowSequence, any Error>? {
        table.withLock { $0[key]?.waiting.removeValue(forKey: ticket) }
    }

    private func closed(_ key: ObjectIdentifier) {
        let waiting = table.withLock { $0.removeValue(forKey: key)?.waiting.values.map { $0 } } ?? []
        for continuation in waiting {
            continuation.resume(throwing: LedgerError.unavailable("the connection to PostgreSQL closed while a query waited for its answer "
                + "(the server stopped or cut it); try again: a batch that was recorded after all is then answered as already recorded, "
                + "never recorded twice"))
        }
    }
}
