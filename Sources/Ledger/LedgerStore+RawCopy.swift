import Foundation
import GRDB
import SkillsDomain

/// What a copy between backends carried (`skills-ledger migrate`): the rows of each table, and the digest both
/// ledgers print after it.
public struct CopyReport: Sendable, Equatable {
    /// The ledger copied from, and the one copied into (a URL without its password).
    public var source: String
    public var target: String
    /// Events copied, with their seq, recording time, operator and hashes as stored.
    public var events: Int64
    /// Registry rows copied, erased ones as they are.
    public var people: Int
    /// Service tokens copied, revoked ones included.
    public var tokens: Int
    /// Idempotency answers of the service copied.
    public var idempotentAnswers: Int
    /// The digest of both ledgers after the copy.
    public var digest: LedgerDigest

    public init(source: String, target: String, events: Int64, people: Int, tokens: Int, idempotentAnswers: Int, digest: LedgerDigest) {
        self.source = source
        self.target = target
        self.events = events
        self.people = people
        self.tokens = tokens
        self.idempotentAnswers = idempotentAnswers
        self.digest = digest
    }
}

// MARK: Rows as stored

/// An event row exactly as stored, hashes included: what a copy between backends carries, never re-chained.
package struct RawEvent {
    /// The hashed columns, `data` being the canonical JSON text as stored.
    package var envelope: Envelope
    package var prevHash: Data
    package var hash: Data

    package init(_ envelope: Envelope, prevHash: Data, hash: Data) {
        self.envelope = envelope
        self.prevHash = prevHash
        self.hash = hash
    }

    /// An event row from its twelve columns in table order (seq … operator, prev_hash, hash).
    package init(seq: Int64, id: String, kind: String, occurredOn: String, source: String, worker: String?, employer: String?,
                 data: String, recordedAt: String, operatorName: String, prevHash: Data, hash: Data) {
        self.init(Envelope(seq: seq, id: id, kind: kind, occurredOn: occurredOn, source: source, worker: worker, employer: employer,
                           data: Array(data.utf8), recordedAt: recordedAt, operatorName: operatorName), prevHash: prevHash, hash: hash)
    }

    package var seq: Int64 { envelope.seq }
    /// The stored data text.
    package var dataText: String { String(decoding: envelope.data, as: UTF8.self) }
}

/// A registry row as stored, with its seal (an erased row as it is).
package struct RawPerson: Sendable, Equatable {
    package var pseudonym: String
    package var citizenID: String?
    package var name: String?
    package var erasedAt: String?
    package var eraseReason: String?
    package var seal: Data?

    package init(pseudonym: String, citizenID: String?, name: String?, erasedAt: String?, eraseReason: String?, seal: Data?) {
        self.pseudonym = pseudonym
        self.citizenID = citizenID
        self.name = name
        self.erasedAt = erasedAt
        self.eraseReason = eraseReason
        self.seal = seal
    }
}

/// An idempotency answer's row as stored (`idempotency_keys`): the answer, whose token and key, when. (A service
/// token's row is an `AccessTokenRecord` as it stands.)
package struct RawIdempotentAnswer: Sendable, Equatable {
    package var tokenName: String
    package var key: String
    package var response: IdempotentResponse
    package var recordedAt: String

    package init(tokenName: String, key: String, response: IdempotentResponse, recordedAt: String) {
        self.tokenName = tokenName
        self.key = key
        self.response = response
        self.recordedAt = recordedAt
    }
}

/// How many rows a copy reads and writes at a time: memory follows a page, never the ledger.
package enum RawCopy {
    package static let pageSize = 1_000
}

// MARK: Reading a SQLite ledger's rows

