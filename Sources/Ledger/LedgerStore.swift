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
    /// The SQLite file the ledger is in, as it was opened.
    public let path: String
    let writer: any DatabaseWriter
    /// The per-ledger pseudonym secret (kept as bytes: `SymmetricKey` is not `Sendable`). `package` so that a copy of
    /// the ledger in another backend can take the same key, and with it the same pseudonyms and hashes.
    package let pseudonymKey: Data
    /// The HMAC state of that key, prepared once for every pseudonym and registry seal.
    let keyed: KeyedHash
    /// Where a view of the ledger as of a day ends (`view(asOf:)`); nil for the ledger itself.
    public let ceiling: LedgerCeiling?

    init(path: String, writer: any DatabaseWriter, pseudonymKey: Data, ceiling: LedgerCeiling? = nil) {
        self.path = path
        self.writer = writer
        self.pseudonymKey = pseudonymKey
        self.keyed = KeyedHash(key: pseudonymKey)
        self.ceiling = ceiling
    }

    /// How long a writer waits for another process's transaction before giving up with a clear message: 30 s, or
    /// `SKILLS_LEDGER_BUSY_TIMEOUT` seconds (1–3600) from the environment.
    public static let busyTimeoutSeconds: Int = {
        guard let text = ProcessInfo.processInfo.environment["SKILLS_LEDGER_BUSY_TIMEOUT"], let seconds = Int(text),
              (1...3600).contains(seconds) else { return 30 }
        return seconds
    }()

    /// Opens the ledger at `path`. With `create`, makes a new ledger there if there is none.
    ///
    /// Opening never writes to an existing, up-to-date ledger, so readers (`verify`, `worker`) are never held up by a
    /// writer's long batch, and several processes may create the same new ledger at once.
    public static func open(path: String, create: Bool = false) throws -> LedgerStore {
        let exists = FileManager.default.fileExists(atPath: path)
        if !exists && !create { throw LedgerError.missing(path: path) }
        // Not `configuration.journalMode = .wal`: GRDB's WAL set-up writes on every open when the -wal file is absent
        // or empty (so a reader waited behind any writer, and failed as "database is locked"), and it sets
        // synchronous = NORMAL after `prepareDatabase`, which could lose the last batches in a power cut. A ledger is
        // switched to WAL once, when it is created (`migrate`); the file remembers it.
        var configuration = Configuration()
        configuration.busyMode = .timeout(TimeInterval(busyTimeoutSeconds))
        configuration.prepareDatabase { db in
            // Erased personal data must not linger in free pages.
            try db.execute(sql: "PRAGMA secure_delete = ON")
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            if exists { try retryingBusy { try checkIsLedger(queue, path: path, create: create) } }
            do { try retryingBusy { try migrate(queue) } } catch let error as DatabaseError where exists && error.resultCode == .SQLITE_ERROR {
                throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
                    reason: "the schema cannot be brought up to date (\(error.message ?? "\(error)")): its record of applied migrations does not match its tables"))
            }
            let key = try retryingBusy { try loadPseudonymKey(queue) }
            return LedgerStore(path: path, writer: queue, pseudonymKey: key)
        } catch let error as LedgerError {
            throw error
        } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY {
            throw LedgerError.busy(path: path, seconds: busyTimeoutSeconds)
        } catch let error as DatabaseError where exists && error.resultCode == .SQLITE_CORRUPT {
            // A database SQLite finds damaged (a page, or the schema itself): for `verify`, exit 3 like any damage.
            throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
                reason: "the file is damaged: SQLite says \"\(error.message ?? "database disk image is malformed")\""))
        } catch let error as DatabaseError {
            throw LedgerError.notALedger(path: path, reason: error.message ?? "\(error)")
        } catch {
            // GRDB's decoding errors (a NULL where its own tables allow none) are damage we cannot read past.
            throw LedgerError.notALedger(path: path, reason: "\(error)")
        }
    }

    /// Runs `body` again while SQLite answers SQLITE_BUSY at once, without its busy handler: that happens while
    /// another process is switching a new ledger to write-ahead logging or recovering its WAL index (seen with
    /// several processes creating one ledger under load). Waits up to the busy timeout, then lets the error through.
    static func retryingBusy<T>(_ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(TimeInterval(busyTimeoutSeconds))
        while true {
            do { return try body() } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                usleep(20_000)
            }
        }
    }

    /// An existing file is a ledger, or (with `create`) an empty database: judged from one snapshot, since another
    /// process may be creating the ledger at this very moment.
    static func checkIsLedger(_ queue: DatabaseQueue, path: String, create: Bool) throws {
        let (isLedger, isEmpty) = try queue.read { db in
            (try db.tableExists("events") && db.tableExists("ledger_meta"), try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0)
        }
        guard isLedger || (isEmpty && create) else {
            throw LedgerError.notALedger(path: path, reason: "it has no events table (is it another program's database?)")
        }
    }

    /// The SQL of every migration, in order, as the binary applies it.
    public static var schemaMigrations: [(name: String, sql: String)] { EmbeddedSchema.migrations }

    /// Applies the embedded migrations that are not applied yet (recorded in GRDB's `grdb_migrations` table).
    ///
    /// Looks first in a read, so that opening an up-to-date ledger never takes the write lock: a reader must not wait
    /// behind a long batch. Applies under `BEGIN IMMEDIATE` and looks again inside, so that two processes creating the
    /// same ledger at once cannot both run a migration (GRDB's `DatabaseMigrator` reads what is applied outside its
    /// transaction, and the loser failed with "table ledger_meta already exists").
    static func migrate(_ queue: DatabaseQueue) throws {
        if try queue.read({ db in try pendingMigrations(db) }).isEmpty { return }
        // Write-ahead logging lets readers work while a batch is being written; set once, kept by the file.
        try queue.writeWithoutTransaction { db in _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL") }
        try queue.inTransaction(.immediate) { db in
            try db.execute(sql: "CREATE TABLE IF NOT EXISTS grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
            for migration in try pendingMigrations(db) {
                try db.execute(sql: migration.sql)
                try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES (?)", arguments: [migration.name])
                if migration.name == "002_registry_seal.sql" { try completeRegistry(db) }
                if migration.name == "005_grant_facts.sql" { _ = try fillGrantFacts(db) }
            }
            return .commit
        }
    }

    static func pendingMigrations(_ db: Database) throws -> [(name: String, sql: String)] {
        guard try db.tableExists("grdb_migrations") else { return EmbeddedSchema.migrations }
        let applied = Set(try String?.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations").compactMap { $0 })
        return EmbeddedSchema.migrations.filter { !applied.contains($0.name) }
    }

    /// Reads the pseudonym key (in a read, for the same reason as `migrate`), making it only for a new ledger.
    static func loadPseudonymKey(_ queue: DatabaseQueue) throws -> Data {
        let stored = try queue.read { db in try Data.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = 'pseudonym_key'") }
        let key = try stored ?? queue.write { db in try LedgerStore.pseudonymKey(db) }
        guard key.count == pseudonymKeyBytes else {
            throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
                reason: "the pseudonym key in ledger_meta is damaged (\(key.count) bytes, not \(pseudonymKeyBytes)): pseudonyms cannot be computed"))
        }
        return key
    }

    package static let pseudonymKeyBytes = 32
    /// What `ledger_meta.format` says of a file this code reads and writes.
    package static let formatName = "skills-ledger/1"

    /// The per-ledger secret behind pseudonyms, made once from the system's random source. A ledger that holds events
    /// but no key was damaged: making a new key would silently give every known person a second pseudonym.
    static func pseudonymKey(_ db: Database) throws -> Data {
        if let stored = try Data.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = 'pseudonym_key'") {
            return stored
        }
        guard try Int.fetchOne(db, sql: "SELECT count(*) FROM events") == 0 else {
            throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
                reason: "ledger_meta has lost the pseudonym key but the ledger holds events: the file was damaged or edited"))
        }
        let key = SymmetricKey(size: .bits256)
        let bytes = key.withUnsafeBytes { Data($0) }
        try db.execute(sql: "INSERT INTO ledger_meta (key, value) VALUES ('pseudonym_key', ?)", arguments: [bytes])
        try db.execute(sql: "INSERT OR IGNORE INTO ledger_meta (key, value) VALUES ('format', ?), ('created_at', ?)",
                       arguments: [formatName, Timestamp.now()])
        return bytes
    }

    /// The keyed pseudonym that stands for a person in the chain: `ps_` + 32 hex digits of HMAC-SHA-256.
    public func pseudonym(for citizen: CitizenID) -> String {
        keyed.pseudonym(of: citizen.value)
    }

    /// A person reference as the chain stores it.
    public func chained(_ person: PersonRef) -> PersonRef {
        switch person {
        case .citizen(let id): .pseudonym(pseudonym(for: id))
        case .pseudonym: person
        }
    }

    /// Runs `body` in a read transaction (a consistent snapshot).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try mapBusy { try writer.read(body) }
    }

    func mapBusy<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY || error.resultCode == .SQLITE_LOCKED {
            throw LedgerError.busy(path: path, seconds: LedgerStore.busyTimeoutSeconds)
        }
    }
}

