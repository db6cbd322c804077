import Foundation
import GRDB
import Ledger
import LedgerTesting
import SkillsDomain
import Testing

/// Personal data (RELIABILITY.md §6): `erase` removes a person's name and 公民身份号码 so thoroughly that no byte of
/// them is left in the ledger's files, while the chain verifies and the history stays countable under the pseudonym;
/// tables and reports mask ID numbers unless asked not to.
@Suite("personal data", .serialized, .enabled(if: SkillsLedgerBinary.path != nil, Comment(rawValue: SkillsLedgerBinary.missing)))
struct PersonalDataTests {
    static let header = "id,worker,name,jurisdiction,employer,insured_since,migrant,frontline,registered_on"

    /// A ledger with 20 workers registered from a CSV (as a bureau would) and a few events each for worker 5.
    static func ledger(_ scratch: TemporaryLedger) throws -> String {
        let ledger = scratch.path("people.sqlite")
        let rows = (0..<20).map { "w-\($0),\(Population.citizen($0).value),\(Population.name($0)),420302,,2020-01,false,true,2025-06-01" }
        let roster = try scratch.file("workers.csv", ([header] + rows).joined(separator: "\n") + "\n")
        let events = try scratch.file("events.jsonl", Population.creditsJSONL(prefix: "cr", count: 60, people: 20))
        let submit = try SkillsLedgerProcess.run(["submit", "--ledger", ledger, "--quiet", roster, events])
        try #require(submit.status == 0, "\(submit)")
        return ledger
    }

    /// Every byte of the ledger's files: the database, and its -wal and -shm when present.
    static func fileBytes(_ ledger: String) -> [(String, Data)] {
        ["", "-wal", "-shm"].compactMap { suffix in
            (try? Data(contentsOf: URL(fileURLWithPath: ledger + suffix))).map { (ledger + suffix, $0) }
        }
    }

    static func traces(of needles: [String], in ledger: String) -> [String] {
        var found: [String] = []
        for (path, bytes) in fileBytes(ledger) {
            for needle in needles where bytes.range(of: Data(needle.utf8)) != nil { found.append("\(needle) in \(path)") }
        }
        return found
    }

    @Test("erase: verify passes, the history stays countable under the pseudonym, no byte of the ID number or name remains")
    func eraseLeavesNoTrace() throws {
        let scratch = try TemporaryLedger()
        let ledger = try Self.ledger(scratch)
        let erased = Population.citizen(5), kept = Population.citizen(6)
        let before = try SkillsLedgerProcess.run(["worker", "--ledger", ledger, "--format", "json", erased.value])
        let eventsBefore = before.stdout.components(separatedBy: "\"kind\":").count - 1
        #expect(eventsBefore == 4, "worker.registered and three credits: \(before)")
        // Someone keeps the ledger open (no transaction), so the -wal and -shm files outlive the erase.
        let bystander = try DatabaseQueue(path: ledger)
        let erase = try SkillsLedgerProcess.run(["erase", "--ledger", ledger, erased.value, "--reason", "PIPL 第47条 request"])
        #expect(erase.status == 0, "\(erase)")
        let pseudonym = try #require(erase.stdout.split(whereSeparator: \.isWhitespace).last.map(String.init))
        #expect(PersonRef.isPseudonym(pseudonym), "\(erase)")
        #expect(Self.traces(of: [erased.value, Population.name(5)], in: ledger).isEmpty)
        #expect(Self.traces(of: [kept.value, Population.name(6)], in: ledger).count >= 2, "the scan finds what is still there")
        try bystander.close()
        let verify = try SkillsLedgerProcess.run(["verify", "--ledger", ledger])
        #expect(verify.status == 0, "\(verify)")
        let after = try SkillsLedgerProcess.run(["worker", "--ledger", ledger, "--format", "json", pseudonym])
        #expect(after.status == 0, "\(after)")
        #expect(after.stdout.components(separatedBy: "\"kind\":").count - 1 == eventsBefore, "the history is still there, under the pseudonym")
        #expect(!after.stdout.contains(erased.value) && after.stdout.contains("\"name\": null"), "\(after.stdout.prefix(400))")
        let export = try SkillsLedgerProcess.run(["export", "--ledger", ledger])
        #expect(!export.stdout.contains(erased.value) && export.stdout.contains(pseudonym))
        #expect(Self.traces(of: [erased.value, Population.name(5)], in: ledger).isEmpty, "nothing came back after reading")
    }

