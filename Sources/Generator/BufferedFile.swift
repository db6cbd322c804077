import Foundation

/// A file written through a 1 MiB buffer, so that millions of short lines cost few system calls and bounded memory.
final class BufferedFile {
    static let bufferBytes = 1 << 20

    let path: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var lines = 0

    init(path: String) throws {
        guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
            throw GeneratorError("cannot write \(path)")
        }
        self.path = path
        self.handle = handle
        buffer.reserveCapacity(BufferedFile.bufferBytes + 4_096)
    }

    func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        lines += 1
        if buffer.count >= BufferedFile.bufferBytes { flush() }
    }

    func write(bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        lines += 1
        if buffer.count >= BufferedFile.bufferBytes { flush() }
    }

    func flush() {
        guard !buffer.isEmpty else { return }
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    func close() throws {
        flush()
        try handle.close()
    }
}

/// Why the generator could not do its job (a file it cannot write, arguments out of range).
public struct GeneratorError: Error, CustomStringConvertible, Sendable {
    public let description: String
    /// An error whose `description` is the message shown to the user.
    public init(_ description: String) { self.description = description }
}
