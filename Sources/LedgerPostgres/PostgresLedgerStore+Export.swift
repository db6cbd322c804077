import Foundation
import Ledger
import PostgresNIO
import SkillsDomain

extension PostgresLedgerStore {
    /// Writes every event as JSON Lines that `submit` accepts into a fresh ledger, byte for byte what SQLite's
    /// `export` writes for the same ledger (the same `LedgerStore.exportLine`): people re-identified from the registry
    /// (erased people stay pseudonymous), names restored to `worker.registered`, seq, recorded_at and operator
    /// alongside. The registry and the events are read in one snapshot, so the lines agree with each other even while
    /// others append or erase. The registry's identities and names are held in memory, as SQLite's export holds them;
    /// the events stream.
    public func export(_ write: (String) throws -> Void) async throws {
        try await snapshot { connection in
            var identities: [String: String] = [:]
            var names: [String: String] = [:]
            for try await (pseudonym, citizen, name) in try await connection.watchedQuery("""
                SELECT pseudonym, citizen_id, name FROM persons WHERE citizen_id IS NOT NULL OR name IS NOT NULL
                """, logger: Self.logger).decode((String, String?, String?).self) {
                if let citizen { identities[pseudonym] = citizen }
                if let name { names[pseudonym] = name }
            }
            for try await columns in try await connection.watchedQuery(
                "SELECT \(unescaped: Self.eventColumns) FROM events ORDER BY seq", logger: Self.logger
            ).decode(EventColumns.self) {
                if let line = LedgerStore.exportLine(try Self.storedEvent(columns), identities: identities, names: names) { try write(line) }
            }
        }
    }
}
