import Foundation
import SkillsDomain
import ZIPFoundation

/// Writes one sheet of typed cells as an Excel workbook (xlsx: Office Open XML in a ZIP archive, made with
/// ZIPFoundation), row by row, so that a report of a million lines is never held whole: the rows go to a temporary
/// file beside the destination as they come, and `finish` streams it into the archive's sheet in 1 MiB pieces.
///
/// ```swift
/// let writer = try XLSXWriter(path: "march.xlsx", sheetName: "对账 reconcile", headers: ["收款人 payee", "应付 due"])
/// try writer.append([.text("420302197804121019"), .money(Money(fen: 150_000))])
/// try writer.finish(totalLabel: XLSXWriter.totalLabel)   // 合计 total | 1500.00
/// ```
///
/// Amounts are numbers with the format `0.00`, written from the fen count as decimal text (never through a Double);
/// the total row sums each amount column in fen. Text is an inline string, never a formula, with the characters
/// XML 1.0 forbids removed. Columns are as wide as their widest cell (CJK characters count twice), up to
/// `maximumWidth`. Nothing is at `path` until `finish` has written the whole workbook; then it replaces any file there.
public final class XLSXWriter {
    /// The rows a sheet holds, header and total row included (Excel's limit).
    public static let maximumRows = 1_048_576
    /// The columns a sheet holds (Excel's limit).
    public static let maximumColumns = 16_384
    /// The UTF-16 code units a cell holds (Excel's limit); longer text is cut there.
    public static let maximumCellLength = 32_767
    /// The widest a column is made, in characters.
    public static let maximumWidth = 60
    /// The label of the total row, in the first column.
    public static let totalLabel = "合计 total"

    private let destination: URL
    private let rowsURL: URL
    private let rows: FileHandle
    private let sheetName: String
    private let columnNames: [String]
    private var buffer: [UInt8] = []
    private var rowCount = 0
    private var widths: [Int]
    private var totals: [Int64?]
    private var finished = false

