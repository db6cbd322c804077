import Foundation
import Ledger
import LedgerTesting
import Reports
import Rules
import SkillsDomain
import SkillsLedgerCore
import Testing

/// The read use cases on `session.asOf(day)`: the ledger as it was recorded up to the end of that day.
@Suite("answers as of a date")
struct AsOfTests {
    static let grantDay = LocalDate.parse("2026-03-31")!
    static let zeros = String(repeating: "0", count: 64)

    /// The Samples' packs, in the order the demo adopts them.
    static func packs() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: samples + "/policies").filter { $0.hasSuffix(".yaml") }.sorted()
            .map { samples + "/policies/" + $0 }
    }

    /// A new version of the Shiyan pack, in force from 2026, with higher amounts for migrant workers (#17).
    static func shiyan2026(_ ledger: TemporaryLedger) throws -> String {
        let text = try String(contentsOfFile: samples + "/policies/shiyan-2018.yaml", encoding: .utf8)
            .replacingOccurrences(of: "version: \"2018.1\"", with: "version: \"2026.1\"")
            .replacingOccurrences(of: "  from: 2018-07-01", with: "  from: 2026-01-01")
            .replacingOccurrences(of: "{junior: \"1000\", intermediate: \"1500\", senior: \"2000\"}",
                                  with: "{junior: \"1200\", intermediate: \"1800\", senior: \"2400\"}")
        return try ledger.file("shiyan-2026.yaml", text)
    }

    @Test("a grant run's entitlements are reproduced byte for byte as of its day after later corrections and a new version")
    func grantRunIsReproduced() async throws {
        let ledger = try TemporaryLedger()
        let live = session(ledger)
        // Day D: the packs adopted, the files submitted, the month's entitlements printed, then granted.
        let (printed, digestThen, policiesThen) = try await Timestamp.$fixed.withValue("2026-03-31T09:00:00Z") {
            _ = try await Policies(live).adopt(files: try Self.packs())
            for file in Demo.eventFiles { _ = try await SubmitBatch(live).record(file: samples + "/" + file) }
            let printed = try await MonthEnd(live, shiyan).entitlements().rendered(.json)
            #expect(try await !MonthEnd(live, shiyan).grant().result.granted.isEmpty)
            return (printed, try await Integrity(live).digest().digest, try await Policies(live).list().rendered(.json))
        }
        // Two weeks later: a certificate reversed, a new version of the Shiyan pack, the month granted again.
        try await Timestamp.$fixed.withValue("2026-04-15T10:00:00Z") {
            _ = try await Corrections(live).reverse("sy-c-002", reason: "证书信息有误")
            #expect(try await Policies(live).adopt(files: [Self.shiyan2026(ledger)]).adopted.count == 1)
            _ = try await MonthEnd(live, shiyan).grant()
        }
        #expect(try await MonthEnd(live, shiyan).entitlements().rendered(.json) != printed)

        let then = try await live.asOf(Self.grantDay)
        #expect(try await MonthEnd(then, shiyan).entitlements().rendered(.json) == printed)
        #expect(try await Integrity(then).digest().digest == digestThen)
        #expect(try await Policies(then).list().rendered(.json) == policiesThen)
        #expect(try await Integrity(live.asOf(LocalDate.parse("2026-03-30")!)).digest().digest.description == "0:" + Self.zeros)
        // The day after D sees everything of D and nothing of the 15th.
        #expect(try await Integrity(live.asOf(LocalDate.parse("2026-04-14")!)).digest().digest == digestThen)
    }

    @Test("worker, credits and audits answer as of a day; a write through the view is refused and writes nothing")
    func readUseCasesAndRefusedWrites() async throws {
        let ledger = try TemporaryLedger()
        let live = session(ledger)
        let liXiuying = "420303198509231021"
        try await Timestamp.$fixed.withValue("2026-03-31T09:00:00Z") {
            _ = try await Policies(live).adopt(files: try Self.packs())
            for file in Demo.eventFiles { _ = try await SubmitBatch(live).record(file: samples + "/" + file) }
        }
        let workerThen = try await WorkerLookup(live).report(for: liXiuying).rendered(.json)
        let creditsThen = try await WorkerLookup(live).credits(for: liXiuying).rendered(.json)
        let budgetThen = try await Compliance(live).budget(year: 2026).rendered(.json)
        try await Timestamp.$fixed.withValue("2026-04-15T10:00:00Z") {
            _ = try await Corrections(live).reverse("sy-c-002", reason: "证书信息有误")
            _ = try await SubmitBatch(live).record(file: ledger.file("budget.jsonl", """
                {"id":"asof-fund-1","kind":"fund.budgeted","occurred_on":"2026-04-10","source":"420381","data":{"jurisdiction":"420381","year":2026,"employment_fund":"10000000","training_subsidy_budget":"3000000"}}
                """))
        }
        let then = try await live.asOf(Self.grantDay)
        #expect(then.today == Self.grantDay)
        #expect(then.ledger.location.hasSuffix(" as of 2026-03-31"))
        #expect(try await WorkerLookup(live).report(for: liXiuying).rendered(.json) != workerThen)
        #expect(try await WorkerLookup(then).report(for: liXiuying).rendered(.json) == workerThen)
        #expect(try await WorkerLookup(then).credits(for: liXiuying).rendered(.json) == creditsThen)
        #expect(try await Compliance(live).budget(year: 2026).rendered(.json) != budgetThen)
        #expect(try await Compliance(then).budget(year: 2026).rendered(.json) == budgetThen)

        // Before anything was recorded the worker is unknown.
        let before = try await live.asOf(LocalDate.parse("2026-03-01")!)
        await #expect { try await WorkerLookup(before).report(for: liXiuying) } throws: { FailureKind($0) == .notFound }

        let digest = try await Integrity(live).digest().digest
        await #expect { try await Corrections(then).reverse("sy-c-001", reason: "证书信息有误") } throws: { error in
            FailureKind(error) == .badInput && "\(error)".contains("read-only view")
        }
        await #expect(throws: LedgerError.self) { try await SubmitBatch(then).record(file: samples + "/workers.csv") }
        #expect(try await Integrity(live).digest().digest == digest)
    }
}
