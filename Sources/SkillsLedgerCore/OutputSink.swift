import Foundation

/// Buffered output to stdout or a file (`export --output`, `reconcile --output`): written in 1 MiB pieces, so that
/// a report of a million lines never sits whole in memory.
public struct OutputSink {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let ownsHandle: Bool

    /// Output to the file at `path` (created, or emptied), or to stdout when nil.
    public init(path: String?) throws {
        if let path {
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw OperationError.badRequest("cannot write \(path)")
            }
            self.handle = handle
            ownsHandle = true
        } else {
            handle = FileHandle.standardOutput
            ownsHandle = false
        }
        buffer.reserveCapacity(1 << 20)
    }

    /// Adds `text`; writes when a mebibyte has gathered.
    public mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    /// Writes what has gathered.
    public mutating func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what has gathered and closes the file (stdout stays open).
    public mutating func close() throws {
        flush()
        if ownsHandle { try handle.close() }
    }
}
