import Foundation
import GRDB
import Intake
@testable import Ledger
import LedgerTesting
import SkillsDomain
import Testing

@Suite("pseudonymous registry, export and erase")
struct RegistryTests {
    @Test("the chain holds only pseudonyms; the registry maps them back to 公民身份号码 and names")
    func chainHoldsPseudonyms() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.all)
        let stored = try ledger.store.read { db in try String.fetchAll(db, sql: "SELECT worker || ' ' || data FROM events WHERE worker IS NOT NULL") }
        for text in stored {
            #expect(!text.contains(Story.wang.value) && !text.contains(Story.li.value) && !text.contains("王建国"))
            #expect(text.hasPrefix("ps_"))
        }
        let pseudonym = ledger.store.pseudonym(for: Story.wang)
        #expect(PersonRef.isPseudonym(pseudonym))
        #expect(try ledger.store.identities()[pseudonym] == Story.wang.value)
        #expect(try ledger.store.names()[pseudonym] == "王建国")
        #expect(try ledger.store.pseudonym(forInput: Story.wang.value) == pseudonym)
    }

    @Test("two ledgers give the same person different pseudonyms (the key is per ledger)")
    func keyedPerLedger() throws {
        let first = try TemporaryLedger()
        let second = try TemporaryLedger()
        #expect(first.store.pseudonym(for: Story.wang) != second.store.pseudonym(for: Story.wang))
        #expect(first.store.pseudonym(for: Story.wang) == first.store.pseudonym(for: Story.wang))
    }

    @Test("export, then submit into a fresh ledger: the same ids, the same content, the same names")
    func exportReimport() throws {
        let original = try TemporaryLedger()
        try original.submit(Repository.samples)
        try original.add([Build.eventReversed("r-extra", target: "sy-c-002").submission()])
        var lines: [String] = []
        try original.store.export { lines.append($0) }
        let exportFile = try original.file("export.jsonl", lines.joined(separator: "\n") + "\n")

        let copy = try TemporaryLedger()
        try copy.submit([exportFile])
        #expect(try contentByID(copy.store) == contentByID(original.store))
        #expect(try copy.store.digest().count == original.store.digest().count)
        #expect(try Set(copy.store.names().values) == Set(original.store.names().values))
        var order: [String] = []
        try copy.store.forEachEvent { order.append($0.event.id) }
        var originalOrder: [String] = []
        try original.store.forEachEvent { originalOrder.append($0.event.id) }
        #expect(order == originalOrder)
        // Submitting the export again records nothing new.
        try copy.submit([exportFile])
        #expect(try copy.store.digest().count == original.store.digest().count)
    }

    @Test("erase removes the 公民身份号码 and name from the registry and the file; the chain still verifies")
    func erase() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.all)
        let before = try ledger.store.verify().digest
        let pseudonym = try #require(try ledger.store.erase(citizen: Story.wang, reason: "本人申请删除 (PIPL art. 47)"))
        #expect(try ledger.store.verify().digest == before)
        #expect(try ledger.store.identities()[pseudonym] == nil)
        #expect(try ledger.store.names()[pseudonym] == nil)
        let entry = try #require(try ledger.store.registryEntry(pseudonym: pseudonym))
        #expect(entry.citizenID == nil && entry.name == nil && entry.erasedAt != nil)
        #expect(try ledger.store.events(person: pseudonym).map(\.event.id) == ["w-1", "t-1", "c-1"], "the history stays countable")
        #expect(try ledger.store.erase(citizen: Story.wang, reason: "again") == nil)

        for suffix in ["", "-wal"] {
            let bytes = (try? Data(contentsOf: URL(fileURLWithPath: ledger.ledgerPath + suffix))) ?? Data()
            #expect(bytes.range(of: Data(Story.wang.value.utf8)) == nil, "no trace of the number in ledger.sqlite\(suffix)")
            #expect(bytes.range(of: Data("王建国".utf8)) == nil, "no trace of the name in ledger.sqlite\(suffix)")
        }
    }

    @Test("resubmitting an old file after erase records nothing and does not bring the personal data back")
    func eraseSurvivesResubmission() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.all)
        let pseudonym = try #require(try ledger.store.erase(citizen: Story.wang, reason: "本人申请"))
        let again = try ledger.add(Story.all)
        #expect(again.recorded == 0)
        #expect(try ledger.store.identities()[pseudonym] == nil)
        #expect(try ledger.store.names()[pseudonym] == nil)
    }

    @Test("an erased person is exported under the pseudonym, and that export still submits")
    func exportAfterErase() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.all)
        let pseudonym = try #require(try ledger.store.erase(citizen: Story.wang, reason: "本人申请"))
        var lines: [String] = []
        try ledger.store.export { lines.append($0) }
        #expect(!lines.joined().contains(Story.wang.value))
        #expect(lines.first { $0.contains("\"w-1\"") }?.contains(pseudonym) == true)
        let copy = try TemporaryLedger()
        try copy.submit([try ledger.file("export.jsonl", lines.joined(separator: "\n") + "\n")])
        #expect(try copy.store.events(person: pseudonym).count == 3)
        #expect(try copy.store.verify().eventsChecked == Int64(Story.all.count))
    }

    @Test("a grant to a registered person by pseudonym leaves their row as it was; an unknown pseudonym gets a sealed row of its own")
    func payeesByPseudonym() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.all)
        let known = ledger.store.pseudonym(for: Story.wang)
        let unknown = "ps_" + String(repeating: "ab", count: 16)
        func rows() throws -> [String: [String?]] {
            try ledger.store.read { db in
                try Row.fetchAll(db, sql: "SELECT pseudonym, citizen_id, name, erased_at, erase_reason, hex(seal) FROM persons").reduce(into: [:]) { rows, row in
                    rows[row[0]] = (1..<6).map { index in row[index] as String? }
                }
            }
        }
        let before = try rows()
        try ledger.add([Build.subsidyGranted("g-known", payee: .person(.pseudonym(known))).submission(),
                        Build.subsidyGranted("g-unknown", payee: .person(.pseudonym(unknown))).submission()])
        let after = try rows()
        #expect(after[known] == before[known])
        #expect(after[known]?[0] == Story.wang.value)
        #expect(before[unknown] == nil)
        #expect(after[unknown]?[0] == nil && after[unknown]?[1] == nil && after[unknown]?[3] == LedgerStore.pseudonymOnlyReason)
        #expect(after.count == before.count + 1)
        #expect(try ledger.store.verify().eventsChecked == Int64(Story.all.count + 2))
    }

    @Test("a worker's history: attributes as of a date, certificates in force, explicit credits")
    func workerHistory() throws {
        let ledger = try TemporaryLedger()
        let certificate = Build.certificateNumber(77, level: .junior)
        try ledger.add(Story.registrations + [
            Build.workerChanged("ch-1", worker: Story.li, on: "2026-03-01", [("frontline", .bool(false)), ("jurisdiction", .text("420302"))]),
            Build.certificationAwarded("c-2", worker: Story.li, on: "2026-02-10", level: .junior, certificate: certificate),
            Build.certificationAwarded("c-3", worker: Story.li, on: "2026-04-10", occupation: "6-18-01-01", occupationName: "车工", level: .intermediate),
            Build.certificationRevoked("rv-1", worker: Story.li, certificate: certificate),
            Build.creditEarned("k-2", worker: Story.li, credits: "2.5"),
            Build.creditEarned("k-3", worker: Story.li, credits: "1"),
        ].map { $0.submission() })
        try ledger.add([Build.eventReversed("r-k3", target: "k-3").submission()])
        let history = try ledger.store.workerHistory(pseudonym: ledger.store.pseudonym(for: Story.li))
        #expect(history.registry?.name == "李秀英")
        #expect(history.attributes(asOf: Build.date("2026-02-28")).bool("frontline") == true)
        #expect(history.attributes(asOf: Build.date("2026-03-01")).bool("frontline") == false)
        #expect(history.attributes(asOf: Build.date("2026-03-01")).text("jurisdiction") == "420302")
        #expect(history.attributes(asOf: Build.date("2020-01-01")).text("jurisdiction") == "420303",
                "before the registration, the registration describes the worker (as the rules engine reads it)")
        #expect(history.certificates.map(\.occupation) == ["6-18-01-01", "6-31-01-03"])
        #expect(history.certificates.map(\.inForce) == [true, false], "the revoked certificate is kept and marked")
        #expect(history.explicitCredits.text == "2.5", "the reversed credit counts for nothing")
        #expect(history.reversedBy["k-3"] == "r-k3")
    }

    @Test("a ledger written before the registry seal gets, at migration, the seals this code writes, and verifies")
    func sealsOfAnOldLedger() throws {
        let ledger = try TemporaryLedger()
        try ledger.submit(Repository.samples)
        try ledger.add(Story.all)
        #expect(try ledger.store.erase(citizen: Story.wang, reason: "PIPL request") != nil)
        let sealsSQL = "SELECT pseudonym, hex(seal) FROM persons ORDER BY pseudonym"
        let written = try ledger.store.read { db in try Row.fetchAll(db, sql: sealsSQL).map { "\($0[0] as String) \($0[1] as String)" } }
        // Back to the schema before 002_registry_seal.sql, as an old binary left it.
        let queue = try DatabaseQueue(path: ledger.store.path)
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ALTER TABLE persons DROP COLUMN seal")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = '002_registry_seal.sql'")
        }
        try queue.close()
        let reopened = try LedgerStore.open(path: ledger.store.path)
        let migrated = try reopened.read { db in try Row.fetchAll(db, sql: sealsSQL).map { "\($0[0] as String) \($0[1] as String)" } }
        #expect(migrated == written)
        #expect(written.count > 50)
        #expect(try reopened.verify().eventsChecked > 0)
    }
}

