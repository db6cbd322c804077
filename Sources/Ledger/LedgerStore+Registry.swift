import Crypto
import Foundation
import GRDB
import SkillsDomain

/// The registry's seal and the checks `verify` makes of everything outside the chain: the registry, the settings
/// and the schema. The chain proves the events; these make sure that what is shown beside them (a worker's name and
/// 公民身份号码, the key that turns an ID number into its pseudonym, the append-only guards) was not changed either.
extension LedgerStore {
    /// HMAC-SHA-256, under the pseudonym key, of a registry row's columns in table order (pseudonym, citizen_id,
    /// name, erased_at, erase_reason), each length-prefixed and NULL marked, so that no two rows share a message.
    package static func registrySeal(keyed: KeyedHash, _ columns: [String?]) -> Data {
        var message: [UInt8] = []
        message.reserveCapacity(160)
        message.append(contentsOf: "skills-ledger/registry-seal/1".utf8)
        for column in columns {
            guard let column else { message.append(0); continue }
            let count = column.utf8.count
            message.append(1)
            withUnsafeBytes(of: UInt32(count).bigEndian) { message.append(contentsOf: $0) }
            message.append(contentsOf: column.utf8)
        }
        return Data(keyed.code(of: message))
    }

    /// What a registry row says of a person the ledger knows only by pseudonym.
    /// What a registration does to a person already in `persons`, on both backends (an upsert's ON CONFLICT clause):
    /// a 公民身份号码 fills a pseudonym-only or erased row, a name fills a row without one; a name already held is
    /// kept; otherwise the row stays as it is. The seal given is computed from the row as it will be.
    package static let registrationConflict = """
        ON CONFLICT (pseudonym) DO UPDATE SET
            citizen_id = excluded.citizen_id,
            name = COALESCE(persons.name, excluded.name),
            erased_at = NULL, erase_reason = NULL,
            seal = excluded.seal
        WHERE persons.citizen_id IS NULL OR (persons.name IS NULL AND excluded.name IS NOT NULL)
        """

    package static let pseudonymOnlyReason = "recorded under its pseudonym only: no personal data was ever given to this ledger"

    /// Brings a ledger written before migration 002 up to its invariants, inside the migration's transaction: a row
    /// for every person the chain names, and a seal on every row.
    static func completeRegistry(_ db: Database) throws {
        guard let key = try Data.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = 'pseudonym_key'") else { return }
        let keyed = KeyedHash(key: key)
        // json_extract stays: SQL needs the payee to choose which rows to insert.
        try db.execute(sql: """
            INSERT OR IGNORE INTO persons (pseudonym, erased_at, erase_reason)
            SELECT worker, recorded_at, ? FROM events WHERE worker IS NOT NULL
            UNION SELECT json_extract(data, '$.payee'), recorded_at, ? FROM events
                WHERE kind IN ('subsidy.granted', 'subsidy.paid') AND json_extract(data, '$.payee') GLOB 'ps_*'
            """, arguments: [pseudonymOnlyReason, pseudonymOnlyReason])
        // Seals are computed in Swift, a chunk of rows at a time (a sealed row leaves the query), so that memory
        // follows the chunk, not the registry.
        let update = try db.makeStatement(sql: "UPDATE persons SET seal = ? WHERE pseudonym = ?")
        while true {
            let rows = try Row.fetchAll(db, sql: """
                SELECT pseudonym, citizen_id, name, erased_at, erase_reason FROM persons WHERE seal IS NULL LIMIT 10000
                """)
            if rows.isEmpty { break }
            for row in rows {
                let columns: [String?] = try (0..<5).map { index in try row.decode(String?.self, atIndex: index) }
                try update.execute(arguments: [registrySeal(keyed: keyed, columns), columns[0]])
            }
        }
    }

    // MARK: Checks made by verify

