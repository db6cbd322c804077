import Foundation
import SkillsDomain

/// Reads a file as numbered lines of text, a chunk at a time, so that memory stays bounded whatever the file's size.
/// Decodes UTF-8 (a BOM is dropped) and GB18030 (what Excel on Chinese Windows writes): a file whose first chunk is
/// not UTF-8 is read as GB18030, and a line that is not UTF-8 is read as GB18030 too (ASCII is common to both).
public struct LineReader {
    /// No line may be longer than this (a policy pack's full text fits well within it).
    public static let maximumLineBytes = 8 << 20
    /// No input file may be larger than this.
    public static let maximumFileBytes: UInt64 = 16 << 30

    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)
    static let chunkSize = 1 << 20

    /// The file being read, as given.
    public let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private var start = 0
    private var atEnd = false
    private var readGB18030 = false
    private var decidedEncoding = false
    /// The number of the line `next()` last returned, blank lines counted: 1 for the first, 0 before it.
    public private(set) var lineNumber = 0
    /// `UTF-8`, or `GB18030` when the first chunk is not valid UTF-8; decided on the first read.
    public private(set) var encodingName = "UTF-8"

    /// Opens the file at `path`; nothing is read yet.
    /// - Throws: `IntakeError` (line 0) when the path is missing or a directory, cannot be opened, or is larger than
    ///   `maximumFileBytes`.
    public init(path: String) throws(IntakeError) {
        self.path = path
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue else {
            throw IntakeError(file: path, line: 0, message: "no such file")
        }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw IntakeError(file: path, line: 0, message: "cannot be opened for reading (permissions?)")
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
        guard size <= LineReader.maximumFileBytes else {
            throw IntakeError(file: path, line: 0, message: "the file is \(size) bytes; at most \(LineReader.maximumFileBytes) are accepted per file: split it")
        }
        self.handle = handle
    }

    private mutating func fill() throws(IntakeError) {
        if start > 0 {
            buffer.removeSubrange(0..<start)
            start = 0
        }
        let chunk: Data?
        do { chunk = try handle.read(upToCount: LineReader.chunkSize) } catch {
            throw IntakeError(file: path, line: lineNumber, message: "read failed: \(error)")
        }
        guard let chunk, !chunk.isEmpty else { atEnd = true; return }
        buffer.append(contentsOf: chunk)
        if !decidedEncoding { decideEncoding() }
    }

    private mutating func decideEncoding() {
        decidedEncoding = true
        if buffer.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3; return }
        // A chunk may end inside a multi-byte character: judge the part before the last line break, or, when the
        // chunk holds no line break (one line longer than a chunk), the part before an unfinished last character.
        let cut = buffer.lastIndex(of: 0x0A) ?? LineReader.endOfLastWholeCharacter(buffer)
        if String(validUTF8: buffer[0..<cut]) == nil {
            readGB18030 = true
            encodingName = "GB18030"
        }
    }

    /// Where `bytes` end once an unfinished UTF-8 sequence at their end (a lead byte with fewer continuation bytes
    /// than it announces) is left out.
    static func endOfLastWholeCharacter(_ bytes: [UInt8]) -> Int {
        var index = bytes.count
        var continuations = 0
        while index > 0 && continuations < 4 && bytes[index - 1] & 0xC0 == 0x80 {
            index -= 1
            continuations += 1
        }
        guard index > 0 else { return bytes.count }
        let lead = bytes[index - 1]
        let length = lead >= 0xF8 ? 1 : lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1
        return length > continuations + 1 ? index - 1 : bytes.count
    }

    /// The next line without its line break, or nil at the end of the file.
    public mutating func next() throws(IntakeError) -> String? {
        while true {
            if let newline = buffer[start...].firstIndex(of: 0x0A) {
                // Checked here too: a line whose break arrives in the same chunk as its excess is still too long.
                guard newline - start <= LineReader.maximumLineBytes else { throw lineTooLong() }
                let line = buffer[start..<newline]
                start = newline + 1
                return try decode(line)
            }
            if buffer.count - start > LineReader.maximumLineBytes { throw lineTooLong() }
            if atEnd {
                guard start < buffer.count else { return nil }
                let line = buffer[start...]
                start = buffer.count
                return try decode(line)
            }
            try fill()
        }
    }

    private func lineTooLong() -> IntakeError {
        IntakeError(file: path, line: lineNumber + 1, message: "a line longer than \(LineReader.maximumLineBytes) bytes (is this a text file?)")
    }

    private mutating func decode(_ raw: ArraySlice<UInt8>) throws(IntakeError) -> String {
        lineNumber += 1
        var line = raw
        if line.last == 0x0D { line = line.dropLast() }
        if line.contains(0) {
            throw IntakeError(file: path, line: lineNumber, message: "a NUL byte: this is not a text file (expected UTF-8 or GB18030 text)")
        }
        if !readGB18030, let text = String(validUTF8: line) { return text }
        if let text = String(data: Data(line), encoding: LineReader.gb18030) { return text }
        throw IntakeError(file: path, line: lineNumber, message: "text that is neither UTF-8 nor GB18030")
    }
}

extension LineReader {
    /// An estimate of a text file's line count from its size and the lines in its first MiB, for a progress ETA
    /// without reading the file twice; nil when the file cannot be read.
    public static func estimatedLineCount(path: String) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path),
              let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? UInt64, size > 0 else { return nil }
        defer { try? handle.close() }
        guard let sample = try? handle.read(upToCount: 1 << 20), !sample.isEmpty else { return nil }
        let lines = sample.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        guard lines > 0 else { return 1 }
        return Int(Double(size) * Double(lines) / Double(sample.count))
    }
}
