/// Reads CSV records (RFC 4180: commas, double quotes, "" inside quotes, line breaks inside quotes) from a
/// `LineReader`, each with the line it starts on.
public struct CSVRecordReader {
    /// The most fields a record may have; a record with more is refused.
    public static let maximumFields = 200
    /// A record may span lines (a quoted field with line breaks), but all of them together hold no more than one
    /// line may: without this, 100 lines of 8 MiB inside one unclosed quote would build an 800 MiB field.
    public static let maximumRecordBytes = LineReader.maximumLineBytes

    var lines: LineReader
    /// The file being read, as given.
    public var path: String { lines.path }
    /// `UTF-8`, or `GB18030` when the file's first chunk is not valid UTF-8 (known after the first record).
    public var encodingName: String { lines.encodingName }

    /// Opens the CSV file at `path`; nothing is read yet.
    /// - Throws: `IntakeError` when the file does not exist, cannot be opened, or is larger than
    ///   `LineReader.maximumFileBytes`.
    public init(path: String) throws(IntakeError) {
        lines = try LineReader(path: path)
    }

    /// The next record's fields and its first line, or nil at the end. Blank lines are skipped.
    public mutating func next() throws(IntakeError) -> (line: Int, fields: [String])? {
        while let text = try lines.next() {
            let firstLine = lines.lineNumber
            if text.trimmingCharacters(in: " \t,") .isEmpty { continue }
            var fields: [String] = []
            var field: [UInt8] = []
            var inQuotes = false
            var afterQuote = false
            var current = text
            var recordBytes = text.utf8.count
            while true {
                var bytes = current.utf8.makeIterator()
                while let byte = bytes.next() {
                    if inQuotes {
                        if byte == UInt8(ascii: "\"") { inQuotes = false; afterQuote = true } else { field.append(byte) }
                        continue
                    }
                    switch byte {
                    case UInt8(ascii: "\""):
                        if afterQuote { field.append(byte); inQuotes = true; afterQuote = false }
                        else if field.allSatisfy({ $0 == 0x20 }) { field.removeAll(); inQuotes = true }
                        else { field.append(byte) }
                    case UInt8(ascii: ","):
                        fields.append(String(decoding: field, as: UTF8.self))
                        field.removeAll(keepingCapacity: true)
                        afterQuote = false
                        guard fields.count < CSVRecordReader.maximumFields else {
                            throw IntakeError(file: path, line: firstLine, message: "more than \(CSVRecordReader.maximumFields) columns")
                        }
                    default:
                        if !afterQuote || byte != 0x20 { field.append(byte) }
                    }
                }
                guard inQuotes else { break }
                guard let more = try lines.next() else {
                    throw IntakeError(file: path, line: firstLine, message: "a quoted field that never closes (expected a closing \")")
                }
                guard lines.lineNumber - firstLine < 100 else {
                    throw IntakeError(file: path, line: firstLine, message: "a quoted field spanning more than 100 lines (a missing closing \"?)")
                }
                recordBytes += more.utf8.count + 1
                guard recordBytes <= CSVRecordReader.maximumRecordBytes else {
                    throw IntakeError(file: path, line: firstLine,
                                      message: "a record longer than \(CSVRecordReader.maximumRecordBytes) bytes across its lines (a missing closing \"?)")
                }
                field.append(0x0A)
                current = more
            }
            fields.append(String(decoding: field, as: UTF8.self))
            return (firstLine, fields)
        }
        return nil
    }
}

extension String {
    func trimmingCharacters(in set: String) -> String {
        let characters = Set(set)
        var result = Substring(self)
        while let first = result.first, characters.contains(first) { result = result.dropFirst() }
        while let last = result.last, characters.contains(last) { result = result.dropLast() }
        return String(result)
    }
}
