import SkillsDomain

/// One typed cell of a spreadsheet (`--format xlsx`). Amounts stay integer fen up to the file, where they are written
/// as decimal text with two places: money never passes through floating point.
public enum SheetCell: Sendable, Hashable {
    /// Text, written as an inline string (never a formula, whatever it starts with).
    case text(String)
    /// A whole number.
    case integer(Int64)
    /// An amount, shown with the number format `0.00`, and summed into the total row.
    case money(Money)
    /// A calendar date, shown as `yyyy-mm-dd`.
    case date(LocalDate)
    /// A decimal already written as text ("0.1800", a ratio), shown with four decimals.
    case decimal(String)
    /// Nothing.
    case empty
}

/// A report that is also one spreadsheet sheet (`--format xlsx`): a header row, a row per record, and a total row
/// under the amount columns. Conforming takes a name, the headers and the rows; `writeXLSX(to:)` does the rest.
///
/// ```swift
/// extension NoticeReport: SheetReport {
///     public var sheetName: String { "公示 notice" }
///     public var sheetHeaders: [String] { ["姓名 name", "金额 amount"] }
///     public func forEachSheetRow(_ body: ([SheetCell]) throws -> Void) rethrows {
///         for line in lines { try body([.text(line.name), .money(line.amount)]) }
///     }
/// }
/// ```
public protocol SheetReport: Report {
    /// The sheet's name (at most 31 characters are kept).
    var sheetName: String { get }
    /// The header row: Chinese and English, "应付 due".
    var sheetHeaders: [String] { get }
    /// Hands each row, in `sheetHeaders` order, to `body`.
    func forEachSheetRow(_ body: ([SheetCell]) throws -> Void) rethrows
}

extension SheetReport {
    /// Writes the report as an Excel workbook at `path` (replaced if it exists), with a total row "合计 total".
    public func writeXLSX(to path: String) throws {
        let writer = try XLSXWriter(path: path, sheetName: sheetName, headers: sheetHeaders)
        try forEachSheetRow { try writer.append($0) }
        try writer.finish(totalLabel: XLSXWriter.totalLabel)
    }
}
