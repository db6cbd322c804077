import Foundation
import GRDB
import SkillsDomain

/// What `verify` found when the ledger is sound.
public struct VerifyReport: Sendable {
    public var digest: LedgerDigest
    public var eventsChecked: Int64
}

extension LedgerStore {
    /// The triggers that make the events table append-only; `verify` fails if any is gone.
    static let guardTriggers = ["events_are_never_updated", "events_are_never_deleted", "events_are_appended_in_order"]

    /// Recomputes the whole chain from the stored columns and checks that the append-only guards are in place.
    /// Throws `LedgerError.integrity` naming the first event that does not match.
    public func verify(progress: ((Int64) -> Void)? = nil) throws -> VerifyReport {
        try mapBusy {
            try writer.read { db in
                try checkGuards(db)
                var expectedSeq: Int64 = 1
                var previous = Envelope.genesis
                var lastID: String?
                let rows = try Row.fetchCursor(db, sql: """
                    SELECT seq, id, kind, occurred_on, source, worker, employer, data, recorded_at, operator, prev_hash, hash
                    FROM events ORDER BY seq
                    """)
                while let row = try rows.next() {
                    let seq: Int64 = row[0]
                    let id: String = row[1]
                    func fail(_ reason: String) -> LedgerError {
                        .integrity(IntegrityFailure(seq: seq, eventID: id, reason: reason))
                    }
                    guard seq == expectedSeq else {
                        throw LedgerError.integrity(IntegrityFailure(seq: expectedSeq, eventID: nil,
                            reason: "event missing: the next stored sequence number is \(seq) (after \(lastID ?? "the start"))"))
                    }
                    guard let prevHash = row[10] as Data?, let storedHash = row[11] as Data?,
                          let dataText = row[7] as String? else { throw fail("a chain column is missing or not of its type") }
                    guard prevHash == previous else { throw fail("prev_hash does not equal the hash of the event before it") }
                    let envelope = Envelope(seq: seq, id: id, kind: row[2], occurredOn: row[3], source: row[4], worker: row[5],
                                            employer: row[6], data: Array(dataText.utf8), recordedAt: row[8], operatorName: row[9])
                    guard envelope.hash(previous: previous) == storedHash else {
                        throw fail("the stored content does not match its hash (the event was changed after it was recorded)")
                    }
                    previous = storedHash
                    lastID = id
                    expectedSeq += 1
                    if seq % 100_000 == 0 { progress?(seq) }
                }
                return VerifyReport(digest: LedgerDigest(count: expectedSeq - 1, headHash: previous.hexString), eventsChecked: expectedSeq - 1)
            }
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