@Suite("schema and files")
struct SchemaTests {
    @Test("the schema the binary applies equals Schema/*.sql (run Scripts/embed-schema.sh after editing one)")
    func embeddedSchemaEqualsFiles() throws {
        let folder = Repository.path("Schema")
        let names = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".sql") }.sorted()
        #expect(LedgerStore.schemaMigrations.map(\.name) == names)
        for migration in LedgerStore.schemaMigrations {
            let file = try String(contentsOfFile: folder + "/" + migration.name, encoding: .utf8)
            #expect(migration.sql + "\n" == file || migration.sql == file, "\(migration.name) differs from its embedded copy")
        }
    }

    @Test("opening: a missing file is not created unless asked; another program's database is refused")
    func opening() throws {
        let ledger = try TemporaryLedger()
        #expect {
            _ = try LedgerStore.open(path: ledger.path("none.sqlite"))
        } throws: { error in
            if case LedgerError.missing = error { return true } else { return false }
        }
        #expect(!FileManager.default.fileExists(atPath: ledger.path("none.sqlite")))
        let other = try DatabaseQueue(path: ledger.path("other.sqlite"))
        try other.write { db in try db.execute(sql: "CREATE TABLE invoices (id INTEGER)") }
        try other.close()
        #expect {
            _ = try LedgerStore.open(path: ledger.path("other.sqlite"), create: true)
        } throws: { error in
            if case LedgerError.notALedger = error { return true } else { return false }
        }
        let text = try ledger.file("notes.sqlite", "these are not a database, just some text long enough to have a header page…")
        #expect(throws: LedgerError.self) { _ = try LedgerStore.open(path: text) }
    }

    @Test("a ledger reopened is the same ledger: same pseudonyms, same digest")
    func reopen() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.all)
        let reopened = try LedgerStore.open(path: ledger.ledgerPath)
        #expect(reopened.pseudonym(for: Story.wang) == ledger.store.pseudonym(for: Story.wang))
        #expect(try reopened.digest() == ledger.store.digest())
    }
}
