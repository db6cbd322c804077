import Foundation
import Ledger
import LedgerTesting
import SkillsDomain
import Testing

/// Who did what (RELIABILITY.md §7): every event records who recorded it (`--operator`, else the OS user) and when,
/// both inside the chain, and `worker` and `export` show them.
@Suite("who did what", .enabled(if: SkillsLedgerBinary.path != nil, Comment(rawValue: SkillsLedgerBinary.missing)))
struct WhoDidWhatTests {
    @Test("operator and recording time are recorded per event and shown by worker (table and JSON) and export")
    func operatorAndTime() throws {
        let scratch = try TemporaryLedger()
        let ledger = scratch.path("who.sqlite")
        let worker = Population.citizen(2)
        let roster = try scratch.file("roster.jsonl", CanonicalJSONWriter.string(Population.registrations(2..<3)[0].event.json) + "\n")
        let credits = try scratch.file("credits.jsonl", Population.creditsJSONL(prefix: "who", count: 3, people: 3))
        let started = Timestamp.now()
        #expect(try SkillsLedgerProcess.run(["submit", "--ledger", ledger, "--operator", "张科员", roster]).status == 0)
        #expect(try SkillsLedgerProcess.run(["submit", "--ledger", ledger, credits], environment: ["USER": "clerk-7", "LOGNAME": "clerk-7"]).status == 0)
        #expect(try SkillsLedgerProcess.run(["reverse", "--ledger", ledger, "--operator", "审核员", "who-2", "--reason", "录入错误"]).status == 0)
        let finished = Timestamp.now()

        let json = try SkillsLedgerProcess.run(["worker", "--ledger", ledger, "--format", "json", worker.value])
        #expect(json.status == 0, "\(json)")
        #expect(json.stdout.contains("\"operator\": \"张科员\"") && json.stdout.contains("\"operator\": \"clerk-7\""), "\(json.stdout)")
        let table = try SkillsLedgerProcess.run(["worker", "--ledger", ledger, worker.value])
        #expect(table.stdout.contains("operator") && table.stdout.contains("张科员") && table.stdout.contains("clerk-7"), "\(table.stdout)")

        let export = try SkillsLedgerProcess.run(["export", "--ledger", ledger])
        let lines = export.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 5)
        for line in lines {
            let value = try JSONParser.parse(line)
            guard case .string(let recordedAt)? = value["recorded_at"], case .string(let operatorName)? = value["operator"] else {
                Issue.record("no recorded_at or operator in \(line)")
                continue
            }
            #expect(recordedAt.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$"#, options: .regularExpression) != nil, "\(recordedAt)")
            #expect(started <= recordedAt && recordedAt <= finished, "recorded during the test: \(recordedAt)")
            let expected = line.contains("\"event.reversed\"") ? "审核员" : line.contains("\"worker.registered\"") ? "张科员" : "clerk-7"
            #expect(operatorName == expected, "\(line)")
        }
    }
}
