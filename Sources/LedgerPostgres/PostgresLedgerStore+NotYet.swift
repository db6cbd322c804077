import Ledger
import SkillsDomain

/// The requirements of `LedgerStorage` not yet ported to PostgreSQL (docs/postgres-status.md, "Next steps"). Each
/// refuses with a `LedgerError` naming what is missing, so that a command on a `postgres://` ledger fails clearly
/// instead of giving an answer that is not the ledger's.
extension PostgresLedgerStore {
    func notYet(_ what: String) -> LedgerError {
        .refused("not yet on PostgreSQL: \(what) (\(location)); use a SQLite ledger for it for now (docs/postgres-status.md)")
    }

    public func erase(citizen: CitizenID, reason: String) async throws -> String? { throw notYet("erase") }

    public func append(operatorName: String, recordedAt: String, cache: AppendCache,
                       _ produce: (inout AppendSink) throws -> Void) async throws -> AppendResult {
        throw notYet("a streamed batch (submit of a file, grant, reconcile)")
    }

    public func appendReadingSnapshot(operatorName: String, recordedAt: String, cache: AppendCache,
                                      _ produce: (inout AppendSink, any LedgerSnapshot) throws -> Void) async throws -> AppendResult {
        throw notYet("a batch that reads the ledger while it is written (grant)")
    }

    public func forEachRulesInput(_ body: (RulesInputRow) throws -> Void) async throws { throw notYet("the rules engine's inputs") }

    public func events(person pseudonym: String) async throws -> [StoredEvent] { throw notYet("a person's events") }

    public func forEachGrantOrReversal(before cutoff: Int64, _ body: (MoneyEvent) throws -> Void) async throws {
        throw notYet("grants and reversals for reconciliation")
    }

    public func forEachPayment(through lastDay: LocalDate, before cutoff: Int64, _ body: (MoneyEvent) throws -> Void) async throws {
        throw notYet("payments for reconciliation")
    }

    public func workerHistory(pseudonym: String) async throws -> WorkerHistory { throw notYet("a worker's history") }

    public func workers(withEventsOf kinds: Set<EventKind>, from start: LocalDate?, through end: LocalDate) async throws -> Set<String> {
        throw notYet("the workers with events in a period")
    }

    public func forEachWorker(_ body: (String, [StoredEvent]) throws -> Void) async throws { throw notYet("every worker's events") }

    public func forEachWorker(in candidates: Set<String>, _ body: (String, [StoredEvent]) throws -> Void) async throws {
        throw notYet("some workers' events")
    }

    public func export(_ write: (String) throws -> Void) async throws { throw notYet("export") }

    public func backup(to path: String) async throws -> BackupReport {
        throw notYet("backup (back a PostgreSQL ledger up with pg_dump or the server's own backups)")
    }

    public func asOf(_ day: LocalDate) async throws -> any LedgerStorage { throw notYet("a view as of a date") }

    public func grantAccess(_ token: AccessTokenRecord, recording event: Submission, operatorName: String,
                            recordedAt: String) async throws -> AppendResult {
        throw notYet("service tokens")
    }

    public func revokeAccess(name: String, recording event: Submission, operatorName: String, recordedAt: String) async throws -> AppendResult {
        throw notYet("service tokens")
    }

    public func accessTokens() async throws -> [AccessTokenRecord] { throw notYet("service tokens") }

    public func noteAccessTokenUsed(name: String, at minute: String) async throws { throw notYet("service tokens") }

    public func idempotentResponse(tokenName: String, key: String) async throws -> IdempotentResponse? {
        throw notYet("the service's idempotency keys")
    }

    public func storeIdempotentResponse(_ response: IdempotentResponse, tokenName: String, key: String, recordedAt: String) async throws {
        throw notYet("the service's idempotency keys")
    }
}
