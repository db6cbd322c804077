import Foundation
import Ledger
import Logging
import PostgresNIO
import SkillsDomain

/// The ledger in PostgreSQL (15 or later): the same chain, hashes, registry and refusals as `LedgerStore` on
/// SQLite, behind the same `LedgerStorage` seam, for a province whose service instances share one database.
///
/// ```swift
/// let ledger = try await PostgresLedgerStore.open(url: "postgres://skills@localhost:5432/ledger", create: true)
/// defer { Task { await ledger.close() } }
/// let result = try await ledger.append(submissions, operatorName: "clerk-1", recordedAt: Timestamp.now())
/// print(try await ledger.digest())   // the same COUNT:HASH as a SQLite ledger given the same batches
/// ```
///
/// Writers in several processes are serialised by the one row of `chain_head`, taken `FOR UPDATE` by every batch;
/// the database's own triggers refuse UPDATE, DELETE and TRUNCATE of events and any insert that does not take the
/// next seq and link to the hash before it (Schema.sql). A server that is lost or cannot be reached is
/// `LedgerError.unavailable` ("try again"), never a wait without end (PostgresConnection+Watched.swift).
public final class PostgresLedgerStore: Sendable {
    /// The URL without its password.
    public let location: String
    let client: PostgresClient
    let running: Task<Void, Never>
    /// The per-ledger pseudonym secret and its prepared HMAC (the same derivation as SQLite's).
    let pseudonymKey: Data
    let keyed: KeyedHash
    /// Whether `open` made the ledger's tables (a new ledger), so that `init` can say it created one.
    public let createdByThisOpen: Bool
    /// For a view as of a day (`asOf`): the ledger it is a view of (which owns the connections), where its reads
    /// stop, and the schema of the ledger's tables; nil for the ledger itself.
    let bound: AsOfBound?

    init(location: String, client: PostgresClient, running: Task<Void, Never>, pseudonymKey: Data, created: Bool = false,
         bound: AsOfBound? = nil) {
        self.location = location
        self.createdByThisOpen = created
        self.client = client
        self.running = running
        self.pseudonymKey = pseudonymKey
        self.keyed = KeyedHash(key: pseudonymKey)
        self.bound = bound
    }

    deinit { if bound == nil { running.cancel() } }

    /// postgres-nio logs nothing of ours: errors reach the user as `LedgerError`s. For an operator chasing a
    /// connection problem, `SKILLS_LEDGER_POSTGRES_LOG=debug` (or `trace`, `info`…) logs the client's connections,
    /// pool and queries to stderr.
    static let logger: Logger = {
        guard let text = ProcessInfo.processInfo.environment["SKILLS_LEDGER_POSTGRES_LOG"], let level = Logger.Level(rawValue: text) else {
            return Logger(label: "skills-ledger.postgres", factory: { _ in SwiftLogNoOpLogHandler() })
        }
        var logger = Logger(label: "skills-ledger.postgres", factory: { StreamLogHandler.standardError(label: $0) })
        logger.logLevel = level
        return logger
    }()

    /// Taken (as a transaction-level advisory lock) while a ledger's schema is created, so that two processes
    /// creating the same new ledger at once cannot both run it.
    static let schemaLock: Int64 = 0x534B_4C47_5343_484D

    /// Connects to the database the URL names. With `create`, makes the ledger's tables there if it has none.
    /// - Throws: `LedgerError.missing` (no ledger and not `create`), `.notALedger` (another program's tables),
    ///   `.refused` (a malformed URL, or the server refused: no such database or role, a wrong password; its message
    ///   and SQLSTATE are kept), `.unavailable` (no server there, or it is starting or stopping).
    /// - Parameter adoptingKey: for a new ledger only, the pseudonym key to create it with instead of a random one: a
    ///   copy of a SQLite ledger (`migrate`, and the tests that compare the backends) must name people as it does.
    public static func open(url: String, create: Bool = false) async throws -> PostgresLedgerStore {
        try await open(url: url, create: create, adoptingKey: nil)
    }

