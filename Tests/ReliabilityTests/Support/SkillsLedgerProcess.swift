import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The built `skills-ledger` executable, found the way `swift build` lays it out, so that tests run the real binary
/// as a person would (and can kill it). Order: `SKILLS_LEDGER_BIN`; beside the test bundle (the same scratch path);
/// any `.build*/…/debug` or `release` folder of this package, newest first.
enum SkillsLedgerBinary {
    static let path: String? = locate()

    /// Why the tests that need the binary are skipped, when it is absent.
    static let missing = "no built skills-ledger: run `swift build` (with the same --scratch-path) before `swift test`, or set SKILLS_LEDGER_BIN"

    static func locate() -> String? {
        let files = FileManager.default
        if let explicit = ProcessInfo.processInfo.environment["SKILLS_LEDGER_BIN"] {
            return files.isExecutableFile(atPath: explicit) ? explicit : nil
        }
        var directories: [URL] = []
        for start in [CommandLine.arguments.first, Bundle.main.executablePath, Bundle.main.bundlePath].compactMap({ $0 }) {
            var url = URL(fileURLWithPath: start).deletingLastPathComponent()
            for _ in 0..<4 {
                directories.append(url)
                url = url.deletingLastPathComponent()
            }
        }
        for directory in directories {
            let candidate = directory.appendingPathComponent("skills-ledger").path
            if files.isExecutableFile(atPath: candidate) { return candidate }
        }
        return newestInScratchPaths()
    }

    /// `.build*/debug/skills-ledger`, `.build*/<triple>/debug/skills-ledger` (and release) under the package root.
    static func newestInScratchPaths() -> String? {
        let files = FileManager.default
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        let scratch = ((try? files.contentsOfDirectory(atPath: root.path)) ?? []).filter { $0.hasPrefix(".build") }
        var found: [(path: String, modified: Date)] = []
        for folder in scratch {
            let base = root.appendingPathComponent(folder)
            let triples = ((try? files.contentsOfDirectory(atPath: base.path)) ?? []).map { base.appendingPathComponent($0) }
            for directory in [base] + triples {
                for configuration in ["debug", "release"] {
                    let candidate = directory.appendingPathComponent(configuration).appendingPathComponent("skills-ledger").path
                    guard files.isExecutableFile(atPath: candidate),
                          let modified = (try? files.attributesOfItem(atPath: candidate))?[.modificationDate] as? Date else { continue }
                    found.append((candidate, modified))
                }
            }
        }
        return found.max { $0.modified < $1.modified }?.path
    }

    /// The package root (for Samples/).
    static let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().path
}

/// How a run of the binary ended.
struct ProcessOutcome: CustomStringConvertible {
    var status: Int32
    /// Ended by a signal (our SIGKILL) rather than by exiting.
    var killed: Bool
    var stdout: String
    var stderr: String

    var description: String { "\(killed ? "killed by signal \(status)" : "exit \(status)")\nstdout: \(stdout)\nstderr: \(stderr)" }
}

/// One running `skills-ledger`, its output going to files (a pipe left unread could block it).
final class SkillsLedgerProcess {
    let process = Process()
    let outputPath: String
    let errorPath: String
    let started = Date()

    /// Starts `skills-ledger arguments…`. The child sees this process's environment plus `environment`, without
    /// SKILLS_LEDGER (tests always pass --ledger).
    init(_ arguments: [String], environment: [String: String] = [:]) throws {
        guard let binary = SkillsLedgerBinary.path else { throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: SkillsLedgerBinary.missing]) }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("skills-ledger-out-" + UUID().uuidString).path
        outputPath = scratch + ".out"
        errorPath = scratch + ".err"
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment
        merged["SKILLS_LEDGER"] = nil
        for (key, value) in environment { merged[key] = value }
        process.environment = merged
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle(forWritingAtPath: outputPath)
        process.standardError = FileHandle(forWritingAtPath: errorPath)
        try process.run()
    }

    var isRunning: Bool { process.isRunning }

    /// SIGKILL: the process gets no chance to clean up, as in a power cut of the process (not of the disk).
    func kill() { _ = Glibc.kill(process.processIdentifier, SIGKILL) }

    /// Waits for the end; a run that outlives `limitSeconds` (a hang) is killed and reported as killed.
    func wait(limitSeconds: Double = 600) -> ProcessOutcome {
        let deadline = Date().addingTimeInterval(limitSeconds)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning { kill() }
        process.waitUntilExit()
        let outcome = ProcessOutcome(status: process.terminationStatus, killed: process.terminationReason == .uncaughtSignal,
                                     stdout: (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? "",
                                     stderr: (try? String(contentsOfFile: errorPath, encoding: .utf8)) ?? "")
        try? FileManager.default.removeItem(atPath: outputPath)
        try? FileManager.default.removeItem(atPath: errorPath)
        return outcome
    }

    /// Runs `skills-ledger arguments…` to the end.
    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessOutcome {
        try SkillsLedgerProcess(arguments, environment: environment).wait()
    }
}

/// Sleeps the calling thread (the campaigns choose kill moments in real time; nothing is asserted about time).
func pause(seconds: Double) {
    guard seconds > 0 else { return }
    usleep(useconds_t(min(seconds, 3_600) * 1_000_000))
}
