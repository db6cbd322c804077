import Foundation
import Ledger
import LedgerTesting
import SkillsDomain
import Testing

/// Backups (RELIABILITY.md §8): `backup PATH` copies the ledger from one snapshot with SQLite's online backup, even
/// while others write; `--check` proves the copy verifies and has the source's digest at that moment.
@Suite("backups", .serialized, .enabled(if: SkillsLedgerBinary.path != nil, Comment(rawValue: SkillsLedgerBinary.missing)))
struct BackupTests {
    @Test("backup --check while another process writes a large batch: the copy holds all of it or none, and verifies")
    func backupWhileWriting() throws {
        let scratch = try TemporaryLedger()
        let ledger = scratch.path("live.sqlite")
        try LedgerFiles.make(ledger, [Population.registrations(0..<300)])
        let before = try LedgerStore.open(path: ledger).digest()
        let batch = try scratch.file("batch.jsonl", Population.creditsJSONL(prefix: "bk", count: Campaign.size("backup_events", ci: 3_000, full: 50_000), people: 300))
        let writer = try SkillsLedgerProcess(["submit", "--ledger", ledger, "--quiet", batch])
        var copies: [LedgerDigest] = []
        var round = 0
        while writer.isRunning {
            let copy = scratch.path("copy-\(round).sqlite")
            let backup = try SkillsLedgerProcess.run(["backup", "--ledger", ledger, "--check", "--format", "json", copy])
            #expect(backup.status == 0, "backup \(round): \(backup)")
            let digest = try LedgerStore.checkBackup(at: copy, expecting: LedgerStore.open(path: copy).digest()).digest
            copies.append(digest)
            round += 1
        }
        #expect(writer.wait().status == 0)
        let last = scratch.path("copy-last.sqlite")
        #expect(try SkillsLedgerProcess.run(["backup", "--ledger", ledger, "--check", last]).status == 0)
        copies.append(try LedgerStore.open(path: last).digest())
        let after = try LedgerStore.open(path: ledger).digest()
        for (index, digest) in copies.enumerated() {
            #expect(digest == before || digest == after, "copy \(index) is a snapshot between batches: \(digest)")
            let extends = try SkillsLedgerProcess.run(["verify", "--ledger", ledger, "--digest", digest.description])
            #expect(extends.status == 0, "the ledger still extends copy \(index)'s digest: \(extends)")
        }
        Campaign.record("backup: \(copies.count) backups taken while a batch was being written; "
            + "\(copies.filter { $0 == before }.count) before it, \(copies.filter { $0 == after }.count) after it, none in between")
    }

    @Test("a backup never overwrites, and the restore check refuses a copy that differs from the source's digest")
    func refusals() throws {
        let scratch = try TemporaryLedger()
        let ledger = scratch.path("source.sqlite")
        try LedgerFiles.make(ledger, [Population.registrations(0..<5)])
        let target = try scratch.file("exists.sqlite", "keep me")
        let refused = try SkillsLedgerProcess.run(["backup", "--ledger", ledger, target])
        #expect(refused.status == 2 && refused.stderr.contains("never overwrites"), "\(refused)")
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me")
        let store = try LedgerStore.open(path: ledger)
        let report = try store.backup(to: scratch.path("copy.sqlite"))
        #expect(report.digest == (try store.digest()))
        try store.append(Population.registrations(5..<6), operatorName: "later")
        #expect(throws: LedgerError.self) { try LedgerStore.checkBackup(at: report.path, expecting: store.digest()) }
        #expect(try LedgerStore.checkBackup(at: report.path, expecting: report.digest).eventsChecked == 5)
        #expect(!FileManager.default.fileExists(atPath: report.path + "-wal"), "the copy stands alone")
    }
}
