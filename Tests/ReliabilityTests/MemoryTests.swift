import Foundation
import LedgerTesting
import Testing

/// Memory stays bounded whatever the input (RELIABILITY.md §5): the built binary runs under a 64 MiB data limit
/// (`ulimit -d`, which the kernel enforces on the heap), and hostile files still end in a clear refusal (exit 2),
/// not in "failed to allocate". Before the limits this line-and-record reading and JSON parsing needed 800 MiB
/// (a runaway quote) or 200 MiB (one line of four million JSON values).
@Suite("bounded memory", .serialized, .enabled(if: SkillsLedgerBinary.path != nil && FileManager.default.isExecutableFile(atPath: "/bin/sh"),
                                                Comment(rawValue: SkillsLedgerBinary.missing)))
struct MemoryTests {
    static let limitMebibytes = 64

    /// Runs `skills-ledger arguments…` with its data segment limited.
    static func runLimited(_ arguments: [String]) throws -> ProcessOutcome {
        let binary = try #require(SkillsLedgerBinary.path)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "ulimit -d \(limitMebibytes * 1024) && exec \"$0\" \"$@\"", binary] + arguments
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("memory-" + UUID().uuidString).path
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: output) }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle(forWritingAtPath: output)
        try process.run()
        process.waitUntilExit()
        return ProcessOutcome(status: process.terminationStatus, killed: process.terminationReason == .uncaughtSignal, stdout: "",
                              stderr: (try? String(contentsOfFile: output, encoding: .utf8)) ?? "")
    }

    /// Writes `count` copies of `chunk` after `head`, a chunk at a time.
    static func write(_ path: String, head: String = "", chunk: String, count: Int) throws {
        _ = FileManager.default.createFile(atPath: path, contents: Data(head.utf8))
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        let data = Data(chunk.utf8)
        for _ in 0..<count { handle.write(data) }
        try handle.close()
    }

    @Test("hostile files end in a clear refusal within a 64 MiB data limit", arguments: [
        ("one endless line (64 MiB, no line break)", "endless.jsonl", "a line longer than"),
        ("a quote that never closes (40 lines of 1 MiB)", "quote.csv", "a record longer than"),
        ("one line of a million JSON values", "values.jsonl", "more than 100000 values in one document"),
    ])
    func hostile(name: String, file: String, expected: String) throws {
        let scratch = try TemporaryLedger()
        let path = scratch.path(file)
        switch file {
        case "endless.jsonl": try Self.write(path, chunk: String(repeating: "x", count: 1 << 20), count: 64)
        case "quote.csv": try Self.write(path, head: LimitTests.workersHeader + "\nw-1,\"", chunk: String(repeating: "y", count: 1 << 20) + "\n", count: 40)
        default: try Self.write(path, head: "[0", chunk: String(repeating: ",0", count: 1_000), count: 1_000)
        }
        let outcome = try Self.runLimited(["submit", "--ledger", scratch.path("memory.sqlite"), "--quiet", path])
        #expect(outcome.status == 2 && !outcome.killed, "\(name): \(outcome)")
        #expect(outcome.stderr.contains(path + ":") && outcome.stderr.contains(expected), "\(name): \(outcome)")
    }

    @Test("an ordinary batch of 20,000 events is recorded within the same limit")
    func ordinaryBatch() throws {
        let scratch = try TemporaryLedger()
        let batch = try scratch.file("batch.jsonl", Population.creditsJSONL(prefix: "m", count: 20_000, people: 1_000))
        let outcome = try Self.runLimited(["submit", "--ledger", scratch.path("memory.sqlite"), "--quiet", batch])
        #expect(outcome.status == 0, "\(outcome)")
    }
}
