import Foundation
import GRDB
import Intake
@testable import Ledger
import LedgerTesting
import SkillsDomain
import Testing

@Suite("appending batches")
struct AppendTests {
    @Test("a batch is recorded in order with consecutive sequence numbers, and the result's head is the digest")
    func recordsInOrder() throws {
        let ledger = try TemporaryLedger()
        let result = try ledger.add(Story.all)
        #expect(result.recorded == Story.all.count)
        #expect(result.recordedIDs == Story.all.map(\.event.id))
        #expect(result.head == (try ledger.store.digest()))
        var seqs: [Int64] = []
        try ledger.store.forEachEvent { seqs.append($0.seq) }
        #expect(seqs == Array(1...Int64(Story.all.count)))
    }

    @Test("a caller that ignores what reading found still cannot record part of a bad file: the read throws inside the batch")
    func badFileIsNotPartlyRecorded() throws {
        let ledger = try TemporaryLedger()
        let good = Story.registrations.map { CanonicalJSONWriter.string($0.event.json) }
        let lines = good + ["{\"id\":\"broken\","] + good.map { $0.replacingOccurrences(of: "\"w-", with: "\"x-") }
        let path = try ledger.file("bad.jsonl", lines.joined(separator: "\n") + "\n")
        var handedOn = 0
        #expect {
            try ledger.store.append(operatorName: "careless") { sink in
                _ = try EventFileReader(path: path).read { submission in
                    try sink.add(submission)
                    handedOn += 1
                }
            }
        } throws: { error in
            (error as? IntakeError)?.issues.map(\.line) == [good.count + 1]
        }
        #expect(handedOn == good.count, "the rows before the bad one were handed on")
        #expect(try ledger.store.digest().count == 0, "and none of them was recorded")
    }

    @Test("submitting the same batch twice records it once")
    func idempotent() throws {
        let ledger = try TemporaryLedger()
        let first = try ledger.add(Story.all)
        let second = try ledger.add(Story.all)
        #expect(second.recorded == 0)
        #expect(second.alreadyRecorded == Story.all.count)
        #expect(second.head == first.head)
    }

    @Test("personal data is not content: the same event with another spelling of the name is already recorded")
    func nameIsNotContent() throws {
        let ledger = try TemporaryLedger()
        try ledger.add([Build.workerRegistered("w-1", worker: Story.wang).submission(name: "王建国")])
        let again = try ledger.add([Build.workerRegistered("w-1", worker: Story.wang).submission(name: "王 建国")])
        #expect(again.alreadyRecorded == 1)
    }

    @Test("an id recorded with other content is a conflict: the whole batch is refused and every conflict listed")
    func conflictsRefuseBatch() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.all)
        let before = try ledger.store.digest()
        let batch = [
            Build.workerRegistered("w-4", worker: Build.citizenID(4)).submission(),
            Build.certificationAwarded("c-1", worker: Story.wang, level: .senior).submission(origin: "fix.csv:2"),
            Build.fundBudgeted("f-1", trainingSubsidyBudget: "1").submission(origin: "fix.csv:3"),
        ]
        #expect {
            try ledger.add(batch)
        } throws: { error in
            guard case LedgerError.conflicts(let conflicts) = error else { return false }
            return conflicts.map(\.id) == ["c-1", "f-1"] && conflicts.map(\.origin) == ["fix.csv:2", "fix.csv:3"]
                && conflicts[0].differences.contains("data") && conflicts[0].recordedSeq == 5
        }
        #expect(try ledger.store.digest() == before)
        #expect(try ledger.store.event(id: "w-4") == nil)
    }

    @Test("a conflict inside one batch (the same id twice, different content) refuses it")
    func conflictWithinBatch() throws {
        let ledger = try TemporaryLedger()
        let batch = [Build.fundBudgeted("f-1").submission(), Build.fundBudgeted("f-1", employmentFund: "5").submission()]
        #expect(throws: LedgerError.self) { try ledger.add(batch) }
        #expect(try ledger.store.digest().count == 0)
    }

    @Test("a batch whose producer fails writes nothing (a bad row halfway through a file)")
    func atomicBatch() throws {
        struct BadRow: Error {}
        let ledger = try TemporaryLedger()
        try ledger.add(Story.registrations)
        let before = try ledger.store.digest()
        #expect(throws: BadRow.self) {
            try ledger.store.append(operatorName: "tester") { sink in
                try sink.add(Build.trainingCompleted("t-9", worker: Story.li).submission())
                #expect(sink.recordedCount == 1)
                throw BadRow()
            }
        }
        #expect(try ledger.store.digest() == before)
        #expect(try ledger.store.event(id: "t-9") == nil)
        #expect(try ledger.store.verify().digest == before)
    }

    @Test("a bad CSV is refused whole through intake: nothing of its good rows is recorded")
    func badFileRecordsNothing() throws {
        let ledger = try TemporaryLedger()
        try ledger.submit([Repository.path("Samples/workers.csv")])
        let before = try ledger.store.digest()
        #expect(throws: IntakeError.self) { try ledger.submit([Repository.path("Samples/bad/training.csv")]) }
        #expect(try ledger.store.digest() == before)
        #expect(try ledger.store.event(id: "bad-t-001") == nil)
    }
}

