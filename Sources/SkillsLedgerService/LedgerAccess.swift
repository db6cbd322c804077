import Intake
import Ledger
import Rules
import SkillsLedgerCore

/// How requests reach the ledger: each read opens its own connection, so that reads run side by side (the ledger
/// is in write-ahead-logging mode), while every write goes through one gate, one at a time, in this process, on the
/// one connection the gate keeps from write to write (its page cache and prepared statements: a fresh connection per
/// batch re-read the worker index from the OS cache, BENCHMARKS.md "The service under load").
///
/// A PostgreSQL ledger (`location.isServer`) is different: opening it makes a connection pool, so the process keeps
/// ONE store (`ServerLedger`) for every read and write. Writes still pass through the gate, one at a time in this
/// process (the server's `chain_head` row serialises them across processes anyway).
struct LedgerAccess: Sendable {
    let location: LedgerLocation
    let writes: WriteGate
    /// The writer's connection, in the access a write gets inside the gate (`LedgerAccess.writing`); nil outside it.
    let kept: (any LedgerStorage)?
    /// The process's one store of a PostgreSQL ledger; nil for a SQLite file.
    let server: ServerLedger?

    init(location: LedgerLocation) {
        self.location = location
        writes = WriteGate()
        kept = nil
        server = location.isServer ? ServerLedger(location) : nil
    }

    private init(_ access: LedgerAccess, kept: any LedgerStorage) {
        location = access.location
        writes = access.writes
        server = access.server
        self.kept = kept
    }

    /// A session writing events as `operatorName`: on the writer's connection inside the write gate, on the
    /// process's store of a server, else on a fresh connection to the file.
    func session(operatorName: String) async throws -> Session {
        if let kept { return Session(ledger: kept, operatorName: operatorName) }
        if let server { return Session(ledger: try await server.store(), operatorName: operatorName) }
        return Session(ledger: try await location.open(), operatorName: operatorName)
    }

    /// Opens the ledger once, so that `serve` fails before listening when it cannot (for a server: the store kept).
    func check() async throws {
        if let server { _ = try await server.store() } else { _ = try await location.open() }
    }

    /// Closes the connections of a server's store (at shutdown); nothing for a SQLite file.
    func close() async { await server?.close() }

    /// Runs `body` once every write before it has finished, with an access whose sessions are on the writer's kept
    /// connection. The connection is opened by the first write and dropped after a write that failed for another
    /// reason than its input (a busy or damaged ledger, a file error), so that the next write starts afresh.
    func writing<T: Sendable>(_ body: @escaping @Sendable (LedgerAccess) async throws -> T) async throws -> T {
        try await writes.run {
            let connection = if let server { try await server.store() } else { try await writes.connection(location) }
            do {
                return try await body(LedgerAccess(self, kept: connection))
            } catch {
                // A server's pool replaces a lost connection itself: the store is kept.
                if server == nil && !Self.isTheRequestsFault(error) { await writes.dropConnection() }
                throw error
            }
        }
    }

    /// A session for the request's token: events it writes carry `NAME (ROLE)`.
    func session(for identity: AccessIdentity) async throws -> Session {
        try await session(operatorName: identity.operatorName)
    }
}

extension LedgerAccess {
    /// Whether a write failed because of what was asked (bad rows, conflicting ids, a refusal, a scope), after which
    /// the connection is as good as before; anything else (busy, integrity, I/O) drops it.
    static func isTheRequestsFault(_ error: any Error) -> Bool {
        switch error {
        case is IntakeError, is OperationError, is ServiceError, is PackErrors: true
        case LedgerError.conflicts, LedgerError.refused: true
        default: false
        }
    }
}

/// Runs writes one at a time, in arrival order. An actor alone would not do: its methods interleave at every `await`.
actor WriteGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var writer: (any LedgerStorage)?

    /// The writer's connection, opened on first use; call it only inside `run`.
    func connection(_ location: LedgerLocation) async throws -> any LedgerStorage {
        if let writer { return writer }
        let opened = try await location.open()
        writer = opened
        return opened
    }

    /// Forgets the writer's connection (closed when the last session holding it ends).
    func dropConnection() { writer = nil }

    /// Runs `body` once every write that arrived before it has finished.
    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
        if busy {
            await withCheckedContinuation { waiting.append($0) }
        } else {
            busy = true
        }
        defer { handOver() }
        return try await body()
    }

    private func handOver() {
        if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
    }
}

/// The one store of a PostgreSQL ledger for the whole process, opened by the first request that needs it (requests
/// arriving meanwhile wait for the same opening) and opened again after an opening that failed.
actor ServerLedger {
    let location: LedgerLocation
    private var opening: Task<any LedgerStorage, any Error>?

    init(_ location: LedgerLocation) { self.location = location }

    func store() async throws -> any LedgerStorage {
        if let opening { return try await opening.value }
        let location = location
        let task = Task { try await location.open() }
        opening = task
        do { return try await task.value } catch {
            opening = nil
            throw error
        }
    }

    /// Closes the store's connections; a request after this opens it again.
    func close() async {
        guard let opening else { return }
        self.opening = nil
        if let store = try? await opening.value { await LedgerLocation.close(store) }
    }
}

/// Lets one `verify` run at a time: a second one gets 503 rather than doubling the work on a large ledger.
actor VerifyGate {
    private var running = false

    /// Whether the caller may start a verify (and must call `finished()` after).
    func begin() -> Bool {
        if running { return false }
        running = true
        return true
    }

    func finished() { running = false }
}
