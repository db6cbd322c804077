import ArgumentParser
import Foundation
import Ledger

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write every event as JSON Lines that `submit` accepts into a fresh ledger (导出).",
        discussion: "Ids and content are preserved; each line also carries seq, recorded_at and operator. Contains personal data: handle the file accordingly."
    )

    @OptionGroup var options: LedgerOptions

    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.")
    var output: String?

    func run() throws {
        do {
            let store = try options.open()
            var sink = try OutputSink(path: output)
            try store.export { line in sink.write(line + "\n") }
            try sink.close()
        } catch { throw Console.fail(error) }
    }
}

/// Buffered output to stdout or a file.
struct OutputSink {
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private let ownsHandle: Bool

    init(path: String?) throws {
        if let path {
            guard FileManager.default.createFile(atPath: path, contents: nil), let handle = FileHandle(forWritingAtPath: path) else {
                throw ValidationError("cannot write \(path)")
            }
            self.handle = handle
            ownsHandle = true
        } else {
            handle = FileHandle.standardOutput
            ownsHandle = false
        }
        buffer.reserveCapacity(1 << 20)
    }

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 1 << 20 { flush() }
    }

    mutating func flush() {
        handle.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }

    mutating func close() throws {
        flush()
        if ownsHandle { try handle.close() }
    }
}
