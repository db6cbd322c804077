import Foundation
import Ledger
import PostgresNIO
import SkillsDomain

/// Copies between a SQLite ledger and this one, rows as stored (Ledger's `RawEvent`, `RawPerson`, `AccessTokenRecord`,
/// `RawIdempotentAnswer`), never re-chained: `migrate` copies a SQLite ledger in (`copyIn`), `backup` copies this one
/// out to a new SQLite file. Both go a page of rows at a time, so memory stays flat whatever the ledger's size.
extension PostgresLedgerStore {
    /// Copies the SQLite ledger `source` into this one (which must hold nothing: no event, person, token or answer),
    /// events up to `digest` (the source's, taken when it was verified) in one transaction: the events with their seq,
    /// recording time, operator and hashes, the registry rows with their seals, the tokens, the idempotency answers,
    /// then `chain_head`. Before it commits, the copy is verified in full on the same connection (the chain, the head,
    /// the guards, the settings, the sealed registry) and its digest compared with `digest`: anything else rolls back.
    /// - Parameters:
    ///   - copied: told the events copied so far, now and then.
    ///   - verified: told the events verified so far, now and then.
    /// - Throws: `LedgerError.refused` for a target that is not empty or was created with another pseudonym key
    ///   (nothing written), `.integrity` if the copy does not verify or its digest differs (rolled back).
    package func copyIn(from source: LedgerStore, through digest: LedgerDigest,
                        copied: ((Int64) -> Void)?, verified: ((Int64) -> Void)?) async throws -> CopyReport {
        guard source.pseudonymKey == pseudonymKey else {
            throw LedgerError.refused("the ledger at \(location) was created with another pseudonym key than \(source.path): "
                + "migrate copies into a new database (or one whose ledger it created), so that people keep their pseudonyms; nothing was written")
        }
        let logger = Self.logger
        return try await transaction { connection in
            _ = try await connection.watchedQuery("SELECT seq FROM chain_head FOR UPDATE", logger: logger).collect()
            try await refuseUnlessEmpty(connection)

            var last: Int64 = 0
            while last < digest.count {
                let page = try source.rawEvents(after: last, through: digest.count)
                guard let end = page.last?.seq else { break }
                try await Self.insert(page, into: connection)
                last = end
                copied?(last)
            }
            var people = 0
            var after: String?
            while true {
                let page = try source.rawPersons(after: after)
                guard let end = page.last?.pseudonym else { break }
                try await Self.insert(page, into: connection)
                people += page.count
                after = end
            }
            let tokens = try source.accessTokens()
            try await Self.insert(tokens, into: connection)
            var answers = 0
            var position: (tokenName: String, key: String)?
            while true {
                let page = try source.rawIdempotentAnswers(after: position)
                guard let end = page.last else { break }
                try await Self.insert(page, into: connection)
                answers += page.count
                position = (end.tokenName, end.key)
            }
            if digest.count > 0, let head = Data(hex: digest.headHash) {
                _ = try await connection.watchedQuery("UPDATE chain_head SET seq = \(digest.count), hash = \(head)", logger: logger).collect()
            }

            // Fresh statistics first: the registry checks join persons with events, and on tables filled in this
            // very transaction the planner, knowing nothing of them, chose a nested scan per person (seen at 720k events).
            _ = try await connection.watchedQuery("ANALYZE events", logger: logger).collect()
            _ = try await connection.watchedQuery("ANALYZE persons", logger: logger).collect()
            let report = try await checkChain(connection, progress: verified)
            try await checkGrantFacts(connection)
            try await checkHead(connection, report.digest)
            try await checkGuards(connection)
            try await checkMeta(connection)
            try await checkRegistry(connection)
            guard report.digest == digest else {
                throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
                    reason: "the copy at \(location) has digest \(report.digest), not the source's \(digest): rolled back, nothing was written"))
            }
            return CopyReport(source: source.path, target: location, events: report.eventsChecked, people: people,
                              tokens: tokens.count, idempotentAnswers: answers, digest: report.digest)
        }
    }

    /// A copy lands only in an empty ledger: anything there already would mix two ledgers' histories.
    func refuseUnlessEmpty(_ connection: PostgresConnection) async throws {
        for try await (events, persons, tokens, answers) in try await connection.watchedQuery("""
            SELECT (SELECT count(*) FROM events), (SELECT count(*) FROM persons), (SELECT count(*) FROM access_tokens),
                   (SELECT count(*) FROM idempotency_keys)
            """, logger: Self.logger).decode((Int64, Int64, Int64, Int64).self) where events + persons + tokens + answers > 0 {
            throw LedgerError.refused("the ledger at \(location) is not empty (\(events) events, \(persons) people, \(tokens) tokens, "
                + "\(answers) idempotency answers): migrate copies only into an empty ledger; nothing was written")
        }
    }

    // MARK: Backup to a SQLite file

    /// Copies the ledger, as it stands in one REPEATABLE READ snapshot, into a new SQLite file at `path`: written
    /// under a temporary name, verified in full and its digest compared with the snapshot's (`LedgerStore.checkBackup`),
    /// then renamed into place. The file is a standalone ledger with the same pseudonym key: anyone can `verify` it.
    public func backup(to path: String) async throws -> BackupReport {
        guard !FileManager.default.fileExists(atPath: path) else {
            throw LedgerError.refused("\(path) exists already: a backup never overwrites a file; choose a new name")
        }
        let partial = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        defer { Self.removeSQLiteFiles(partial) }
        let key = pseudonymKey
        let logger = Self.logger
        let digest: LedgerDigest = try await snapshot { connection in
            var createdAt: String?
            for try await value in try await connection.watchedQuery(
                "SELECT value FROM ledger_meta WHERE key = 'created_at'", logger: logger).decode(Data.self) {
                createdAt = String(decoding: value, as: UTF8.self)
            }
            let file = try RawLedgerFile(creatingAt: partial, pseudonymKey: key, createdAt: createdAt)
            var digest = LedgerDigest(count: 0, headHash: Envelope.genesis.hexString)
            var events: [RawEvent] = []
            for try await row in try await connection.watchedQuery("""
                SELECT seq, id, kind, occurred_on, source, worker, employer, data, recorded_at, operator, prev_hash, hash FROM events ORDER BY seq
                """, logger: logger).decode((Int64, String, String, String, String, String?, String?, String, String, String, Data, Data).self) {
                events.append(RawEvent(seq: row.0, id: row.1, kind: row.2, occurredOn: row.3, source: row.4, worker: row.5, employer: row.6,
                                       data: row.7, recordedAt: row.8, operatorName: row.9, prevHash: row.10, hash: row.11))
                digest = LedgerDigest(count: row.0, headHash: row.11.hexString)
                if events.count == RawCopy.pageSize { try file.write(events: events); events.removeAll(keepingCapacity: true) }
            }
            try file.write(events: events)
            var persons: [RawPerson] = []
            for try await row in try await connection.watchedQuery("""
                SELECT pseudonym, citizen_id, name, erased_at, erase_reason, seal FROM persons ORDER BY pseudonym
                """, logger: logger).decode((String, String?, String?, String?, String?, Data?).self) {
                persons.append(RawPerson(pseudonym: row.0, citizenID: row.1, name: row.2, erasedAt: row.3, eraseReason: row.4, seal: row.5))
                if persons.count == RawCopy.pageSize { try file.write(persons: persons); persons.removeAll(keepingCapacity: true) }
            }
            try file.write(persons: persons)
            try file.write(tokens: try await Self.accessTokens(connection))
            var answers: [RawIdempotentAnswer] = []
            for try await row in try await connection.watchedQuery("""
                SELECT token_name, key, request_sha256, status, content_type, body, recorded_at FROM idempotency_keys ORDER BY token_name, key
                """, logger: logger).decode((String, String, Data, Int32, String, Data, String).self) {
                answers.append(RawIdempotentAnswer(tokenName: row.0, key: row.1, response: IdempotentResponse(requestSHA256: row.2,
                    status: Int(row.3), contentType: row.4, body: row.5), recordedAt: row.6))
                if answers.count == RawCopy.pageSize { try file.write(answers: answers); answers.removeAll(keepingCapacity: true) }
            }
            try file.write(answers: answers)
            try file.finish()
            return digest
        }
        try LedgerStore.checkBackup(at: partial, expecting: digest)
        try FileManager.default.moveItem(atPath: partial, toPath: path)
        return BackupReport(copiedTo: path, digest: digest)
    }

    static func removeSQLiteFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    // MARK: Multi-row inserts of rows as stored

    /// One multi-row INSERT of `rows` (at most a page: 12 parameters an event, well under the protocol's 65,535); the
    /// order trigger checks each event takes the next seq and links to the hash before it, which a copy satisfies.
    /// The grants among them get their grant facts in the same transaction.
    static func insert(_ rows: [RawEvent], into connection: PostgresConnection) async throws {
        try await insert(rows, table: "events (seq, id, kind, occurred_on, source, worker, employer, data, recorded_at, operator, prev_hash, hash)",
                         columns: 12, into: connection) { binds, event in
            let row = event.envelope
            binds.append(row.seq)
            binds.append(row.id)
            binds.append(row.kind)
            binds.append(row.occurredOn)
            binds.append(row.source)
            binds.append(row.worker)
            binds.append(row.employer)
            binds.append(event.dataText)
            binds.append(row.recordedAt)
            binds.append(row.operatorName)
            try binds.append(event.prevHash)
            try binds.append(event.hash)
        }
        let grants = rows.filter { $0.envelope.kind == EventKind.subsidyGranted.rawValue }
        try await insertGrantFacts(of: grants.map { ($0.envelope.seq, $0.envelope.id, $0.dataText) }, into: connection)
    }

    /// `onConflict`: what a row whose pseudonym is already held does (an append's registrations); nothing for a copy
    /// into an empty ledger, where a conflict is an error.
    static func insert(_ rows: [RawPerson], onConflict: String = "", into connection: PostgresConnection) async throws {
        try await insert(rows, table: "persons (pseudonym, citizen_id, name, erased_at, erase_reason, seal)", columns: 6,
                         onConflict: onConflict, into: connection) { binds, row in
            binds.append(row.pseudonym)
            binds.append(row.citizenID)
            binds.append(row.name)
            binds.append(row.erasedAt)
            binds.append(row.eraseReason)
            try binds.append(row.seal)
        }
    }

    static func insert(_ rows: [AccessTokenRecord], into connection: PostgresConnection) async throws {
        try await insert(rows, table: "access_tokens (name, token_sha256, role, scope, created_at, last_used_at, revoked_at)", columns: 7,
                         into: connection) { binds, row in
            binds.append(row.name)
            try binds.append(row.tokenSHA256)
            binds.append(row.role.rawValue)
            binds.append(row.scope)
            binds.append(row.createdAt)
            binds.append(row.lastUsedAt)
            binds.append(row.revokedAt)
        }
    }

    static func insert(_ rows: [RawIdempotentAnswer], into connection: PostgresConnection) async throws {
        try await insert(rows, table: "idempotency_keys (token_name, key, request_sha256, status, content_type, body, recorded_at)", columns: 7,
                         into: connection) { binds, row in
            binds.append(row.tokenName)
            binds.append(row.key)
            try binds.append(row.response.requestSHA256)
            binds.append(Int32(clamping: row.response.status))
            binds.append(row.response.contentType)
            try binds.append(row.response.body)
            binds.append(row.recordedAt)
        }
    }

    static func insert<Row>(_ rows: [Row], table: String, columns: Int, onConflict: String = "", into connection: PostgresConnection,
                            bind: (inout PostgresBindings, Row) throws -> Void) async throws {
        guard !rows.isEmpty else { return }
        var sql = "INSERT INTO \(table) VALUES "
        var binds = PostgresBindings(capacity: rows.count * columns)
        for (index, row) in rows.enumerated() {
            let base = index * columns
            sql += (index == 0 ? "(" : ", (") + (1...columns).map { "$\(base + $0)" }.joined(separator: ", ") + ")"
            try bind(&binds, row)
        }
        if !onConflict.isEmpty { sql += " " + onConflict }
        _ = try await connection.watchedQuery(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger).collect()
    }
}