    package static func open(url: String, create: Bool, adoptingKey: Data?) async throws -> PostgresLedgerStore {
        let address = try PostgresAddress(parsing: url)
        try await probe(address)
        let client = PostgresClient(configuration: address.configuration, backgroundLogger: logger)
        let running = Task { await client.run() }
        do {
            let (key, created) = try await mapServerErrors(location: address.location) {
                try await prepare(client, create: create, adoptingKey: adoptingKey, location: address.location)
            }
            return PostgresLedgerStore(location: address.location, client: client, running: running, pseudonymKey: key, created: created)
        } catch {
            running.cancel()
            throw error
        }
    }

    /// One direct connection, closed at once: a wrong database name, user or password, or a server that is not there,
    /// is said now, in the server's own words (SQLSTATE 3D000, 28P01…), where the pool would retry quietly until its
    /// circuit breaker gave up about a minute later with a generic error.
    static func probe(_ address: PostgresAddress) async throws {
        try await mapServerErrors(location: address.location) {
            let connection: PostgresConnection
            do {
                connection = try await PostgresConnection.connect(on: PostgresConnection.defaultEventLoopGroup.any(),
                                                                  configuration: address.connectionConfiguration, id: 0, logger: logger)
            } catch let error as PSQLError where error.serverInfo == nil {
                throw LedgerError.unavailable("PostgreSQL at \(address.location) cannot be reached: \(error.underlying.map { "\($0)" } ?? "\(error.code)"). "
                    + "Is the server running, and are the host and port right?")
            }
            try? await connection.close()
        }
    }

    /// Closes the connections (the store must not be used after).
    public func close() async {
        guard bound == nil else { return }   // a view as of a day borrows its ledger's connections
        running.cancel()
        await running.value
    }

    /// Creates the schema when asked and absent, then reads the pseudonym key: one transaction, under the schema lock.
    /// - Returns: the key, and whether the schema was created now.
    static func prepare(_ client: PostgresClient, create: Bool, adoptingKey: Data?, location: String) async throws -> (Data, Bool) {
        try await transaction(client) { connection in
            _ = try await connection.watchedQuery("SELECT pg_advisory_xact_lock(\(schemaLock))", logger: logger).collect()
            var hasEvents = false
            var hasMeta = false
            var created = false
            for try await (events, meta) in try await connection.watchedQuery(
                "SELECT to_regclass('events') IS NOT NULL, to_regclass('ledger_meta') IS NOT NULL", logger: logger
            ).decode((Bool, Bool).self) {
                hasEvents = events
                hasMeta = meta
            }
            if !hasEvents && !hasMeta {
                guard create else { throw LedgerError.missing(path: location) }
                created = true
                for statement in PostgresSchema.statements {
                    _ = try await connection.watchedQuery(PostgresQuery(unsafeSQL: statement), logger: logger).collect()
                }
                var generator = SystemRandomNumberGenerator()
                let key = adoptingKey ?? Data((0..<LedgerStore.pseudonymKeyBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
                let format = Data(LedgerStore.formatName.utf8)
                let createdAt = Data(Timestamp.now().utf8)
                _ = try await connection.watchedQuery("""
                    INSERT INTO ledger_meta (key, value) VALUES ('pseudonym_key', \(key)), ('format', \(format)), ('created_at', \(createdAt))
                    """, logger: logger).collect()
            } else if !(hasEvents && hasMeta) {
                throw LedgerError.notALedger(path: location, reason: "it has \(hasEvents ? "an events table but no ledger_meta" : "a ledger_meta table but no events") (is it another program's database?)")
            } else {
                try await addGrantFactsIfMissing(connection)
                try await addPayeeIndexIfMissing(connection)
            }
            var stored: Data?
            for try await value in try await connection.watchedQuery(
                "SELECT value FROM ledger_meta WHERE key = 'pseudonym_key'", logger: logger
            ).decode(Data.self) {
                stored = value
            }
            guard let stored, stored.count == LedgerStore.pseudonymKeyBytes else {
                throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
                    reason: "the pseudonym key in ledger_meta is missing or damaged: pseudonyms cannot be computed"))
            }
            return (stored, created)
        }
    }

