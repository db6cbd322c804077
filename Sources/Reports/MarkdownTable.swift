/// A GitHub-flavoured Markdown table with escaped cells.
public struct MarkdownTable: Sendable {
    /// The column titles.
    public var headers: [String]
    /// The rows added so far.
    public private(set) var rows: [[String]] = []
    /// Column indexes aligned right (amounts).
    public var rightAligned: Set<Int>

    /// A table with these columns.
    public init(_ headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    /// Adds a row of cells, one per column.
    public mutating func add(_ row: [String]) { rows.append(row) }

    /// The table as Markdown, cells escaped.
    public var rendered: String {
        func line(_ cells: [String]) -> String { "| " + cells.map(TextEscaping.markdownCell).joined(separator: " | ") + " |" }
        let rule = "|" + headers.indices.map { rightAligned.contains($0) ? " ---: " : " --- " }.joined(separator: "|") + "|"
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }
}
