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

    public func export(_ write: (String) throws -> Void) async throws { throw notYet("export") }

    public func asOf(_ day: LocalDate) async throws -> any LedgerStorage { throw notYet("a view as of a date") }
}