/// Recording times: UTC, to the second, ISO 8601.
extension LocalDate {
    /// Today in UTC, the calendar of recording times (`Timestamp.now()`, so a test's fixed time fixes it too).
    public static func today() -> LocalDate {
        LocalDate.parse(String(Timestamp.now().prefix(10)))!
    }
}

public enum Timestamp {
    /// A recording time fixed for the current task, instead of the clock: tests record "on" a given day with
    /// `Timestamp.$fixed.withValue("2026-03-31T09:00:00Z") { … }`. Nil (the clock) everywhere else.
    @TaskLocal public static var fixed: String?

    /// The recording time to stamp now: `fixed` if set, else the clock, as `2026-03-31T09:00:00Z`.
    public static func now() -> String { fixed ?? format(Date()) }

    /// A moment as a recording time: UTC, ISO 8601, seconds truncated (`2026-03-31T09:00:00Z`).
    public static func format(_ date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let remainder = seconds - days * 86_400
        let civil = LocalDate.civil(fromDayNumber: days)
        return pad4(civil.year) + "-" + pad2(civil.month) + "-" + pad2(civil.day) + "T" + pad2(remainder / 3600) + ":"
            + pad2(remainder / 60 % 60) + ":" + pad2(remainder % 60) + "Z"
    }


    static func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
    static func pad4(_ value: Int) -> String { String(repeating: "0", count: max(0, 4 - String(value).count)) + String(value) }
}