    /// Runs `body` in one transaction on one pooled connection: committed if it returns, rolled back if it throws
    /// (its own error is rethrown as it is, not wrapped, so a `LedgerError` reaches the user unchanged).
    static func transaction<T: Sendable>(_ client: PostgresClient, _ begin: String = "BEGIN",
                                         _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await client.withConnection { connection in
            _ = try await connection.watchedQuery(PostgresQuery(unsafeSQL: begin), logger: logger).collect()
            do {
                let value = try await body(connection)
                try await connection.commitIfOpen()
                return value
            } catch {
                await connection.rollBackIfOpen()
                throw error
            }
        }
    }

    /// A transaction of this store, its server errors made `LedgerError`s. Every write goes through here, so a view
    /// as of a day refuses it before anything is sent (`what` names the write, as SQLite's refusal does).
    func transaction<T: Sendable>(writing what: String = "appending events",
                                  _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try refuseWritesAsOf(what)
        return try await PostgresLedgerStore.mapServerErrors(location: location) {
            try await PostgresLedgerStore.transaction(client, "BEGIN", body)
        }
    }

    /// A read-only snapshot: every query of `body` sees the ledger as of its first one. In a view as of a day, the
    /// snapshot's `events` and `persons` end at the view's ceiling (`boundedSnapshot`, PostgresLedgerStore+AsOf.swift).
    func snapshot<T: Sendable>(_ body: (PostgresConnection) async throws -> T) async throws -> T {
        if let bound { return try await boundedSnapshot(bound, body) }
        return try await PostgresLedgerStore.mapServerErrors(location: location) {
            try await PostgresLedgerStore.transaction(client, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", body)
        }
    }

    /// A server's refusal or a lost connection, as a `LedgerError` a person can act on (PSQLError's own description
    /// is deliberately generic; the server's message and SQLSTATE are what tell what happened).
    static func mapServerErrors<T>(location: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as PSQLError {
            if let info = error.serverInfo {
                let state = info[.sqlState] ?? "?"
                let message = info[.message] ?? "no message"
                // Connection exceptions (08…), the server shutting down or starting up (57P01–57P03), too many
                // connections (53300): the request was not refused, the server was not there for it.
                if state.hasPrefix("08") || ["57P01", "57P02", "57P03", "53300"].contains(state) {
                    throw LedgerError.unavailable("PostgreSQL at \(location) is unavailable (SQLSTATE \(state)): \(message); try again")
                }
                throw LedgerError.refused("PostgreSQL at \(location) refused (SQLSTATE \(state)): \(message)")
            }
            throw LedgerError.unavailable("PostgreSQL at \(location) could not be used (\(error.code)\(error.underlying.map { ": \($0)" } ?? "")); try again (a batch recorded after all is then answered as already recorded, never recorded twice)")
        } catch let error where String(describing: type(of: error)) == "ConnectionPoolError" {
            // postgres-nio's pool gave up making a connection (its circuit breaker after repeated failures).
            throw LedgerError.unavailable("PostgreSQL at \(location) cannot be reached: no connection could be made (is the server running, "
                + "and are the host, port and user right?): \(error)")
        }
    }

    /// Recording order is `seq`; these are the columns `StoredEvent` is read from.
    static let eventColumns = "seq, id, kind, occurred_on, source, worker, employer, data, recorded_at, operator"

    typealias EventColumns = (Int64, String, String, String, String, String?, String?, String, String, String)

    /// An event as stored, decoded by the same parsers as SQLite's slow path (which say what is wrong).
    static func storedEvent(_ columns: EventColumns) throws -> StoredEvent {
        let (seq, id, kindText, occurredOnText, source, worker, employer, dataText, recordedAt, operatorName) = columns
        guard let kind = EventKind(rawValue: kindText), let occurredOn = LocalDate.parse(occurredOnText) else {
            throw LedgerError.integrity(IntegrityFailure(seq: seq, eventID: id, reason: "a stored kind or date is not valid"))
        }
        let data: EventData
        do {
            data = try EventDecoder.decodeStoredData(dataText, kind: kind)
        } catch {
            throw LedgerError.integrity(IntegrityFailure(seq: seq, eventID: id, reason: "stored data does not read back: \(error)"))
        }
        let event = Event(id: id, kind: kind, occurredOn: occurredOn, source: source, worker: worker.map { .pseudonym($0) },
                          employer: employer, data: data)
        return StoredEvent(storedSeq: seq, event: event, recordedAt: recordedAt, operatorName: operatorName)
    }
}
