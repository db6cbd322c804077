import Foundation
import LedgerTesting
import Reports
import Rules
import SkillsDomain
import SkillsLedgerCore
import Testing

/// Settlement through the use cases the CLI calls: a version adopted with an effective date in the past shows as
/// pending adjustments in `entitlements`, and `grant` records exactly those and reports their count and sum.
@Suite struct SettlementUseCaseTests {
    @Test func aLowerNationalVersionFromJanuaryIsListedThenRecovered() async throws {
        let (ledger, session, _) = try await demoLedger()
        defer { withExtendedLifetime(ledger) {} }
        let text = try String(contentsOfFile: samples + "/policies/national-skill-upgrade.yaml", encoding: .utf8)
            .replacingOccurrences(of: "version: \"2019.1\"", with: "version: \"2026.1\"")
            .replacingOccurrences(of: "  from: 2019-01-01", with: "  from: 2026-01-01")
            .replacingOccurrences(of: "2019-01-01: {junior: \"1000\", intermediate: \"1500\", senior: \"2000\"}",
                                  with: "2026-01-01: {junior: \"800\", intermediate: \"1200\", senior: \"1600\"}")
        _ = try await Policies(session).adopt(files: [try ledger.file("national-2026.yaml", text)])
        let april = JurisdictionMonth(shiyan.jurisdiction, try Month(parsing: "2026-04"))

        let report = try await MonthEnd(session, april).entitlements()
        #expect(!report.adjustments.isEmpty)
        #expect(report.adjustments.allSatisfy { $0.difference < .zero && $0.adjusts.hasPrefix("grant:") })
        var json = ""
        report.write(.json) { json += $0 }
        #expect(json.contains("\"adjusts\": \"grant:"))
        #expect(report.table.contains("追回："))

        let grant = try await MonthEnd(session, april).grant()
        #expect(grant.result.adjustments.count == report.adjustments.count)
        #expect(grant.result.adjustmentTotal == report.adjustments.map(\.difference).reduce(.zero, +))
        #expect(grant.table.contains("adjustments \(report.adjustments.count) (\(grant.result.adjustmentTotal.yuanString) 元)"))
        #expect(try await MonthEnd(session, april).entitlements().adjustments.isEmpty, "settled")
    }
}
