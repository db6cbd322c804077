import Foundation
import Ledger
@testable import Reconciliation
import Reports
import SkillsDomain
import Testing

/// The report as people and programs read it.
@Suite struct RenderingTests {
    static func sample() async throws -> (Books, ReconciliationReport, IdentifierMasking) {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-02")
        try books.grant("g2", to: Books.bob, "1000", period: "2026-03", rule: "migrant-self-paid")
        try books.grant("g3", to: Books.employer, "500", period: "2026-03", rule: "apprenticeship")
        try await books.pay("2026-03", [
            "p1,\(Books.alice),1000,2026-03-25,,", "p2,\(Books.bob),1200,2026-03-26,,", "p3,\(Books.carol),300,2026-03-27,,\"BK,<3>\"",
        ])
        let report = try await books.reconcile("2026-03")
        return (books, report, IdentifierMasking(identities: try books.store.identities(), masked: true))
    }

    @Test func theTableShowsTotalsFirstThenDiscrepanciesByClassWithIDsMasked() async throws {
        let (_, report, masking) = try await RenderingTests.sample()
        let table = ReconciliationRenderer(report, masking: masking).render(.table)
        let totals = try #require(table.range(of: "应付 due 2500.00  实付 paid 2500.00  差额 difference 0.00"))
        let overpaid = try #require(table.range(of: "多付 overpaid — 1, 200.00"))
        let unknown = try #require(table.range(of: "无法匹配 unknown — 1, 300.00"))
        let unpaid = try #require(table.range(of: "未支付 unpaid — 1, 500.00"))
        #expect(totals.lowerBound < overpaid.lowerBound && overpaid.lowerBound < unknown.lowerBound && unknown.lowerBound < unpaid.lowerBound)
        #expect(table.contains("420305********0249"))
        #expect(!table.contains(Books.bob))
        #expect(!table.contains("p1 "), "matched lines are not discrepancies")
        #expect(table.contains(Books.employer), "an organisation's code is not personal data")
    }

    @Test func jsonAndCSVCarryRealIdentifiers() async throws {
        let (books, report, _) = try await RenderingTests.sample()
        let plain = IdentifierMasking(identities: try books.store.identities(), masked: false)
        let renderer = ReconciliationRenderer(report, masking: plain)
        let json = try JSONParser.parse(renderer.render(.json))
        #expect(json == report.json(identify: plain.show))
        let csv = renderer.render(.csv)
        let records = csv.split(separator: "\r\n").map(String.init)
        #expect(records.first == "class,grant,payments,payee,due,paid,difference,rule,period")
        #expect(records.count == 1 + report.lines.count)
        #expect(records.contains("overpaid,g2,p2,\(Books.bob),1000.00,1200.00,200.00,migrant-self-paid,2026-03"))
    }

    @Test func theStreamedFormsAreTheWholeOnes() async throws {
        let (books, report, masking) = try await RenderingTests.sample()
        let empty = ReconciliationReport(jurisdiction: books.jurisdiction, month: report.month, lines: [])
        for candidate in [report, empty] {
            var bytes: [UInt8] = []
            candidate.writeCanonicalJSON { bytes += $0 }
            #expect(bytes == CanonicalJSONWriter.encode(candidate.json()))
            #expect(ReconciliationRenderer(candidate, masking: masking).render(.json) == CanonicalJSONWriter.pretty(candidate.json(identify: masking.show)) + "\n")
        }
        #expect(report.digest != empty.digest && report.digest.count == 64)
    }

    @Test func theHTMLIsOneSelfContainedPageWithAChartAndTheDiscrepancies() async throws {
        let (_, report, masking) = try await RenderingTests.sample()
        let html = ReconciliationRenderer(report, masking: masking).render(.html)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<style>") && html.contains("<svg"))
        #expect(!html.contains("<script") && !html.contains("src=") && !html.contains("<link"))
        #expect(html.replacingOccurrences(of: "xmlns=\"http://www.w3.org/2000/svg\"", with: "").contains("http") == false)
        #expect(html.contains("skill-upgrade · 2026-02") && html.contains("apprenticeship · 2026-03"))
        #expect(html.contains("420305********0249") && !html.contains(Books.bob))
        #expect(html.contains("多付 overpaid"))
    }

    @Test func peoplesFormatsNeedOnlyTheListedPayeesLookedUp() async throws {
        let (books, report, _) = try await RenderingTests.sample()
        let shown = try #require(ReconciliationRenderer.payeesShown(in: report, format: .html))
        #expect(shown == [try books.chained(Books.bob), try books.chained(Books.carol), Books.employer])
        #expect(ReconciliationRenderer.payeesShown(in: report, format: .json) == nil)
    }

    @Test func markdownEscapesCellsAndListsDiscrepancies() async throws {
        let (_, report, masking) = try await RenderingTests.sample()
        let markdown = ReconciliationRenderer(report, masking: masking).render(.markdown)
        #expect(markdown.hasPrefix("# 对账报告 Reconciliation — 420300 2026-03"))
        #expect(markdown.contains("### 未支付 unpaid (1)"))
        var table = TextColumns(["a"])
        table.add(["x|y<z"])
        #expect(table.markdown.hasSuffix("| x\\|y&lt;z |"))
    }

    @Test func escapingHelpersKeepFieldsIntact() {
        #expect(TextEscaping.csvField("plain") == "plain")
        #expect(TextEscaping.csvField("a,b") == "\"a,b\"")
        #expect(TextEscaping.csvField("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(TextEscaping.csvField("-200.00") == "-200.00")
        #expect(TextEscaping.csvField("=SUM(A1)") == "'=SUM(A1)")
        #expect(TextEscaping.html("<a href=\"x\">&'") == "&lt;a href=&quot;x&quot;&gt;&amp;&#39;")
        #expect(IdentifierMasking(masked: true).show(Books.alice) == "420304********0136")
        #expect(IdentifierMasking(masked: false).show(Books.alice) == Books.alice)
        #expect(TextColumns.width("对账 ok") == 7)
    }
}
