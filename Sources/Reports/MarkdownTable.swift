/// A GitHub-flavoured Markdown table with escaped cells.
public struct MarkdownTable: Sendable {
    public var headers: [String]
    public private(set) var rows: [[String]] = []
    public var rightAligned: Set<Int>

    public init(_ headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    public mutating func add(_ row: [String]) { rows.append(row) }

    public var rendered: String {
        func line(_ cells: [String]) -> String { "| " + cells.map(TextEscaping.markdownCell).joined(separator: " | ") + " |" }
        let rule = "|" + headers.indices.map { rightAligned.contains($0) ? " ---: " : " --- " }.joined(separator: "|") + "|"
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }
}
