import Intake
import Ledger
import Rules
import SkillsLedgerCore

/// How requests reach the ledger: each read opens its own connection, so that reads run side by side (the ledger
/// is in write-ahead-logging mode), while every write goes through one gate, one at a time, in this process, on the
/// one connection the gate keeps from write to write (its page cache and prepared statements: a fresh connection per
/// batch re-read the worker index from the OS cache, BENCHMARKS.md "The service under load").
struct LedgerAccess: Sendable {
    let location: LedgerLocation
    let writes: WriteGate
    /// The writer's connection, in the access a write gets inside the gate (`LedgerAccess.writing`); nil outside it.
    let kept: (any LedgerStorage)?

    init(location: LedgerLocation) {
        self.location = location
        writes = WriteGate()
        kept = nil
    }

    private init(_ access: LedgerAccess, kept: any LedgerStorage) {
        location = access.location
        writes = access.writes
        self.kept = kept
    }

    /// A session writing events as `operatorName`: on the writer's connection inside the write gate, else on a
    /// fresh one.
    func session(operatorName: String) async throws -> Session {
        if let kept { return Session(ledger: kept, operatorName: operatorName) }
        return Session(ledger: try await location.open(), operatorName: operatorName)
    }

    /// Runs `body` once every write before it has finished, with an access whose sessions are on the writer's kept
    /// connection. The connection is opened by the first write and dropped after a write that failed for another
    /// reason than its input (a busy or damaged ledger, a file error), so that the next write starts afresh.
    func writing<T: Sendable>(_ body: @escaping @Sendable (LedgerAccess) async throws -> T) async throws -> T {
        try await writes.run {
            let connection = try await writes.connection(location)
            do {
                return try await body(LedgerAccess(self, kept: connection))
            } catch {
                if !Self.isTheRequestsFault(error) { await writes.dropConnection() }
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
