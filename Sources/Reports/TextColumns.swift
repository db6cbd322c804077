/// A table of text cells, rendered for terminals (`rendered`: columns padded to their display width, CJK characters
/// counting double, numbers aligned right) or as GitHub-flavoured Markdown (`markdown`, cells escaped).
public struct TextColumns: Sendable {
    /// The column titles.
    public var headers: [String]
    /// The rows added so far.
    public private(set) var rows: [[String]] = []
    /// Columns aligned to the right (amounts).
    public var rightAligned: Set<Int>

    /// A table with these columns; `rightAligned` are column indexes (amounts).
    public init(_ headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    /// Adds a row of cells, one per column.
    public mutating func add(_ row: [String]) { rows.append(row) }

    /// The header, a rule and the rows, trailing spaces trimmed.
    public var rendered: String {
        var widths = headers.map(TextColumns.width)
        for row in rows { for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], TextColumns.width(cell)) } }
        func line(_ row: [String]) -> String {
            var cells: [String] = []
            for (index, cell) in row.enumerated() where index < widths.count {
                let padding = String(repeating: " ", count: max(0, widths[index] - TextColumns.width(cell)))
                cells.append(rightAligned.contains(index) ? padding + cell : cell + padding)
            }
            var text = cells.joined(separator: "  ")
            while text.hasSuffix(" ") { text.removeLast() }
            return text
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }

    /// The table as GitHub-flavoured Markdown, cells escaped, right-aligned columns marked `---:`.
    public var markdown: String {
        func line(_ cells: [String]) -> String { "| " + cells.map(TextEscaping.markdownCell).joined(separator: " | ") + " |" }
        let rule = "|" + headers.indices.map { rightAligned.contains($0) ? " ---: " : " --- " }.joined(separator: "|") + "|"
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }

    /// Display width in a monospaced terminal: East Asian wide characters take two cells.
    public static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { total, scalar in
            let value = scalar.value
            let wide = (0x1100...0x115F).contains(value) || (0x2E80...0xA4CF).contains(value) || (0xAC00...0xD7A3).contains(value)
                || (0xF900...0xFAFF).contains(value) || (0xFE30...0xFE4F).contains(value) || (0xFF00...0xFF60).contains(value)
                || (0xFFE0...0xFFE6).contains(value)
            return total + (wide ? 2 : 1)
        }
    }
}