    /// The settings: the format this code reads, and a pseudonym key of the right size.
    func checkMeta(_ db: Database) throws {
        let format = try String.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = 'format'")
        guard format == LedgerStore.formatName else {
            throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
                reason: "ledger_meta says the format is \(format.map { "\"\($0)\"" } ?? "nothing"), not \(LedgerStore.formatName)"))
        }
        let stored = try Data.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = 'pseudonym_key'")
        guard stored == pseudonymKey else {
            throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil, reason: "the pseudonym key in ledger_meta changed while the ledger was open"))
        }
    }

    /// Every registry row: sealed, consistent (an ID number is the one its pseudonym stands for; an erased row keeps
    /// nothing personal), and about a person the chain knows.
    func checkRegistry(_ db: Database) throws {
        // json_extract stays in these two queries only to choose rows (payees the registry must or must not hold).
        if let stranger = try String.fetchOne(db, sql: """
            SELECT pseudonym FROM persons
            WHERE NOT EXISTS (SELECT 1 FROM events WHERE worker = persons.pseudonym)
              AND pseudonym NOT IN (SELECT json_extract(data, '$.payee') FROM events WHERE kind IN ('subsidy.granted', 'subsidy.paid'))
            LIMIT 1
            """) {
            throw registryFailure(stranger, "no event in the chain names this pseudonym (a person was added behind the ledger's back)")
        }
        if let missing = try String.fetchOne(db, sql: """
            SELECT worker FROM events WHERE worker IS NOT NULL AND worker NOT IN (SELECT pseudonym FROM persons)
            UNION ALL SELECT json_extract(data, '$.payee') FROM events
                WHERE kind IN ('subsidy.granted', 'subsidy.paid') AND json_extract(data, '$.payee') GLOB 'ps_*'
                  AND json_extract(data, '$.payee') NOT IN (SELECT pseudonym FROM persons)
            LIMIT 1
            """) {
            throw registryFailure(missing, "the chain names this person but the registry has no row for them (a row was deleted behind the ledger's back)")
        }
        let rows = try Row.fetchCursor(db, sql: "SELECT pseudonym, citizen_id, name, erased_at, erase_reason, seal FROM persons ORDER BY pseudonym")
        while let row = try rows.next() {
            try checkRegistryRow(row)
        }
    }

    func checkRegistryRow(_ row: Row) throws {
        let columns: [String?] = try (0..<5).map { index in try row.decode(String?.self, atIndex: index) }
        guard let pseudonym = columns[0], PersonRef.isPseudonym(pseudonym) else {
            throw registryFailure(columns[0] ?? "NULL", "a pseudonym that is not ps_ and 32 hex digits")
        }
        let seal = try row.decode(Data?.self, atIndex: 5)
        guard seal == LedgerStore.registrySeal(keyed: keyed, columns) else {
            throw registryFailure(pseudonym, seal == nil ? "the row has no seal" : "the row does not match its seal (a name or ID number was changed behind the ledger's back)")
        }
        if let citizenText = columns[1] {
            guard let citizen = try? CitizenID(citizenText), self.pseudonym(for: citizen) == pseudonym else {
                throw registryFailure(pseudonym, "the 公民身份号码 stored for it is not the one its pseudonym stands for")
            }
        } else if columns[2] != nil || columns[3] == nil {
            throw registryFailure(pseudonym, "an erased row must keep no name and say when it was erased")
        }
    }

    func registryFailure(_ pseudonym: String, _ reason: String) -> LedgerError {
        .integrity(IntegrityFailure(seq: nil, eventID: nil, reason: "personal-data registry, \(pseudonym): \(reason)"))
    }

    /// The schema as this version makes it: tables, columns, CHECKs, indexes and triggers. A guard trigger rewritten to
    /// do nothing, or a CHECK dropped, leaves every name in place; comparing the full SQL catches it.
    func checkSchema(_ db: Database) throws {
        let present = try LedgerStore.schemaRows(db)
        let expected = try LedgerStore.expectedSchema()
        guard present != expected else { return }
        let presentByName = Dictionary(present.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let expectedByName = Dictionary(expected.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        var differences: [String] = []
        for row in expected where presentByName[row.name] == nil { differences.append("\(row.type) \(row.name) is missing") }
        for row in present where expectedByName[row.name] == nil { differences.append("an unexpected \(row.type) \(row.name)") }
        for row in present where expectedByName[row.name].map({ $0 != row }) ?? false { differences.append("\(row.type) \(row.name) was changed") }
        throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
            reason: "the schema is not the one this version creates: " + differences.prefix(5).joined(separator: "; ")))
    }

    struct SchemaRow: Equatable {
        var type: String
        var name: String
        var table: String
        var sql: String?
    }

    static func schemaRows(_ db: Database) throws -> [SchemaRow] {
        try Row.fetchAll(db, sql: "SELECT type, name, tbl_name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%' ORDER BY type, name")
            .map { row in
                SchemaRow(type: try row.decode(atIndex: 0), name: try row.decode(atIndex: 1), table: try row.decode(atIndex: 2),
                          sql: try row.decode(atIndex: 3))
            }
    }

    /// The schema of a ledger made by this binary, from the same migrations, in memory.
    static func expectedSchema() throws -> [SchemaRow] {
        let queue = try DatabaseQueue()
        try migrate(queue)
        return try queue.read { db in try schemaRows(db) }
    }

    /// SQLite's own check of the file: page structure, free list, records, and that every index matches its table
    /// (a damaged index would make idempotency or a worker's timeline silently wrong).
    func checkFile(_ db: Database) throws {
        let findings = try String.fetchAll(db, sql: "PRAGMA integrity_check(20)")
        guard findings != ["ok"] else { return }
        throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
            reason: "SQLite's integrity_check finds the file damaged: " + findings.prefix(3).joined(separator: "; ")))
    }
}