    @Test("erase while another process is reading: it says the old pages could not be overwritten yet, and running it again finishes")
    func eraseWhileReading() throws {
        let scratch = try TemporaryLedger()
        let ledger = try Self.ledger(scratch)
        let erased = Population.citizen(5)
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let reader = try DatabaseQueue(path: ledger, configuration: configuration)
        try reader.writeWithoutTransaction { db in
            try db.execute(sql: "BEGIN")
            _ = try Int.fetchOne(db, sql: "SELECT count(*) FROM persons")
        }
        let first = try SkillsLedgerProcess.run(["erase", "--ledger", ledger, erased.value, "--reason", "request"],
                                                environment: ["SKILLS_LEDGER_BUSY_TIMEOUT": "1"])
        #expect(first.status == 2 && first.stderr.contains("another process is reading"), "\(first)")
        try reader.writeWithoutTransaction { db in try db.execute(sql: "COMMIT") }
        try reader.close()
        let second = try SkillsLedgerProcess.run(["erase", "--ledger", ledger, erased.value, "--reason", "request"])
        #expect(second.status == 1, "already erased from the registry: \(second)")
        #expect(Self.traces(of: [erased.value, Population.name(5)], in: ledger).isEmpty)
        #expect(try SkillsLedgerProcess.run(["verify", "--ledger", ledger]).status == 0)
    }

    @Test("worker, entitlements and reconcile tables mask ID numbers unless --unmasked")
    func masking() throws {
        let scratch = try TemporaryLedger()
        let ledger = try CrashTests.grantTemplate(scratch, people: 3)
        let month = CrashTests.month
        let id = Population.citizen(1).value
        let masked = String(id.prefix(6)) + "********" + String(id.suffix(4))
        let worker = try SkillsLedgerProcess.run(["worker", "--ledger", ledger, id])
        #expect(worker.status == 0 && worker.stdout.contains(masked) && !worker.stdout.contains(id), "\(worker)")
        let workerFull = try SkillsLedgerProcess.run(["worker", "--ledger", ledger, "--unmasked", id])
        #expect(workerFull.stdout.contains(id), "\(workerFull)")
        let entitlements = try SkillsLedgerProcess.run(["entitlements", "--ledger", ledger] + month)
        #expect(entitlements.status == 0 && entitlements.stdout.contains(masked) && !entitlements.stdout.contains(id), "\(entitlements)")
        _ = try SkillsLedgerProcess.run(["grant", "--ledger", ledger, "--quiet"] + month)
        let payments = try Population.paymentsCSV(for: LedgerStore.open(path: ledger))
        // Every line underpaid by a yuan, so that the table lists each one with its payee.
        let file = try scratch.file("payments.csv", payments.text.replacingOccurrences(of: ",1000.00,", with: ",999.00,"))
        let reconcile = try SkillsLedgerProcess.run(["reconcile", "--ledger", ledger, "--quiet", "--payments", file] + month)
        #expect(reconcile.status == 1 && reconcile.stdout.contains(masked) && !reconcile.stdout.contains(id), "\(reconcile)")
        let reconcileFull = try SkillsLedgerProcess.run(["reconcile", "--ledger", ledger, "--quiet", "--unmasked"] + month)
        #expect(reconcileFull.stdout.contains(id), "\(reconcileFull)")
    }
}
