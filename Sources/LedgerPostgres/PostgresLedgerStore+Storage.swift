import Foundation
import Ledger
import PostgresNIO
import SkillsDomain

/// The reads, integrity checks and registry look-ups that work on PostgreSQL today. The rest of `LedgerStorage` is in
/// PostgresLedgerStore+NotYet.swift and refuses clearly.
extension PostgresLedgerStore: LedgerStorage {
    // MARK: People

    public func pseudonym(for citizen: CitizenID) -> String {
        keyed.pseudonym(of: citizen.value)
    }

    public func pseudonym(forInput text: String) async throws -> String {
        switch try EventDecoder.personRef(text) {
        case .citizen(let id): pseudonym(for: id)
        case .pseudonym(let token): token
        }
    }

    public func registryEntry(pseudonym: String) async throws -> RegistryEntry? {
        try await snapshot { connection in
            var entry: RegistryEntry?
            for try await (pseudonym, citizen, name, erasedAt) in try await connection.watchedQuery(
                "SELECT pseudonym, citizen_id, name, erased_at FROM persons WHERE pseudonym = \(pseudonym)", logger: Self.logger
            ).decode((String, String?, String?, String?).self) {
                entry = RegistryEntry(registered: pseudonym, citizenID: citizen, name: name, erasedAt: erasedAt)
            }
            return entry
        }
    }

    public func identities(of pseudonyms: [String]) async throws -> [String: String] {
        let wanted = Array(Set(pseudonyms.filter(PersonRef.isPseudonym)))
        guard !wanted.isEmpty else { return [:] }
        return try await snapshot { connection in
            var result: [String: String] = [:]
            for try await (pseudonym, citizen) in try await connection.watchedQuery(
                "SELECT pseudonym, citizen_id FROM persons WHERE pseudonym = ANY(\(wanted)) AND citizen_id IS NOT NULL", logger: Self.logger
            ).decode((String, String).self) {
                result[pseudonym] = citizen
            }
            return result
        }
    }

    public func registeredPeople() async throws -> Int {
        try await snapshot { connection in
            var count: Int64 = 0
            for try await value in try await connection.watchedQuery("SELECT count(*) FROM persons", logger: Self.logger).decode(Int64.self) {
                count = value
            }
            return Int(count)
        }
    }

    // MARK: Reading

    public func event(id: String) async throws -> StoredEvent? {
        try await snapshot { connection in try await Self.event(id: id, connection) }
    }

    static func event(id: String, _ connection: PostgresConnection) async throws -> StoredEvent? {
        var found: StoredEvent?
        for try await columns in try await connection.watchedQuery(
            "SELECT \(unescaped: eventColumns) FROM events WHERE id = \(id)", logger: logger
        ).decode(EventColumns.self) {
            found = try storedEvent(columns)
        }
        return found
    }

    /// Streams in recording order: postgres-nio's row sequence applies back-pressure, so memory follows a row.
    public func forEachEvent(kinds: Set<EventKind>?, _ body: (StoredEvent) throws -> Void) async throws {
        try await snapshot { connection in
            let query: PostgresQuery = if let kinds {
                "SELECT \(unescaped: Self.eventColumns) FROM events WHERE kind = ANY(\(kinds.map(\.rawValue).sorted())) ORDER BY seq"
            } else {
                "SELECT \(unescaped: Self.eventColumns) FROM events ORDER BY seq"
            }
            for try await columns in try await connection.watchedQuery(query, logger: Self.logger).decode(EventColumns.self) {
                try body(Self.storedEvent(columns))
            }
        }
    }

    public func closedPeriods() async throws -> ClosedPeriods {
        try await snapshot { connection in try await Self.closedPeriods(connection) }
    }

    // MARK: Integrity

    /// Recomputes the whole chain from the stored columns with the same envelope as SQLite, then checks the head row,
    /// the append-only triggers, the settings and the sealed registry, in one snapshot.
    public func verify(progress: ((Int64) -> Void)?) async throws -> VerifyReport {
        try await snapshot { connection in
            let report = try await checkChain(connection, progress: progress)
            try await checkGrantFacts(connection)
            try await checkHead(connection, report.digest)
            try await checkGuards(connection)
            try await checkMeta(connection)
            try await checkRegistry(connection)
            return report
        }
    }

