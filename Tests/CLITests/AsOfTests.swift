import Foundation
import Testing

/// `--as-of YYYY-MM-DD` on the commands that read, end to end. The binary records with the clock, so these runs can
/// only ask for days before everything and for today; SkillsLedgerCoreTests.AsOfTests records on given days.
@Suite("--as-of end to end")
struct AsOfCLITests {
    static let today = String(ISO8601DateFormatter().string(from: Date()).prefix(10))
    static let zeros = String(repeating: "0", count: 64)

    @Test("digest as of a day before the first event is 0 and 64 zeros; as of today (UTC), today's digest")
    func digest() throws {
        let workspace = try Workspace()
        _ = try workspace.submitSamples()
        let before = try workspace.run("digest", "--as-of", "2000-01-01")
        #expect(before.status == 0, "\(before)")
        #expect(before.out == "0:\(Self.zeros)\n")
        #expect(try workspace.run("digest", "--as-of", Self.today).out == (try workspace.digest()) + "\n")
    }

    @Test("the reading commands take --as-of and answer as of then; the writing ones do not have it")
    func readingCommands() throws {
        let workspace = try Workspace()
        _ = try workspace.submitSamples()
        _ = try workspace.run(["policy", "adopt"] + ["shiyan-2018.yaml", "national-skill-upgrade.yaml"].map { Workspace.sample("policies/" + $0) })
        let month = ["entitlements", "--jurisdiction", "420300", "--month", "2026-03", "--format", "json"]
        let now = try workspace.run(month)
        #expect(now.status == 0 && now.out.contains("\"amount\""), "\(now)")
        #expect(try workspace.run(month + ["--as-of", Self.today]).out == now.out)
        #expect(try workspace.run(month + ["--as-of", "2000-01-01"]).out.contains("\"entitlements\": []"))
        let worker = try workspace.run("worker", EndToEndTests.wuGang, "--as-of", "2000-01-01")
        #expect(worker.status == 1 && worker.err.contains("as of 2000-01-01"), "\(worker)")
        #expect(try workspace.run("credits", EndToEndTests.wuGang, "--as-of", Self.today).status == 0)
        let budget = try workspace.run("audit", "budget", "--year", "2026", "--format", "json")
        #expect(budget.status != 2 && budget.out.contains("420300"), "\(budget)")
        #expect(try workspace.run("audit", "budget", "--year", "2026", "--format", "json", "--as-of", Self.today).out == budget.out)
        for writing in [["grant", "--jurisdiction", "420300", "--month", "2026-03"], ["reverse", "sy-c-014", "--reason", "x"], ["verify"]] {
            let result = try workspace.run(writing + ["--as-of", Self.today])
            #expect(result.status == 2 && result.err.contains("Unknown option '--as-of'"), "\(result)")
        }
    }

    @Test("a malformed day is a usage error (exit 2), before the ledger is opened")
    func malformedDay() throws {
        let workspace = try Workspace()
        for day in ["2026-02-30", "2026-13-01", "31.03.2026", "yesterday", ""] {
            let result = try workspace.run("digest", "--as-of", day)
            #expect(result.status == 2, "\(result)")
            #expect(result.err.contains("--as-of expects a day YYYY-MM-DD"), "\(result)")
        }
        #expect(!FileManager.default.fileExists(atPath: workspace.ledger))
    }
}