    /// Starts a workbook at `path` with one sheet named `sheetName` (cut to Excel's 31 characters) and `headers` as
    /// its first row, in bold and frozen at the top.
    public init(path: String, sheetName: String, headers: [String]) throws {
        guard !headers.isEmpty, headers.count <= Self.maximumColumns else { throw XLSXError.columnCount(headers.count) }
        destination = URL(fileURLWithPath: path)
        rowsURL = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).rows-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: rowsURL.path, contents: nil), let rows = FileHandle(forWritingAtPath: rowsURL.path) else {
            throw XLSXError.cannotWrite(path)
        }
        self.rows = rows
        self.sheetName = XLSXParts.sheetName(sheetName)
        columnNames = (0..<headers.count).map(XLSXParts.columnName)
        widths = Array(repeating: 0, count: headers.count)
        totals = Array(repeating: nil, count: headers.count)
        buffer.reserveCapacity(Self.flushSize + 65_536)
        try encode(headers.map { .text($0) }, bold: true)
    }

    deinit {
        try? rows.close()
        try? FileManager.default.removeItem(at: rowsURL)
    }

    /// Adds a row of cells in `headers` order; an amount is added to its column's total. A refused row changes
    /// nothing: the row is checked whole before any of it is written.
    public func append(_ cells: [SheetCell]) throws {
        guard cells.count == columnNames.count else { throw XLSXError.rowWidth(row: rowCount + 1, expected: columnNames.count, found: cells.count) }
        var totals = self.totals
        for (index, cell) in cells.enumerated() {
            switch cell {
            case .money(let amount):
                let (sum, overflow) = (totals[index] ?? 0).addingReportingOverflow(amount.fen)
                guard !overflow else { throw XLSXError.totalOverflow(column: columnNames[index]) }
                totals[index] = sum
            case .decimal(let text):
                guard XLSXParts.isDecimal(text) else { throw XLSXError.notADecimal(text) }
            case .text, .integer, .date, .empty: continue
            }
        }
        try encode(cells, bold: false)
        self.totals = totals
    }

    /// Writes the total row when `totalLabel` is given (each amount column's sum beneath it, the label in the first
    /// column unless that is one of them), then the workbook, replacing any file at the path.
    public func finish(totalLabel: String?) throws {
        precondition(!finished, "an XLSXWriter is finished once")
        finished = true
        defer { try? FileManager.default.removeItem(at: rowsURL) }
        if let totalLabel {
            var cells = totals.map { total in total.map { SheetCell.money(Money(fen: $0)) } ?? .empty }
            if cells[0] == .empty { cells[0] = .text(totalLabel) }
            try encode(cells, bold: true)
        }
        try flush()
        try rows.close()
        try writeArchive()
    }

    // MARK: rows

    private static let flushSize = 1 << 20

    /// Writes a row whose cells are known good (`append` checks them); throws before writing any of it when the
    /// sheet is full.
    private func encode(_ cells: [SheetCell], bold: Bool) throws {
        guard rowCount < Self.maximumRows else { throw XLSXError.tooManyRows }
        rowCount += 1
        let row = String(rowCount)
        append("<row r=\"" + row + "\">")
        for (index, cell) in cells.enumerated() {
            let reference = columnNames[index] + row
            switch cell {
            case .empty: continue
            case .text(let text):
                guard !text.isEmpty else { continue }
                append("<c r=\"" + reference + (bold ? "\" s=\"4\"" : "\"") + " t=\"inlineStr\"><is><t")
                if let first = text.unicodeScalars.first, let last = text.unicodeScalars.last,
                   first.properties.isWhitespace || last.properties.isWhitespace {
                    append(" xml:space=\"preserve\"")
                }
                append(">")
                XLSXParts.appendEscaped(text, to: &buffer)
                append("</t></is></c>")
                widen(index, XLSXParts.displayWidth(text, atLeast: widths[index]))
            case .integer(let value): number(reference, style: nil, String(value), index)
            case .money(let amount): number(reference, style: bold ? "5" : "1", amount.yuanString, index)
            case .date(let date):
                append("<c r=\"" + reference + "\" s=\"2\"><v>" + String(date.dayNumber + XLSXParts.serialOf1970) + "</v></c>")
                widen(index, 10)
            case .decimal(let text): number(reference, style: "3", text, index)
            }
        }
        append("</row>")
        if buffer.count >= Self.flushSize { try flush() }
    }

    private func number(_ reference: String, style: String?, _ text: String, _ column: Int) {
        append("<c r=\"" + reference + (style.map { "\" s=\"" + $0 + "\"" } ?? "\"") + "><v>" + text + "</v></c>")
        widen(column, text.utf8.count)
    }

    private func widen(_ column: Int, _ width: Int) { if width > widths[column] { widths[column] = width } }

    private func append(_ text: String) { buffer.append(contentsOf: text.utf8) }

    private func flush() throws {
        do { try rows.write(contentsOf: buffer) } catch { throw XLSXError.cannotWrite(destination.path) }
        buffer.removeAll(keepingCapacity: true)
    }

    // MARK: the archive

    /// The parts around the rows, then the archive under a temporary name, renamed into place when complete.
    private func writeArchive() throws {
        let head = Data(XLSXParts.sheetHead(columns: columnNames.count, rows: rowCount, widths: widths.map { min($0, Self.maximumWidth) }).utf8)
        let tail = Data(XLSXParts.sheetTail.utf8)
        let partial = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).partial-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: partial) }
        do {
            let archive = try Archive(url: partial, accessMode: .create)
            for (path, text) in XLSXParts.fixedParts(sheetName: sheetName) {
                let data = Data(text.utf8)
                try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), modificationDate: XLSXParts.modificationDate,
                                     compressionMethod: .deflate) { position, size in data.subdata(in: Int(position)..<Int(position) + size) }
            }
            let sheet = try SheetSource(head: head, body: rowsURL, tail: tail)
            try archive.addEntry(with: "xl/worksheets/sheet1.xml", type: .file, uncompressedSize: sheet.length,
                                 modificationDate: XLSXParts.modificationDate, compressionMethod: .deflate, bufferSize: Self.flushSize,
                                 provider: sheet.read)
        } catch { throw XLSXError.cannotWrite("\(destination.path): \(error)") }
        guard rename(partial.path, destination.path) == 0 else { throw XLSXError.cannotWrite(destination.path) }
    }
}

/// The sheet part read back in pieces: the XML before the rows, the rows' temporary file, the XML after them.
private final class SheetSource {
    let head: Data
    let body: FileHandle
    let bodyLength: Int64
    let tail: Data
    var length: Int64 { Int64(head.count) + bodyLength + Int64(tail.count) }

    init(head: Data, body url: URL, tail: Data) throws {
        self.head = head
        self.tail = tail
        body = try FileHandle(forReadingFrom: url)
        bodyLength = Int64(try body.seekToEnd())
    }

    deinit { try? body.close() }

    /// `size` bytes from `position` of the whole part, across the pieces.
    func read(_ position: Int64, _ size: Int) throws -> Data {
        var data = Data(capacity: size)
        let start = position
        var position = position
        let end = min(position + Int64(size), length)
        while position < end {
            let headCount = Int64(head.count)
            if position < headCount {
                data.append(head[Int(position)..<Int(min(end, headCount))])
            } else if position < headCount + bodyLength {
                try body.seek(toOffset: UInt64(position - headCount))
                let chunk = try body.read(upToCount: Int(min(end, headCount + bodyLength) - position)) ?? Data()
                guard !chunk.isEmpty else { throw XLSXError.cannotWrite("the sheet's rows ended early") }
                data.append(chunk)
            } else {
                let offset = Int(position - headCount - bodyLength)
                data.append(tail[offset..<offset + Int(end - position)])
            }
            position = start + Int64(data.count)
        }
        return data
    }
}
