import Reconciliation
import SkillsDomain

extension ReconciliationRenderer {
    /// The spreadsheet's columns: the CSV's, in Chinese and English.
    public static let sheetHeaders = ["类别 class", "补贴核定 grant", "支付 payments", "收款人 payee", "应付 due", "实付 paid", "差额 difference",
                                      "规则 rule", "期间 period"]

    /// Writes every line as an Excel workbook at `path`, with a total row under due, paid and difference (the
    /// report's totals). Payees are resolved a chunk of lines at a time, as for CSV, and the rows stream to the file.
    public func writeXLSX(to path: String, resolving resolve: ([String]) async throws -> [String: String]) async throws {
        let writer = try XLSXWriter(path: path, sheetName: "对账 \(report.jurisdiction) \(report.month)", headers: Self.sheetHeaders)
        try await forEachChunk(resolving: resolve) { chunk, masking in
            for line in chunk { try writer.append(Self.sheetRow(line, payee: masking.show(line.payee))) }
        }
        try writer.finish(totalLabel: XLSXWriter.totalLabel)
    }

    /// One line's cells, in `sheetHeaders` order.
    static func sheetRow(_ line: ReconciliationLine, payee: String) -> [SheetCell] {
        [.text(line.classification.label), line.grant.map(SheetCell.text) ?? .empty, .text(line.payments.joined(separator: ";")), .text(payee),
         .money(line.due), .money(line.paid), .money(line.difference), line.rule.map(SheetCell.text) ?? .empty,
         line.period.map { .text($0.description) } ?? .empty]
    }
}
