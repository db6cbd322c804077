import Ledger
import SkillsDomain

/// The requirements of `LedgerStorage` not yet ported to PostgreSQL (docs/postgres-status.md, "Next steps"). Each
/// refuses with a `LedgerError` naming what is missing, so that a command on a `postgres://` ledger fails clearly
/// instead of giving an answer that is not the ledger's.
extension PostgresLedgerStore {
    func notYet(_ what: String) -> LedgerError {
        .refused("not yet on PostgreSQL: \(what) (\(location)); use a SQLite ledger for it for now (docs/postgres-status.md)")
    }

    public func backup(to path: String) async throws -> BackupReport {
        throw notYet("backup (back a PostgreSQL ledger up with pg_dump or the server's own backups)")
    }
}
