import Crypto
import Foundation
import GRDB
import SkillsDomain

/// The ledger: one SQLite file holding the hash-chained events and the personal-data registry beside them.
///
/// ```swift
/// let ledger = try LedgerStore.open(path: "skills-ledger.sqlite", create: true)
/// let result = try ledger.append(submissions, operatorName: "clerk-1")
/// try ledger.verify()
/// ```
///
/// A `Sendable` value over a GRDB `DatabaseQueue` (one process, one connection): every invariant-preserving write is
/// one transaction, and SQLite's triggers refuse UPDATE and DELETE of events even from outside this code.
public struct LedgerStore: Sendable {
    public let path: String
    let writer: any DatabaseWriter
    /// The per-ledger pseudonym secret (kept as bytes: `SymmetricKey` is not `Sendable`).
    let pseudonymKey: Data

    /// How long a writer waits for another process's transaction before giving up with a clear message.
    public static let busyTimeoutSeconds = 30

    /// Opens the ledger at `path`. With `create`, makes a new ledger there if there is none.
    public static func open(path: String, create: Bool = false) throws -> LedgerStore {
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && !create { throw LedgerError.missing(path: path) }
        var configuration = Configuration()
        configuration.busyMode = .timeout(TimeInterval(busyTimeoutSeconds))
        configuration.journalMode = .wal
        configuration.prepareDatabase { db in
            // Erased personal data must not linger in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        let queue: DatabaseQueue
        do {
            queue = try DatabaseQueue(path: path, configuration: configuration)
        } catch {
            throw LedgerError.notALedger(path: path, reason: "\(error)")
        }
        do {
            if exists {
                let isLedger = try queue.read { db in try db.tableExists("events") && db.tableExists("ledger_meta") }
                if !isLedger {
                    let empty = try queue.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") ?? 0 } == 0
                    guard empty && create else {
                        throw LedgerError.notALedger(path: path, reason: "it has no events table (is it another program's database?)")
                    }
                }
            }
            try migrator.migrate(queue)
            let key = try queue.write { db in try LedgerStore.pseudonymKey(db) }
            return LedgerStore(path: path, writer: queue, pseudonymKey: key)
        } catch let error as LedgerError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
            throw LedgerError.notALedger(path: path, reason: "\(error.message ?? "not a database")")
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw LedgerError.busy(path: path, seconds: busyTimeoutSeconds)
        }
    }

    /// The schema migrations, from the embedded copy of `Schema/*.sql`.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in EmbeddedSchema.migrations {
            migrator.registerMigration(migration.name) { db in try db.execute(sql: migration.sql) }
        }
        return migrator
    }

    /// The SQL of every migration, in order, as the binary applies it.
    public static var schemaMigrations: [(name: String, sql: String)] { EmbeddedSchema.migrations }

    /// The per-ledger secret behind pseudonyms, made once from the system's random source.
    static func pseudonymKey(_ db: Database) throws -> Data {
        if let stored = try Data.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = 'pseudonym_key'") {
            return stored
        }
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Data($0) }
        try db.execute(sql: "INSERT INTO ledger_meta (key, value) VALUES ('pseudonym_key', ?), ('format', 'skills-ledger/1'), ('created_at', ?)",
                       arguments: [bytes, Timestamp.now()])
        return bytes
    }

    /// The keyed pseudonym that stands for a person in the chain: `ps_` + 32 hex digits of HMAC-SHA-256.
    public func pseudonym(for citizen: CitizenID) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data(citizen.value.utf8), using: SymmetricKey(data: pseudonymKey))
        return "ps_" + Data(code.prefix(16)).hexString
    }

    /// A person reference as the chain stores it.
    public func chained(_ person: PersonRef) -> PersonRef {
        switch person {
        case .citizen(let id): .pseudonym(pseudonym(for: id))
        case .pseudonym: person
        }
    }

    /// Runs `body` in a read transaction (a consistent snapshot).
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try mapBusy { try writer.read(body) }
    }

    func mapBusy<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw LedgerError.busy(path: path, seconds: LedgerStore.busyTimeoutSeconds)
        }
    }
}

/// Recording times: UTC, to the second, ISO 8601.
public enum Timestamp {
    public static func now() -> String { format(Date()) }

    public static func format(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let remainder = seconds - days * 86_400
        let civil = civilFromDays(days)
        return pad4(civil.year) + "-" + pad2(civil.month) + "-" + pad2(civil.day) + "T" + pad2(remainder / 3600) + ":"
            + pad2(remainder / 60 % 60) + ":" + pad2(remainder % 60) + "Z"
    }

    static func civilFromDays(_ daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    static func pad4(_ value: Int) -> String { String(repeating: "0", count: max(0, 4 - String(value).count)) + String(value) }
}
