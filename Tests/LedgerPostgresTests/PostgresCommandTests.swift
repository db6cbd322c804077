import Foundation
import Ledger
@testable import LedgerPostgres
import SkillsDomain
import Testing

/// The use cases end to end through the `skills-ledger` binary on a fresh PostgreSQL database, beside the same commands
/// on a SQLite ledger given the same pseudonym key: every output is the same once the recording times, the chain
/// hashes that cover them and the ledger's location are masked, and both ledgers hold the same events.
@Suite("PostgreSQL through the CLI, compared with SQLite", .enabled(if: TestServer.url != nil, "\(TestServer.skipped)"), .serialized)
struct PostgresCommandTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The binary beside the test runner (whatever `--scratch-path` built both), or `SKILLS_LEDGER_BINARY`.
    static let binary: String? = ProcessInfo.processInfo.environment["SKILLS_LEDGER_BINARY"] ?? [
        URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent(), Bundle.main.bundleURL,
    ].map { $0.appendingPathComponent("skills-ledger").path }.first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Exit status and stdout+stderr of one command on `ledger`, run in the repository (relative `Samples/…` paths).
    static func run(_ arguments: [String], ledger: String) throws -> (status: Int32, output: String) {
        let binary = try #require(binary, "skills-ledger was not found beside the tests: swift build first")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = repository
        process.environment = ProcessInfo.processInfo.environment.merging(
            ["SKILLS_LEDGER": ledger, "USER": "pg-compare", "LOGNAME": "pg-compare"]) { $1 }
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("pg-compare-\(UUID().uuidString).out")
        _ = FileManager.default.createFile(atPath: output.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: output) }
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, try String(contentsOf: output, encoding: .utf8))
    }

    /// What differs between two runs by design: when events were recorded, the hashes over that, where the ledger is.
    static func masked(_ text: String, ledger: String) -> String {
        text.replacingOccurrences(of: ledger, with: "<LEDGER>")
            .replacingOccurrences(of: #"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z"#, with: "<RECORDED_AT>", options: .regularExpression)
            .replacingOccurrences(of: #"[0-9a-f]{64}"#, with: "<HASH>", options: .regularExpression)
    }

    @Test("init, policy adopt, submit, grant, reconcile, verify and digest answer on PostgreSQL as on SQLite")
    func commandsAsOnSQLite() async throws {
        let policies = try FileManager.default.contentsOfDirectory(atPath: Self.repository.appendingPathComponent("Samples/policies").path)
            .filter { $0.hasSuffix(".yaml") }.sorted().map { "Samples/policies/" + $0 }
        let samples = ["workers.csv", "training.csv", "certificates.csv", "events.jsonl"].map { "Samples/" + $0 }
        let commands: [[String]] = [
            ["policy", "adopt"] + policies,
            ["submit", "--format", "json"] + samples,
            ["submit"] + samples,
            ["grant", "--jurisdiction", "420300", "--month", "2026-03", "--format", "json"],
            ["grant", "--jurisdiction", "420300", "--month", "2026-03"],
            ["reconcile", "--jurisdiction", "420300", "--month", "2026-03", "--payments", "Samples/payments/420300-2026-03.csv", "--format", "json"],
            ["verify", "--format", "json"],
            ["digest"],
        ]
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("pg-compare-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let sqlitePath = directory.appendingPathComponent("ledger.sqlite").path
        #expect(try Self.run(["init"], ledger: sqlitePath).status == 0)
        let key = try LedgerStore.open(path: sqlitePath).pseudonymKey

        // A database of our own, empty, for `init` to make the ledger in; dropped afterwards.
        let admin = try PostgresAddress(parsing: try #require(TestServer.url))
        var address = admin
        address.database = "skills_test_cli_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await TestServer.run(admin, "CREATE DATABASE \(address.database)")
        do {
            let url = "postgres://\(address.user)\(address.password.map { ":" + $0 } ?? "")@\(address.host):\(address.port)/\(address.database)"
            let initialised = try Self.run(["init"], ledger: url)
            #expect(initialised.status == 0, "\(initialised.output)")
            try await TestServer.run(address, """
                UPDATE ledger_meta SET value = '\\x\(key.hexString)' WHERE key = 'pseudonym_key' AND (SELECT count(*) FROM events) = 0
                """)
            for command in commands {
                let expected = try Self.run(command, ledger: sqlitePath)
                let found = try Self.run(command, ledger: url)
                #expect(found.status == expected.status, "\(command): \(found.output)")
                #expect(Self.masked(found.output, ledger: url) == Self.masked(expected.output, ledger: sqlitePath), "\(command)")
            }
            let sqlite = try LedgerStore.open(path: sqlitePath)
            let postgres = try await PostgresLedgerStore.open(url: url)
            var expected: [String] = []
            try sqlite.forEachEvent(kinds: nil) { expected.append("\($0.seq) \($0.event)") }
            var found: [String] = []
            try await postgres.forEachEvent(kinds: nil) { found.append("\($0.seq) \($0.event)") }
            await postgres.close()
            #expect(found == expected)
            #expect(expected.contains { $0.contains("subsidy.granted") } && expected.contains { $0.contains("subsidy.paid") })
        } catch {
            try? await TestServer.run(admin, "DROP DATABASE \(address.database) WITH (FORCE)")
            throw error
        }
        try await TestServer.run(admin, "DROP DATABASE \(address.database) WITH (FORCE)")
    }
}
