/// The formats reports are written in.
public enum ReportFormat: String, Sendable, CaseIterable {
    /// For a person at a terminal (IDs masked).
    case table
    /// SPEC.md's JSON shapes, for programs.
    case json
    /// One record per line, for spreadsheets.
    case csv
    /// For pasting into documents and tickets (IDs masked).
    case markdown
    /// One self-contained page with a chart (IDs masked).
    case html
    /// An Excel workbook of one sheet, amounts as numbers, a total row; binary, so written to a file (`SheetReport`).
    case xlsx

    /// Whether the format is read by people, who see 公民身份号码 masked unless they ask otherwise.
    public var masksByDefault: Bool {
        switch self {
        case .table, .markdown, .html: true
        case .json, .csv, .xlsx: false
        }
    }
}
