import Foundation
import GRDB
import SkillsDomain

/// What `verify` found when the ledger is sound.
public struct VerifyReport: Sendable {
    /// The event count and head hash of the chain that was verified.
    public var digest: LedgerDigest
    /// How many events' hashes were recomputed.
    public var eventsChecked: Int64
}

extension VerifyReport {
    /// What another backend's `verify` found (`LedgerPostgres`); in an extension, so the memberwise init stays.
    package init(verified digest: LedgerDigest, eventsChecked: Int64) {
        self.init(digest: digest, eventsChecked: eventsChecked)
    }
}

extension LedgerStore {
    /// The triggers that make the events table append-only; `verify` fails if any is gone.
    static let guardTriggers = ["events_are_never_updated", "events_are_never_deleted", "events_are_appended_in_order"]

    /// Recomputes the whole chain from the stored columns, then checks everything beside it: the append-only guards
    /// and the rest of the schema, the settings, the sealed personal-data registry, and SQLite's own integrity check
    /// of the file. Throws `LedgerError.integrity` naming the first event (or the part) that does not match; a file
    /// damaged so badly that SQLite cannot read it is an integrity failure too.
    public func verify(progress: ((Int64) -> Void)? = nil) throws -> VerifyReport {
        try mapDamage {
            try mapBusy {
                try writer.read { db in
                    // The registry's cross-checks look every worker up in `persons` and `integrity_check` every row
                    // up in each index: random reads that, at a million workers, SQLite's default 2 MiB page cache
                    // sends to the operating system again and again. Pages are only taken as they are used, and
                    // given back below.
                    try db.execute(sql: "PRAGMA cache_size = -\(LedgerStore.verifyCacheKibibytes)")
                    defer { try? LedgerStore.givePageCacheBack(db) }
                    let report = try checkChain(db, progress: progress)
                    try checkGuards(db)
                    try checkSchema(db)
                    try checkMeta(db)
                    try checkRegistry(db)
                    try checkFile(db)
                    return report
                }
            }
        }
    }

    /// Puts a connection back to SQLite's default 2 MiB page cache and frees what it held above that, after a batch
    /// or `verify` took a larger one: what the process does next should not carry it.
    static func givePageCacheBack(_ db: Database) throws {
        try db.execute(sql: "PRAGMA cache_size = -2000")
        try db.execute(sql: "PRAGMA shrink_memory")
    }

    /// The page cache of `verify`: 96 MiB, within the memory bound at a million workers (the registry and its
    /// index fit; the event indexes mostly do).
    static let verifyCacheKibibytes = 96 * 1024

    /// A file SQLite finds malformed is reported as what it is for a ledger: an integrity failure (exit 3).
    func mapDamage<T>(_ body: () throws -> T) throws -> T {
        do { return try body() } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT || error.resultCode == .SQLITE_NOTADB {
            throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
                reason: "the file is damaged: SQLite says \"\(error.message ?? "database disk image is malformed")\""))
        }
    }

    func checkChain(_ db: Database, progress: ((Int64) -> Void)?) throws -> VerifyReport {
        var expectedSeq: Int64 = 1
        var previous = Envelope.genesis
        var lastID: String?
        let rows = try Row.fetchCursor(db, sql: """
            SELECT seq, id, kind, occurred_on, source, worker, employer, data, recorded_at, operator, prev_hash, hash
            FROM events ORDER BY seq
            """)
        // The grant facts are checked in the same pass, against each grant as its hash has just proved it.
        var grantFacts = GrantFactsCheck(next: try LedgerStore.keptGrantFacts(db), report: { throw LedgerError.integrity($0) })
        while let row = try rows.next() {
            // Decoded with `try`: a damaged file can hold a NULL or another type where the schema allows none, and
            // that must be reported, not trap.
            let seq = try? row.decode(Int64.self, atIndex: 0)
            let id = try? row.decode(String.self, atIndex: 1)
            func fail(_ reason: String) -> LedgerError {
                .integrity(IntegrityFailure(seq: seq ?? expectedSeq, eventID: id, reason: reason))
            }
            guard seq == expectedSeq else {
                throw LedgerError.integrity(IntegrityFailure(seq: expectedSeq, eventID: nil,
                    reason: "event missing: the next stored sequence number is \(seq.map(String.init) ?? "unreadable") (after \(lastID ?? "the start"))"))
            }
            guard let id, let envelope = Self.envelope(row, seq: expectedSeq, id: id),
                  let prevHash = try? row.decode(Data.self, atIndex: 10), let storedHash = try? row.decode(Data.self, atIndex: 11) else {
                throw fail("a column is missing or not of its type")
            }
            guard prevHash == previous else { throw fail("prev_hash does not equal the hash of the event before it") }
            guard envelope.hash(previous: previous) == storedHash else {
                throw fail("the stored content does not match its hash (the event was changed after it was recorded)")
            }
            if envelope.kind == EventKind.subsidyGranted.rawValue {
                try grantFacts.grant(seq: expectedSeq, id: id, data: String(decoding: envelope.data, as: UTF8.self))
            }
            previous = storedHash
            lastID = id
            expectedSeq += 1
            if expectedSeq % 100_000 == 1 { progress?(expectedSeq - 1) }
        }
        try grantFacts.finish()
        return VerifyReport(digest: LedgerDigest(count: expectedSeq - 1, headHash: previous.hexString), eventsChecked: expectedSeq - 1)
    }

    /// The envelope of a stored row, or nil when a column cannot be read as its type.
    static func envelope(_ row: Row, seq: Int64, id: String) -> Envelope? {
        do {
            return Envelope(seq: seq, id: id, kind: try row.decode(atIndex: 2), occurredOn: try row.decode(atIndex: 3),
                            source: try row.decode(atIndex: 4), worker: try row.decode(String?.self, atIndex: 5),
                            employer: try row.decode(String?.self, atIndex: 6), data: Array(try row.decode(String.self, atIndex: 7).utf8),
                            recordedAt: try row.decode(atIndex: 8), operatorName: try row.decode(atIndex: 9))
        } catch {
            return nil
        }
    }

    func checkGuards(_ db: Database) throws {
        let present = try Set(String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'trigger'"))
        let missing = LedgerStore.guardTriggers.filter { !present.contains($0) }
        guard missing.isEmpty else {
            throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
                reason: "the append-only guard trigger(s) \(missing.joined(separator: ", ")) were removed from the database"))
        }
    }

    /// Checks that the ledger still extends a digest published earlier: the chain verifies, and the event at
    /// `published.count` still has the published hash. Catches a history rewritten consistently from the start.
    public func verify(extending published: LedgerDigest) throws -> VerifyReport {
        let report = try verify()
        guard published.count <= report.digest.count else {
            throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
                reason: "the published digest counts \(published.count) events but the ledger holds only \(report.digest.count): events were removed"))
        }
        if published.count == 0 { return report }
        let hash = try read { db in
            try Data.fetchOne(db, sql: "SELECT hash FROM events WHERE seq = ?", arguments: [published.count])
        }
        guard hash?.hexString == published.headHash else {
            throw LedgerError.integrity(IntegrityFailure(seq: published.count, eventID: nil,
                reason: "the hash at seq \(published.count) is \(hash?.hexString ?? "missing"), not the published \(published.headHash): history was rewritten"))
        }
        return report
    }

    /// The event count and head hash, without verifying (`digest`).
    public func digest() throws -> LedgerDigest {
        try read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1") else {
                return LedgerDigest(count: 0, headHash: Envelope.genesis.hexString)
            }
            return LedgerDigest(count: row[0], headHash: (row[1] as Data).hexString)
        }
    }
}
