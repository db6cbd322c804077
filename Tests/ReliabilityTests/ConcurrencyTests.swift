import Foundation
import GRDB
import Ledger
import LedgerTesting
import SkillsDomain
import Testing

/// Concurrent writers and readers (RELIABILITY.md §2): several processes of the built binary submit different
/// batches to one ledger at the same time while others verify and read it. Every batch lands exactly once, the chain
/// stays valid, and nobody sees "database is locked": a writer waits its turn (busy timeout) and, if the wait runs
/// out, says so in plain words.
@Suite("concurrent writers and readers", .serialized, .enabled(if: SkillsLedgerBinary.path != nil, Comment(rawValue: SkillsLedgerBinary.missing)))
struct ConcurrencyTests {
    /// What no user may ever read.
    static let leaks = ["database is locked", "SQLITE_BUSY", "SQLite error", "Fatal error"]

    @Test("writers submitting different batches at once while readers verify and look up workers")
    func writersAndReaders() throws {
        let writers = Campaign.size("concurrent_writers", ci: 3, full: 6)
        let events = Campaign.size("concurrent_events", ci: 1_500, full: 40_000)
        let rounds = Campaign.size("concurrent_rounds", ci: 2, full: 10)
        let people = 500
        let scratch = try TemporaryLedger()
        let ledger = scratch.path("shared.sqlite")
        try LedgerFiles.make(ledger, [Population.registrations(0..<people)])
        var expected = people
        var reads = 0
        for round in 0..<rounds {
            let files = try (0..<writers).map { writer in
                try scratch.file("r\(round)-w\(writer).jsonl", Population.creditsJSONL(prefix: "r\(round)w\(writer)", count: events, people: people))
            }
            let running = try files.enumerated().map { writer, file in
                try SkillsLedgerProcess(["submit", "--ledger", ledger, "--operator", "clerk-\(writer)", "--format", "json", file])
            }
            reads += try readWhile(running, ledger: ledger, round: round)
            for (writer, process) in running.enumerated() {
                let outcome = process.wait()
                #expect(outcome.status == 0, "round \(round) writer \(writer): \(outcome)")
                #expect(outcome.stdout.contains("\"recorded\":\(events)"), "round \(round) writer \(writer): \(outcome)")
                for leak in Self.leaks { #expect(!outcome.stderr.contains(leak), "round \(round) writer \(writer): \(outcome)") }
                #expect(try LedgerFiles.count(ledger, idGlob: "r\(round)w\(writer)-*") == events, "round \(round): writer \(writer)'s batch")
            }
            expected += writers * events
            #expect(try LedgerFiles.count(ledger) == expected, "round \(round): every batch exactly once, nothing else")
        }
        let verify = try SkillsLedgerProcess.run(["verify", "--ledger", ledger])
        #expect(verify.status == 0, "\(verify)")
        Campaign.record("concurrency: \(rounds) rounds of \(writers) writers × \(events) events at once, \(reads) reads (verify, worker, digest) "
            + "meanwhile; \(expected) events in the end, chain valid")
    }

    /// Runs readers (verify, worker, digest) one after another until every writer has finished; each must succeed.
    func readWhile(_ writers: [SkillsLedgerProcess], ledger: String, round: Int) throws -> Int {
        let worker = Population.citizen(7).value
        let commands = [["verify", "--ledger", ledger], ["worker", "--ledger", ledger, worker], ["digest", "--ledger", ledger]]
        var count = 0
        while writers.contains(where: \.isRunning) {
            let command = commands[count % commands.count]
            let outcome = try SkillsLedgerProcess.run(command)
            #expect(outcome.status == 0, "round \(round): \(command[0]) while writers run: \(outcome)")
            for leak in Self.leaks { #expect(!outcome.stderr.contains(leak), "round \(round): \(command[0]): \(outcome)") }
            count += 1
        }
        return count
    }

    @Test("processes creating the same new ledger at once all succeed")
    func concurrentCreation() throws {
        let rounds = Campaign.size("concurrent_creation", ci: 3, full: 25)
        let scratch = try TemporaryLedger()
        for round in 0..<rounds {
            let ledger = scratch.path("new-\(round).sqlite")
            let files = try (0..<4).map { writer in
                try scratch.file("c\(round)-\(writer).jsonl", Population.creditsJSONL(prefix: "c\(round)w\(writer)", count: 50, people: 50))
            }
            let running = try files.map { try SkillsLedgerProcess(["submit", "--ledger", ledger, "--quiet", $0]) }
            for (writer, process) in running.enumerated() {
                let outcome = process.wait()
                #expect(outcome.status == 0, "round \(round) process \(writer): \(outcome)")
            }
            #expect(try LedgerFiles.count(ledger) == 200, "round \(round)")
            let verify = try SkillsLedgerProcess.run(["verify", "--ledger", ledger])
            #expect(verify.status == 0, "round \(round): \(verify)")
        }
    }

    @Test("a writer that waits longer than the busy timeout gets a clear message; readers are never blocked by a writer")
    func busyTimeout() throws {
        let scratch = try TemporaryLedger()
        let ledger = scratch.path("held.sqlite")
        try LedgerFiles.make(ledger, [Population.registrations(0..<20)])
        let batch = try scratch.file("batch.jsonl", Population.creditsJSONL(prefix: "held", count: 20, people: 20))
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let holder = try DatabaseQueue(path: ledger, configuration: configuration)
        // Another writer holds the write lock (as a long batch would) while we try to write and to read.
        try holder.writeWithoutTransaction { db in try db.execute(sql: "BEGIN IMMEDIATE") }
        let blocked = try SkillsLedgerProcess.run(["submit", "--ledger", ledger, batch], environment: ["SKILLS_LEDGER_BUSY_TIMEOUT": "1"])
        #expect(blocked.status == 2, "\(blocked)")
        #expect(blocked.stderr.contains("is busy with another writer; gave up after 1 s: try again"), "\(blocked)")
        for leak in Self.leaks { #expect(!blocked.stderr.contains(leak), "\(blocked)") }
        for command in [["verify"], ["digest"], ["worker", Population.citizen(3).value], ["export"]] {
            let read = try SkillsLedgerProcess.run([command[0], "--ledger", ledger] + command.dropFirst(), environment: ["SKILLS_LEDGER_BUSY_TIMEOUT": "1"])
            #expect(read.status == 0, "\(command[0]) while a writer holds the lock: \(read)")
        }
        try holder.writeWithoutTransaction { db in try db.execute(sql: "ROLLBACK") }
        try holder.close()
        let free = try SkillsLedgerProcess.run(["submit", "--ledger", ledger, batch])
        #expect(free.status == 0, "\(free)")
        #expect(try LedgerFiles.count(ledger, idGlob: "held-*") == 20)
    }
}
