import Crypto
import Foundation
import GRDB
@testable import Ledger
import LedgerTesting
import SkillsDomain
import Testing

@Suite("hash chain and tamper detection")
struct ChainTests {
    @Test("verify recomputes every event and returns the digest")
    func verifyPasses() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.all)
        let report = try ledger.store.verify()
        #expect(report.eventsChecked == Int64(Story.all.count))
        #expect(report.digest == (try ledger.store.digest()))
        #expect(report.digest.description.hasPrefix("\(Story.all.count):"))
    }

    @Test("an empty ledger verifies, with the genesis hash as head")
    func emptyLedger() throws {
        let ledger = try TemporaryLedger()
        #expect(try ledger.store.verify().digest.description == "0:" + String(repeating: "0", count: 64))
    }

    @Test("each hash is SHA-256 of the previous hash and the canonical envelope, as an auditor recomputes it")
    func auditorRecomputes() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Array(Story.all.prefix(2)))
        let rows = try ledger.store.read { db in
            try Row.fetchAll(db, sql: "SELECT seq, id, kind, occurred_on, source, worker, employer, data, recorded_at, operator, prev_hash, hash FROM events ORDER BY seq")
        }
        var previous = Data(repeating: 0, count: 32)
        for row in rows {
            var members = [
                JSONMember("seq", .number(String(row["seq"] as Int64))), JSONMember("id", .string(row["id"])),
                JSONMember("kind", .string(row["kind"])), JSONMember("occurred_on", .string(row["occurred_on"])),
                JSONMember("source", .string(row["source"])), JSONMember("data", try JSONParser.parse(row["data"] as String)),
                JSONMember("recorded_at", .string(row["recorded_at"])), JSONMember("operator", .string(row["operator"])),
            ]
            if let worker = row["worker"] as String? { members.append(JSONMember("worker", .string(worker))) }
            if let employer = row["employer"] as String? { members.append(JSONMember("employer", .string(employer))) }
            let envelope = CanonicalJSONWriter.encode(.object(members))
            let expected = Data(SHA256.hash(data: previous + Data(envelope)))
            #expect(row["prev_hash"] as Data == previous)
            #expect(row["hash"] as Data == expected)
            previous = expected
        }
    }

    @Test("UPDATE and DELETE of events fail in the database itself, and so does an insert out of sequence")
    func triggersRefuse() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.all)
        let database = try DatabaseQueue(path: ledger.ledgerPath)
        for sql in ["UPDATE events SET source = '420300' WHERE seq = 1", "DELETE FROM events WHERE seq = 2", "DELETE FROM events",
                    "INSERT INTO events SELECT seq + 100, id || 'x', kind, occurred_on, source, worker, employer, data, recorded_at, operator, prev_hash, hash FROM events WHERE seq = 1"] {
            #expect {
                try database.write { db in try db.execute(sql: sql) }
            } throws: { error in
                (error as? DatabaseError)?.message?.contains("append-only") == true
            }
        }
        try database.close()
        #expect(try ledger.store.verify().eventsChecked == Int64(Story.all.count))
    }

    @Test("a stored byte changed behind the triggers' back makes verify fail, naming that event")
    func changedByte() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.all)
        let copy = try ledger.rawCopy("tampered.sqlite")
        try copy.database.write { db in
            try db.execute(sql: "DROP TRIGGER events_are_never_updated")
            try db.execute(sql: "UPDATE events SET data = replace(data, 'intermediate', 'senior') WHERE id = 'c-1'")
            try db.execute(sql: """
                CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
                BEGIN SELECT RAISE(ABORT, 'the ledger is append-only'); END
                """)
        }
        try copy.database.close()
        let failure = integrityFailure { _ = try LedgerStore.open(path: copy.path).verify() }
        #expect(failure?.seq == 5)
        #expect(failure?.eventID == "c-1")
        #expect(failure?.description.contains("integrity failure at seq 5 (event c-1)") == true)
        #expect(try ledger.store.verify().eventsChecked == Int64(Story.all.count), "the original is untouched")
    }

    @Test("a dropped guard trigger is itself an integrity failure")
    func droppedTrigger() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.all)
        let copy = try ledger.rawCopy("unguarded.sqlite")
        try copy.database.write { db in try db.execute(sql: "DROP TRIGGER events_are_never_deleted") }
        try copy.database.close()
        let failure = integrityFailure { _ = try LedgerStore.open(path: copy.path).verify() }
        #expect(failure?.reason.contains("events_are_never_deleted") == true)
    }

    @Test("a deleted row is found: the first missing sequence number is named")
    func deletedRow() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.all)
        let copy = try ledger.rawCopy("gap.sqlite")
        try copy.database.write { db in
            try db.execute(sql: "DROP TRIGGER events_are_never_deleted")
            try db.execute(sql: "DELETE FROM events WHERE seq = 3")
            try db.execute(sql: "CREATE TRIGGER events_are_never_deleted BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'no'); END")
        }
        try copy.database.close()
        let failure = integrityFailure { _ = try LedgerStore.open(path: copy.path).verify() }
        #expect(failure?.seq == 3)
        #expect(failure?.reason.contains("event missing") == true)
    }

    @Test("verify(extending:) accepts a ledger that grew from a published digest")
    func extendsPublishedDigest() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.registrations)
        let published = try ledger.store.digest()
        try ledger.add(Story.progress)
        #expect(try ledger.store.verify(extending: published).eventsChecked == Int64(Story.all.count))
        #expect(try ledger.store.verify(extending: LedgerDigest(count: 0, headHash: String(repeating: "0", count: 64))).eventsChecked > 0)
    }

    @Test("verify(extending:) catches a history rewritten consistently from the start")
    func catchesRewrittenHistory() throws {
        let original = try TemporaryLedger()
        try original.add(Story.all)
        let published = try original.store.digest()
        // The forger rebuilds a chain that verifies on its own, with one fact changed.
        let forged = try TemporaryLedger()
        var rewritten = Story.all
        rewritten[4] = Build.certificationAwarded("c-1", worker: Story.wang, level: .senior).submission()
        try forged.add(rewritten)
        #expect(try forged.store.verify().eventsChecked == Int64(Story.all.count))
        let failure = integrityFailure { _ = try forged.store.verify(extending: published) }
        #expect(failure?.seq == published.count)
        #expect(failure?.reason.contains("history was rewritten") == true)
    }

    @Test("verify(extending:) catches removed events")
    func catchesShorterLedger() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.registrations)
        let claim = LedgerDigest(count: 10, headHash: String(repeating: "a", count: 64))
        #expect(integrityFailure { _ = try ledger.store.verify(extending: claim) }?.reason.contains("events were removed") == true)
    }

    @Test("digests parse as COUNT:HASH and nothing else")
    func digestParsing() {
        let hash = String(repeating: "ab", count: 32)
        #expect(LedgerDigest(parsing: "12:" + hash)?.count == 12)
        #expect(LedgerDigest(parsing: "12:" + hash.uppercased())?.headHash == hash)
        for bad in ["12", "12:abc", "-1:" + hash, "x:" + hash, "12:" + hash + ":1", "12:" + String(repeating: "g", count: 64)] {
            #expect(LedgerDigest(parsing: bad) == nil, "\(bad)")
        }
    }
}