@Suite("reversals and closed months")
struct ReferenceTests {
    @Test("a reversal must name an event in the ledger")
    func reversalOfNothing() throws {
        let ledger = try TemporaryLedger()
        #expect {
            try ledger.add([Build.eventReversed("r-1", target: "missing").submission()])
        } throws: { error in
            "\(error)".contains("missing, which is not in the ledger")
        }
    }

    @Test("an event can be reversed once; a reversal cannot be reversed; both in one batch or across batches")
    func reverseOnce() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.all)
        try ledger.add([Build.eventReversed("r-1", target: "c-1").submission()])
        #expect(throws: LedgerError.self) { try ledger.add([Build.eventReversed("r-2", target: "c-1").submission()]) }
        #expect(throws: LedgerError.self) { try ledger.add([Build.eventReversed("r-3", target: "r-1").submission()]) }
        #expect(throws: LedgerError.self) {
            try ledger.add([Build.eventReversed("r-4", target: "t-1").submission(), Build.eventReversed("r-5", target: "t-1").submission()])
        }
        #expect(try ledger.add([Build.eventReversed("r-1", target: "c-1").submission()]).alreadyRecorded == 1)
    }

    @Test("a reversal may point at an event recorded earlier in the same batch")
    func reversalInSameBatch() throws {
        let ledger = try TemporaryLedger()
        let result = try ledger.add([Build.fundBudgeted("f-1").submission(), Build.eventReversed("r-1", target: "f-1").submission()])
        #expect(result.recorded == 2)
    }

    @Test("money may not move in a closed month until it is reopened; resubmitting what is recorded stays a no-op")
    func closedMonth() throws {
        let ledger = try TemporaryLedger()
        let payee = FieldValue.person(.citizen(Story.wang))
        try ledger.add(Story.registrations + [Build.subsidyPaid("p-1", payee: payee, on: "2026-03-10").submission()])
        try ledger.add([Build.periodClosed("close-1").submission()])
        #expect {
            try ledger.add([Build.subsidyPaid("p-2", payee: payee, on: "2026-03-25").submission()])
        } throws: { error in
            "\(error)".contains("2026-03 is closed for 420300")
        }
        #expect(try ledger.add([Build.subsidyPaid("p-1", payee: payee, on: "2026-03-10").submission()]).alreadyRecorded == 1)
        #expect(try ledger.add([Build.subsidyPaid("p-3", payee: payee, on: "2026-04-02").submission()]).recorded == 1)
        try ledger.add([Build.periodReopened("reopen-1").submission()])
        #expect(try ledger.add([Build.subsidyPaid("p-2", payee: payee, on: "2026-03-25").submission()]).recorded == 1)
    }
}

extension AppendTests {
    @Test("an event built in code with an id intake would refuse is refused by the ledger too, and nothing is written")
    func refusesInvalidIDs() throws {
        let ledger = try TemporaryLedger()
        let before = try ledger.store.digest()
        let bad = Build.workerRegistered("w@1", worker: Story.wang).submission()
        #expect(throws: LedgerError.self) { try ledger.add([Build.workerRegistered("w-2", worker: Story.wang).submission(), bad]) }
        #expect(try ledger.store.digest() == before)
    }
}

@Suite("append's connection settings")
struct AppendSettingsTests {
    /// A batch works with a large page cache and its statement journals in memory; after it the connection must be as
    /// before, or `verify` and the month-end reads in the same process would keep the batch's cache and build their
    /// large transient indexes in memory.
    @Test("after a batch, refused or recorded, the page cache and temporary storage are back to SQLite's defaults")
    func settingsRestored() throws {
        let ledger = try TemporaryLedger()
        func settings() throws -> [Int] {
            try ledger.store.read { db in
                [try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? 0, try Int.fetchOne(db, sql: "PRAGMA temp_store") ?? -1]
            }
        }
        let before = try settings()
        try ledger.store.append(operatorName: "t", cache: .large) { sink in
            for submission in Story.all { try sink.add(submission) }
        }
        #expect(try settings() == before)
        #expect(before == [-2000, 0])
        struct Stop: Error {}
        #expect(throws: Stop.self) { try ledger.store.append(operatorName: "t") { _ in throw Stop() } }
        #expect(try settings() == before)
        #expect(try ledger.store.verify().digest.count == Story.all.count)
    }
}