    public func verify(extending published: LedgerDigest) async throws -> VerifyReport {
        let report = try await verify(progress: nil)
        guard published.count <= report.digest.count else {
            throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
                reason: "the published digest counts \(published.count) events but the ledger holds only \(report.digest.count): events were removed"))
        }
        if published.count == 0 { return report }
        let hash: Data? = try await snapshot { connection in
            var hash: Data?
            for try await value in try await connection.watchedQuery(
                "SELECT hash FROM events WHERE seq = \(published.count)", logger: Self.logger
            ).decode(Data.self) {
                hash = value
            }
            return hash
        }
        guard hash?.hexString == published.headHash else {
            throw LedgerError.integrity(IntegrityFailure(seq: published.count, eventID: nil,
                reason: "the hash at seq \(published.count) is \(hash?.hexString ?? "missing"), not the published \(published.headHash): history was rewritten"))
        }
        return report
    }

    /// The event count and head hash, without verifying: the last event's, as SQLite reads it.
    public func digest() async throws -> LedgerDigest {
        try await snapshot { connection in
            var digest = LedgerDigest(count: 0, headHash: Envelope.genesis.hexString)
            for try await (seq, hash) in try await connection.watchedQuery(
                "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1", logger: Self.logger
            ).decode((Int64, Data).self) {
                digest = LedgerDigest(count: seq, headHash: hash.hexString)
            }
            return digest
        }
    }
}

// MARK: Checks made by verify

extension PostgresLedgerStore {
    /// The triggers that keep events append-only (Schema.sql); `verify` fails if one is gone or disabled.
    static let guardTriggers = ["events_are_appended_in_order", "events_are_never_deleted", "events_are_never_truncated", "events_are_never_updated"]

    func checkChain(_ connection: PostgresConnection, progress: ((Int64) -> Void)?) async throws -> VerifyReport {
        var expectedSeq: Int64 = 1
        var previous = Envelope.genesis
        var lastID: String?
        let rows = try await connection.watchedQuery("""
            SELECT seq, id, kind, occurred_on, source, worker, employer, data, recorded_at, operator, prev_hash, hash
            FROM events ORDER BY seq
            """, logger: Self.logger)
        for try await (seq, id, kind, occurredOn, source, worker, employer, data, recordedAt, operatorName, prevHash, storedHash) in rows.decode(
            (Int64, String, String, String, String, String?, String?, String, String, String, Data, Data).self) {
            guard seq == expectedSeq else {
                throw LedgerError.integrity(IntegrityFailure(seq: expectedSeq, eventID: nil,
                    reason: "event missing: the next stored sequence number is \(seq) (after \(lastID ?? "the start"))"))
            }
            let envelope = Envelope(seq: seq, id: id, kind: kind, occurredOn: occurredOn, source: source, worker: worker, employer: employer,
                                    data: Array(data.utf8), recordedAt: recordedAt, operatorName: operatorName)
            guard prevHash == previous else {
                throw LedgerError.integrity(IntegrityFailure(seq: seq, eventID: id, reason: "prev_hash does not equal the hash of the event before it"))
            }
            guard envelope.hash(previous: previous) == storedHash else {
                throw LedgerError.integrity(IntegrityFailure(seq: seq, eventID: id,
                    reason: "the stored content does not match its hash (the event was changed after it was recorded)"))
            }
            previous = storedHash
            lastID = id
            expectedSeq += 1
            if expectedSeq % 100_000 == 1 { progress?(expectedSeq - 1) }
        }
        return VerifyReport(verified: LedgerDigest(count: expectedSeq - 1, headHash: previous.hexString), eventsChecked: expectedSeq - 1)
    }

