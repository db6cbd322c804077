import Foundation
import Reconciliation
import Reports
import SkillsDomain
import Testing

/// `reconcile --format xlsx`: every line with its payee's real identifier, and totals that are the report's.
@Suite("reconciliation as a workbook")
struct ReconciliationSheetTests {
    static let alice = "ps_" + String(repeating: "a", count: 32)
    static let employer = "91420300MA4KXXXX0X"

    static var report: ReconciliationReport {
        let march = Month(year: 2026, month: 3)!
        return ReconciliationReport(jurisdiction: try! JurisdictionCode("420300"), month: march, lines: [
            ReconciliationLine(classification: .matched, grant: "g1", payments: ["p1"], payee: alice, due: Money(fen: 100_000),
                               paid: Money(fen: 100_000), rule: "skill-upgrade", period: march),
            ReconciliationLine(classification: .overpaid, grant: "g2", payments: ["p2", "p3"], payee: employer, due: Money(fen: 50_000),
                               paid: Money(fen: 62_050), rule: "apprenticeship", period: march),
            ReconciliationLine(classification: .unknown, grant: nil, payments: ["p4"], payee: alice, due: .zero, paid: Money(fen: 30_000)),
        ])
    }

    @Test("one row per line, payees resolved, the total row equal to the report's due, paid and difference",
          .enabled(if: ReadBack.isAvailable, ReadBack.unavailable))
    func workbook() async throws {
        let folder = try Folder()
        let report = Self.report
        var asked: [[String]] = []
        let renderer = ReconciliationRenderer(report, masking: IdentifierMasking(masked: false))
        try await renderer.writeXLSX(to: folder.path("march.xlsx")) { payees in
            asked.append(payees)
            return [Self.alice: "420302197804121019"]
        }
        #expect(asked.count == 1, "the registry is asked once a chunk")
        let book = try ReadBack.read(folder.path("march.xlsx"))
        #expect(book.rows.first?.map(\.text) == ReconciliationRenderer.sheetHeaders.map(Optional.some))
        #expect(book.rows.count == 1 + report.lineCount + 1)
        let overpaid = try #require(book.rows.first { $0[0].text == "多付 overpaid" })
        #expect(overpaid.map(\.text) == ["多付 overpaid", "g2", "p2;p3", Self.employer, nil, nil, nil, "apprenticeship", "2026-03"])
        #expect(overpaid[4].money == Money(fen: 50_000) && overpaid[5].money == Money(fen: 62_050) && overpaid[6].money == Money(fen: 12_050))
        #expect(book.rows.dropFirst().dropLast().filter { $0[3].text == "420302197804121019" }.count == 2)
        let total = try #require(book.rows.last)
        #expect(total[0].text == XLSXWriter.totalLabel)
        #expect([total[4].money, total[5].money, total[6].money] == [report.due, report.paid, report.difference])
        #expect(book.rows.dropFirst().allSatisfy { row in row[4...6].allSatisfy { $0.format == "0.00" } })
    }
}
