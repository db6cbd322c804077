import Foundation
import Testing

/// Runs the built `skills-ledger` binary, as a user would. The binary is looked for next to the test bundle (so the
/// tests use whatever `--scratch-path` built them), or at `SKILLS_LEDGER_BINARY`.
enum CLI {
    static let binary: String? = locate()

    static func locate() -> String? {
        let environment = ProcessInfo.processInfo.environment
        if let explicit = environment["SKILLS_LEDGER_BINARY"] { return explicit }
        var directories: [URL] = []
        // Linux: the test runner is `<scratch>/debug/<Package>PackageTests.xctest`, an executable beside the products.
        directories.append(URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent())
        // macOS: the tests are a bundle `<scratch>/debug/<Package>PackageTests.xctest/…` beside the products.
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        directories.append(Bundle.main.bundleURL)
        return directories.map { $0.appendingPathComponent("skills-ledger").path }
            .first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    struct Result: CustomStringConvertible {
        var status: Int32
        var out: String
        var err: String
        var description: String { "exit \(status)\nstdout: \(out)\nstderr: \(err)" }
    }

    /// Runs the binary with `arguments` in `directory`; stdout and stderr go to files, so a large output cannot
    /// block the pipe while we wait.
    static func run(_ arguments: [String], in directory: URL, environment: [String: String] = [:]) throws -> Result {
        let binary = try #require(binary, "skills-ledger was not found next to the test bundle: build the package (swift build) first")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        var merged = ProcessInfo.processInfo.environment
        merged["SKILLS_LEDGER"] = nil
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        let outURL = directory.appendingPathComponent(".stdout-\(UUID().uuidString)")
        let errURL = directory.appendingPathComponent(".stderr-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: outURL.path, contents: nil),
              FileManager.default.createFile(atPath: errURL.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown)
        }
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        process.standardError = try FileHandle(forWritingTo: errURL)
        try process.run()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, out: try String(contentsOf: outURL, encoding: .utf8),
                      err: try String(contentsOf: errURL, encoding: .utf8))
    }

    /// Whether a program is on the PATH (the sqlite3 shell is optional for a developer, installed by CI).
    static func onPath(_ program: String) -> Bool {
        (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":")
            .contains { FileManager.default.isExecutableFile(atPath: "\($0)/\(program)") }
    }
}

/// A working directory for one test, with the repository's samples at hand; removed afterwards.
final class Workspace {
    let directory: URL
    var ledger: String { directory.appendingPathComponent("ledger.sqlite").path }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static func sample(_ name: String) -> String { repository.appendingPathComponent("Samples/" + name).path }
    static let samples = ["workers.csv", "training.csv", "certificates.csv", "events.jsonl"].map(sample)

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("skills-ledger-cli-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// `skills-ledger ARGS --ledger <this workspace's ledger>`.
    func run(_ arguments: String..., ledger: String? = nil) throws -> CLI.Result {
        try CLI.run(arguments + ["--ledger", ledger ?? self.ledger], in: directory)
    }

    func run(_ arguments: [String], ledger: String? = nil) throws -> CLI.Result {
        try CLI.run(arguments + ["--ledger", ledger ?? self.ledger], in: directory)
    }

    /// A ledger holding the four sample files.
    func submitSamples() throws -> CLI.Result { try run(["submit"] + Workspace.samples) }

    func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// The `COUNT:HASH` digest of a ledger.
    func digest(_ ledger: String? = nil) throws -> String {
        try run("digest", ledger: ledger).out.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
