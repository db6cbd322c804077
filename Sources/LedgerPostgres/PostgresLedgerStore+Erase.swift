import Foundation
import Ledger
import PostgresNIO
import SkillsDomain

extension PostgresLedgerStore {
    /// Removes a person's name and 公民身份号码 from the registry, as SQLite's `erase` does: in one transaction the
    /// row is cleared in place and sealed as it now is (pseudonym, erased_at, reason), and the service's kept answers
    /// (`idempotency_keys`) whose body holds the ID number are deleted. The chain, which holds only the pseudonym,
    /// still verifies. Then, outside the transaction, `VACUUM persons, idempotency_keys` removes the old row versions.
    /// - Returns: the pseudonym, or nil if the registry has no such person (or had erased them before).
    ///
    /// What PostgreSQL cannot promise, unlike SQLite's rewritten file (docs/postgres-status.md, "Erase"):
    /// - The UPDATE leaves the old row version (with the name and ID number) as a dead tuple, and the unique index on
    ///   `citizen_id` keeps an entry for it. The plain VACUUM run here removes both, but only if no transaction in
    ///   this database older than the erase is still open (a long report, a replica with `hot_standby_feedback`, a
    ///   replication slot); and only the table's or the database's owner (or a superuser) may VACUUM it: another role
    ///   gets a warning and nothing is removed, so this erase then refuses, after the registry is cleared, saying so.
    /// - A plain VACUUM frees the space but does not overwrite it: the bytes can stay in the page's free space until
    ///   a later row lands there (measured with pageinspect). `VACUUM FULL persons, idempotency_keys` rewrites the
    ///   table and its indexes into new files; it takes an ACCESS EXCLUSIVE lock (appends and reads wait for it), so
    ///   it is the operator's, in a quiet moment the erase policy names, not each erase's. The old files are given
    ///   back to the file system, not overwritten: encrypted storage is what keeps them unreadable.
    /// - The old values stay in the WAL (the insert, full-page images) until a CHECKPOINT lets the segments be
    ///   recycled, and in WAL archives, replicas' WAL and base backups until they age out: their retention is part
    ///   of the erase policy.
    public func erase(citizen: CitizenID, reason: String) async throws -> String? {
        let pseudonym = pseudonym(for: citizen)
        let keyed = keyed
        let changed = try await transaction(writing: "erasing personal data") { connection in
            let erasedAt = Timestamp.now()
            // The seal of the row as it will be (the pseudonym is the key; nothing else of the old row remains).
            let seal = LedgerStore.registrySeal(keyed: keyed, [pseudonym, nil, nil, erasedAt, reason])
            var changed = 0
            for try await _ in try await connection.watchedQuery("""
                UPDATE persons SET citizen_id = NULL, name = NULL, erased_at = \(erasedAt), erase_reason = \(reason), seal = \(seal)
                WHERE pseudonym = \(pseudonym) AND citizen_id IS NOT NULL RETURNING pseudonym
                """, logger: Self.logger).decode(String.self) {
                changed += 1
            }
            // The service's kept answers (Idempotency-Key) may show the person's 公民身份号码: they go too.
            _ = try await connection.watchedQuery("""
                DELETE FROM idempotency_keys WHERE position(\(Data(citizen.value.utf8)) IN body) > 0
                """, logger: Self.logger).collect()
            return changed
        }
        // Vacuum even when the row was erased before (SQLite scrubs again too): an earlier erase may have been
        // stopped between its commit and the vacuum, and running it again must finish the job.
        if changed == 0, try await registryEntry(pseudonym: pseudonym)?.erasedAt == nil { return nil }
        try await vacuumErased()
        return changed > 0 ? pseudonym : nil
    }

    /// `VACUUM persons, idempotency_keys` on a connection outside any transaction (VACUUM cannot run inside one),
    /// after checking that this role may vacuum them (owner of the tables or of the database, or superuser, as
    /// PostgreSQL 15 asks): PostgreSQL skips a table it may not vacuum with a mere warning.
    func vacuumErased() async throws {
        let unfinished = "the personal data is erased from the registry, but the old row versions are still in the tables' pages"
        try await PostgresLedgerStore.mapServerErrors(location: location) {
            try await client.withConnection { connection in
                var mayVacuum = false
                for try await allowed in try await connection.watchedQuery("""
                    SELECT bool_and(pg_has_role(c.relowner, 'MEMBER'))
                        OR pg_has_role((SELECT datdba FROM pg_database WHERE datname = current_database()), 'MEMBER')
                        OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)
                    FROM pg_class AS c WHERE c.oid IN ('persons'::regclass, 'idempotency_keys'::regclass)
                    """, logger: Self.logger).decode(Bool.self) {
                    mayVacuum = allowed
                }
                guard mayVacuum else {
                    throw LedgerError.refused("\(unfinished): only the owner of persons and idempotency_keys may VACUUM them; "
                        + "have the owner run `VACUUM FULL persons, idempotency_keys` on \(location) (docs/postgres-status.md, \"Erase\")")
                }
                do {
                    _ = try await connection.watchedQuery("VACUUM persons, idempotency_keys", logger: Self.logger).collect()
                } catch let error as PSQLError {
                    throw LedgerError.refused("\(unfinished): VACUUM failed (\(error.serverInfo?[.message] ?? String(reflecting: error))); "
                        + "run the same `erase` again")
                }
            }
        }
    }
}
