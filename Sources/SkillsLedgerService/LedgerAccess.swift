import Ledger
import SkillsLedgerCore

/// How requests reach the ledger: each request opens its own connection, so that reads run side by side (the ledger
/// is in write-ahead-logging mode), while every write goes through one gate, one at a time, in this process.
struct LedgerAccess: Sendable {
    let location: LedgerLocation
    let writes = WriteGate()

    /// A session on a fresh connection to the ledger, writing events as `operatorName`.
    func session(operatorName: String) async throws -> Session {
        Session(ledger: try await location.open(), operatorName: operatorName)
    }

    /// A session for the request's token: events it writes carry `NAME (ROLE)`.
    func session(for identity: AccessIdentity) async throws -> Session {
        try await session(operatorName: identity.operatorName)
    }
}

/// Runs writes one at a time, in arrival order. An actor alone would not do: its methods interleave at every `await`.
actor WriteGate {
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

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