extension LedgerStore {
    /// Events with `seq` in `after+1 ... through`, at most `limit`, in recording order.
    package func rawEvents(after seq: Int64, through last: Int64, limit: Int = RawCopy.pageSize) throws -> [RawEvent] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT seq, id, kind, occurred_on, source, worker, employer, data, recorded_at, operator, prev_hash, hash
                FROM events WHERE seq > ? AND seq <= ? ORDER BY seq LIMIT ?
                """, arguments: [seq, last, limit]).map { row in
                RawEvent(seq: row[0], id: row[1], kind: row[2], occurredOn: row[3], source: row[4], worker: row[5], employer: row[6],
                         data: row[7], recordedAt: row[8], operatorName: row[9], prevHash: row[10], hash: row[11])
            }
        }
    }

    /// Registry rows after `pseudonym` (all when nil), at most `limit`, in pseudonym order.
    package func rawPersons(after pseudonym: String?, limit: Int = RawCopy.pageSize) throws -> [RawPerson] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT pseudonym, citizen_id, name, erased_at, erase_reason, seal FROM persons
                WHERE pseudonym > ? ORDER BY pseudonym LIMIT ?
                """, arguments: [pseudonym ?? "", limit]).map { row in
                RawPerson(pseudonym: row[0], citizenID: row[1], name: row[2], erasedAt: row[3], eraseReason: row[4], seal: row[5])
            }
        }
    }

    /// Idempotency answers after `(tokenName, key)` (all when nil), at most `limit`, in that order.
    package func rawIdempotentAnswers(after position: (tokenName: String, key: String)?, limit: Int = RawCopy.pageSize) throws -> [RawIdempotentAnswer] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT token_name, key, request_sha256, status, content_type, body, recorded_at FROM idempotency_keys
                WHERE (token_name, key) > (?, ?) ORDER BY token_name, key LIMIT ?
                """, arguments: [position?.tokenName ?? "", position?.key ?? "", limit]).map { row in
                RawIdempotentAnswer(tokenName: row[0], key: row[1], response: IdempotentResponse(requestSHA256: row[2], status: row[3],
                                    contentType: row[4], body: row[5]), recordedAt: row[6])
            }
        }
    }

    /// When the ledger was created (`ledger_meta.created_at`), if it says.
    package func rawCreatedAt() throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT CAST(value AS TEXT) FROM ledger_meta WHERE key = 'created_at'") }
    }
}

// MARK: Writing a new SQLite ledger from rows

/// A new SQLite ledger file filled with rows copied from another backend (a PostgreSQL ledger's `backup`): the schema
/// as `LedgerStore.open(create:)` makes it, the given pseudonym key, then pages of rows as stored, each page one
/// transaction. The file is meant to be written under a temporary name and checked (`LedgerStore.checkBackup`)
/// before it is renamed into place: only then is it a ledger.
package final class RawLedgerFile {
    package let path: String
    let queue: DatabaseQueue

    /// Creates the file (which must not exist) with the schema, the key, the format and the creation time.
    package init(creatingAt path: String, pseudonymKey: Data, createdAt: String?) throws {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw LedgerError.refused("\(path) exists already: a copy never overwrites a file; choose a new name")
        }
        self.path = path
        var configuration = Configuration()
        configuration.busyMode = .timeout(TimeInterval(LedgerStore.busyTimeoutSeconds))
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = NORMAL") }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try LedgerStore.migrate(queue)
        try queue.write { db in
            try db.execute(sql: "INSERT INTO ledger_meta (key, value) VALUES ('pseudonym_key', ?), ('format', ?), ('created_at', ?)",
                           arguments: [pseudonymKey, LedgerStore.formatName, createdAt ?? Timestamp.now()])
        }
    }

    /// The next events of the chain, as stored (SQLite's order trigger checks each takes the next seq).
    package func write(events: [RawEvent]) throws {
        try queue.write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO events (seq, id, kind, occurred_on, source, worker, employer, data, recorded_at, operator, prev_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            let facts = SteppedStatement(try db.makeStatement(sql: LedgerStore.insertGrantFactsSQL))
            for event in events {
                let row = event.envelope
                try insert.execute(arguments: [row.seq, row.id, row.kind, row.occurredOn, row.source, row.worker, row.employer,
                                               event.dataText, row.recordedAt, row.operatorName, event.prevHash, event.hash])
                if row.kind == EventKind.subsidyGranted.rawValue {
                    try LedgerStore.writeGrantFacts(seq: row.seq, id: row.id, data: event.dataText, with: facts)
                }
            }
        }
    }

    /// Registry rows with their seals.
    package func write(persons: [RawPerson]) throws {
        try queue.write { db in
            let insert = try db.cachedStatement(sql: """
                INSERT INTO persons (pseudonym, citizen_id, name, erased_at, erase_reason, seal) VALUES (?, ?, ?, ?, ?, ?)
                """)
            for person in persons {
                try insert.execute(arguments: [person.pseudonym, person.citizenID, person.name, person.erasedAt, person.eraseReason, person.seal])
            }
        }
    }

    /// Service tokens' rows.
    package func write(tokens: [AccessTokenRecord]) throws {
        try queue.write { db in
            for token in tokens {
                try db.execute(sql: """
                    INSERT INTO access_tokens (name, token_sha256, role, scope, created_at, last_used_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [token.name, token.tokenSHA256, token.role.rawValue, token.scope, token.createdAt, token.lastUsedAt, token.revokedAt])
            }
        }
    }

    /// Idempotency answers' rows.
    package func write(answers: [RawIdempotentAnswer]) throws {
        try queue.write { db in
            for answer in answers {
                try db.execute(sql: """
                    INSERT INTO idempotency_keys (token_name, key, request_sha256, status, content_type, body, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [answer.tokenName, answer.key, answer.response.requestSHA256, answer.response.status,
                                       answer.response.contentType, answer.response.body, answer.recordedAt])
            }
        }
    }

    /// Makes the file durable and self-contained (the write-ahead log folded in) and closes it.
    package func finish() throws {
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
        try queue.close()
    }
}

extension BackupReport {
    /// A backup written by another backend (a PostgreSQL ledger's copy into a SQLite file).
    package init(copiedTo path: String, digest: LedgerDigest) { self.init(path: path, digest: digest) }
}
