import Ledger
import Reconciliation
import Reports
import SkillsDomain
import Testing

/// The public contract scenario (shared/contract): grants of 1000.00 to 420304198606060136 (period 2026-02) and
/// 1000.00 to 420305199802140249 (period 2026-03) in 420300, and the bank's file payments-2026-03.csv.
@Suite struct ContractScenarioTests {
    @Test func marchReconcilesToTheExpectedTotalsAndClasses() async throws {
        let books = try Books()
        try books.grant("grant-1", to: "420304198606060136", "1000.00", period: "2026-02", jurisdiction: "420304")
        try books.grant("grant-2", to: "420305199802140249", "1000.00", period: "2026-03", jurisdiction: "420305")
        try await books.pay("2026-03", [
            "p1-pay-1,420304198606060136,1000.00,2026-03-25,,BK0325001",
            "p1-pay-2,420305199802140249,1200.00,2026-03-26,,BK0326002",
        ])
        let report = try await books.reconcile("2026-03")
        let json = report.json(identify: { (try? books.store.identities())?[$0] ?? $0 })
        guard case .object(let top) = json, case .object(let totals)? = json["totals"], case .object(let classes)? = json["classes"] else {
            Issue.record("not the SPEC.md shape: \(json)")
            return
        }
        #expect(top.map(\.key) == ["jurisdiction", "month", "totals", "classes", "lines"])
        #expect(totals.map(\.key) == ["due", "paid", "difference"])
        #expect(json["totals"] == .object([JSONMember("due", .string("2000.00")), JSONMember("paid", .string("2200.00")),
                                           JSONMember("difference", .string("200.00"))]))
        let nonzero = classes.filter { $0.value["count"] != .number("0") }
        #expect(nonzero.map(\.key) == ["matched", "overpaid"])
        #expect(json["classes"]?["matched"] == .object([JSONMember("count", .number("1")), JSONMember("amount", .string("1000.00"))]))
        #expect(json["classes"]?["overpaid"] == .object([JSONMember("count", .number("1")), JSONMember("amount", .string("200.00"))]))
        guard case .array(let lines)? = json["lines"] else { Issue.record("no lines"); return }
        #expect(lines.map { $0["payee"] } == [.string("420304198606060136"), .string("420305199802140249")])
        #expect(lines.first.map { line in
            guard case .object(let members) = line else { return [] }
            return members.map(\.key)
        } == ["class", "grant", "payments", "payee", "due", "paid", "difference"])
        #expect(report.hasDiscrepancies)
    }
}