    /// The lock row must name the last event: a head behind or ahead of the chain means rows were added or removed
    /// around the store.
    func checkHead(_ connection: PostgresConnection, _ digest: LedgerDigest) async throws {
        var head: (Int64, Data)?
        for try await row in try await connection.watchedQuery("SELECT seq, hash FROM chain_head", logger: Self.logger).decode((Int64, Data).self) {
            head = row
        }
        // A view as of a day ends before the head when events were recorded after its day: the head must then be ahead.
        if bound != nil, let head, head.0 > digest.count { return }
        guard let head, head.0 == digest.count, head.1.hexString == digest.headHash else {
            throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
                reason: "chain_head says \(head.map { "\($0.0):\($0.1.hexString)" } ?? "nothing") but the chain ends at \(digest)"))
        }
    }

    func checkGuards(_ connection: PostgresConnection) async throws {
        var present: Set<String> = []
        for try await name in try await connection.watchedQuery("""
            SELECT tgname::text FROM pg_trigger WHERE tgrelid = \(unescaped: eventsTable)::regclass AND NOT tgisinternal AND tgenabled <> 'D'
            """, logger: Self.logger).decode(String.self) {
            present.insert(name)
        }
        let missing = Self.guardTriggers.filter { !present.contains($0) }
        guard missing.isEmpty else {
            throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
                reason: "the append-only guard trigger(s) \(missing.joined(separator: ", ")) were removed from the database or disabled"))
        }
    }

    func checkMeta(_ connection: PostgresConnection) async throws {
        var meta: [String: Data] = [:]
        for try await (key, value) in try await connection.watchedQuery("SELECT key, value FROM ledger_meta", logger: Self.logger).decode((String, Data).self) {
            meta[key] = value
        }
        let format = meta["format"].map { String(decoding: $0, as: UTF8.self) }
        guard format == LedgerStore.formatName else {
            throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
                reason: "ledger_meta says the format is \(format.map { "\"\($0)\"" } ?? "nothing"), not \(LedgerStore.formatName)"))
        }
        guard meta["pseudonym_key"] == pseudonymKey else {
            throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil, reason: "the pseudonym key in ledger_meta changed while the ledger was open"))
        }
    }

    /// Every registry row sealed and consistent, and a row for every person the chain names (SQLite's checks).
    func checkRegistry(_ connection: PostgresConnection) async throws {
        // Set-based (two hash passes): as NOT EXISTS subqueries under LIMIT 1, the payee one (no index) was scanned
        // once per person, and at 100,000 people and 720,646 events the check ran for many minutes.
        for try await stranger in try await connection.watchedQuery("""
            SELECT pseudonym COLLATE "C" FROM persons
            EXCEPT SELECT worker FROM events WHERE worker IS NOT NULL
            EXCEPT SELECT ((data::jsonb) ->> 'payee') COLLATE "C" FROM events WHERE kind IN ('subsidy.granted', 'subsidy.paid')
            LIMIT 1
            """, logger: Self.logger).decode(String.self) {
            throw registryFailure(stranger, "no event in the chain names this pseudonym (a person was added behind the ledger's back)")
        }
        for try await missing in try await connection.watchedQuery("""
            SELECT worker FROM events WHERE worker IS NOT NULL AND NOT EXISTS (SELECT 1 FROM persons WHERE pseudonym = events.worker)
            UNION ALL SELECT (data::jsonb) ->> 'payee' FROM events
                WHERE kind IN ('subsidy.granted', 'subsidy.paid') AND (data::jsonb) ->> 'payee' LIKE 'ps\\_%'
                  AND NOT EXISTS (SELECT 1 FROM persons WHERE pseudonym = (events.data::jsonb) ->> 'payee')
            LIMIT 1
            """, logger: Self.logger).decode(String.self) {
            throw registryFailure(missing, "the chain names this person but the registry has no row for them (a row was deleted behind the ledger's back)")
        }
        for try await (pseudonym, citizen, name, erasedAt, reason, seal) in try await connection.watchedQuery("""
            SELECT pseudonym, citizen_id, name, erased_at, erase_reason, seal FROM persons ORDER BY pseudonym
            """, logger: Self.logger).decode((String, String?, String?, String?, String?, Data?).self) {
            guard PersonRef.isPseudonym(pseudonym) else { throw registryFailure(pseudonym, "a pseudonym that is not ps_ and 32 hex digits") }
            guard seal == LedgerStore.registrySeal(keyed: keyed, [pseudonym, citizen, name, erasedAt, reason]) else {
                throw registryFailure(pseudonym, seal == nil ? "the row has no seal"
                                      : "the row does not match its seal (a name or ID number was changed behind the ledger's back)")
            }
            if let citizen {
                guard let id = try? CitizenID(citizen), self.pseudonym(for: id) == pseudonym else {
                    throw registryFailure(pseudonym, "the 公民身份号码 stored for it is not the one its pseudonym stands for")
                }
            } else if name != nil || erasedAt == nil {
                throw registryFailure(pseudonym, "an erased row must keep no name and say when it was erased")
            }
        }
    }

    func registryFailure(_ pseudonym: String, _ reason: String) -> LedgerError {
        .integrity(IntegrityFailure(seq: nil, eventID: nil, reason: "personal-data registry, \(pseudonym): \(reason)"))
    }
}
