import Foundation
@testable import Ledger
import LedgerTesting
import SkillsDomain
import Testing

/// The ledger as of a day (`view(asOf:)`): every read of the view stops at the last event recorded by the end of that
/// day, and nothing can be written through it.
@Suite("the ledger as of a day")
struct AsOfTests {
    static func day(_ text: String) -> LocalDate { LocalDate.parse(text)! }

    /// Three days of recording: the registrations on 1 March, progress and a grant and payment to 王 on 2 March, then
    /// on 3 March a fourth worker, a reversal of 王's certificate, a second grant and a closed month.
    static func threeDays() throws -> (TemporaryLedger, first: LedgerDigest, second: LedgerDigest) {
        let ledger = try TemporaryLedger()
        try ledger.store.append(Story.registrations, operatorName: "tester", recordedAt: "2026-03-01T08:00:00Z")
        let first = try ledger.store.digest()
        try ledger.store.append(Story.progress + [
            Build.subsidyGranted("g-1", payee: .person(.citizen(Story.wang))).submission(),
            Build.subsidyPaid("p-1", payee: .person(.citizen(Story.wang)), grant: "g-1").submission(),
        ], operatorName: "tester", recordedAt: "2026-03-02T23:59:59Z")
        let second = try ledger.store.digest()
        try ledger.store.append([
            Build.workerRegistered("w-4", worker: Build.citizenID(4)).submission(name: "赵丽娟"),
            Build.eventReversed("rev-c-1", target: "c-1").submission(),
            Build.subsidyGranted("g-2", payee: .person(.citizen(Story.li)), period: "2026-04").submission(),
            Build.periodClosed("close-1").submission(),
        ], operatorName: "tester", recordedAt: "2026-03-03T00:00:00Z")
        return (ledger, first, second)
    }

    @Test("digest and verify as of a day give the COUNT:HASH that was current at its end; before the first event, 0 and zeros")
    func digests() throws {
        let (ledger, first, second) = try Self.threeDays()
        #expect(try ledger.store.view(asOf: Self.day("2026-03-01")).digest() == first)
        #expect(try ledger.store.view(asOf: Self.day("2026-03-02")).digest() == second)
        #expect(try ledger.store.view(asOf: Self.day("2026-03-03")).digest() == ledger.store.digest())
        #expect(try ledger.store.view(asOf: Self.day("2026-02-28")).digest().description == "0:" + String(repeating: "0", count: 64))
        let view = try ledger.store.view(asOf: Self.day("2026-03-02"))
        #expect(view.ceiling == LedgerCeiling(day: Self.day("2026-03-02"), seq: second.count))
        #expect(view.location.hasSuffix("ledger.sqlite as of 2026-03-02"))
        #expect(try view.verify().digest == second)
        #expect(try view.verify(extending: first).digest == second)
        #expect(throws: LedgerError.self) { try view.verify(extending: ledger.store.digest()) }
    }

    @Test("every read of the view stops at the ceiling: events, rules inputs, people, reversals, money, closed months, export")
    func everyReadIsBounded() throws {
        let (ledger, _, second) = try Self.threeDays()
        let view = try ledger.store.view(asOf: Self.day("2026-03-02"))
        let wang = ledger.store.pseudonym(for: Story.wang)
        let zhao = ledger.store.pseudonym(for: Build.citizenID(4))

        var seqs: [Int64] = []
        try view.forEachEvent { seqs.append($0.seq) }
        #expect(seqs == Array(1...second.count))
        var rulesInputs: [String] = []
        try view.forEachRulesInput { rulesInputs.append($0.id) }
        #expect(rulesInputs == ["g-1"])
        #expect(try view.event(id: "c-1") != nil)
        #expect(try view.event(id: "rev-c-1") == nil && ledger.store.event(id: "rev-c-1") != nil)
        #expect(try view.reversalsTargeting(["c-1"]).isEmpty && !ledger.store.reversalsTargeting(["c-1"]).isEmpty)
        #expect(try view.workerHistory(pseudonym: wang).reversedBy.isEmpty)
        #expect(try ledger.store.workerHistory(pseudonym: wang).reversedBy["c-1"] == "rev-c-1")
        #expect(!(try view.closedPeriods().isClosed(JurisdictionCode("420300"), Month(parsing: "2026-03"))))
        #expect(try ledger.store.closedPeriods().isClosed(JurisdictionCode("420300"), Month(parsing: "2026-03")))

        var money: [String] = []
        try view.forEachGrantOrReversal(before: .max) { money.append($0.id) }
        try view.forEachPayment(through: Self.day("2026-12-31"), before: .max) { money.append($0.id) }
        #expect(money == ["g-1", "p-1"])
        // 李 is the payee of g-2, recorded on the third day.
        let li = ledger.store.pseudonym(for: Story.li)
        #expect(try view.events(person: li).map(\.event.id) == ["w-2", "k-1"])
        #expect(try ledger.store.events(person: li).map(\.event.id) == ["w-2", "k-1", "g-2"])

        let everyKind = Set(EventKind.allCases)
        #expect(try view.workers(withEventsOf: everyKind, from: nil, through: Self.day("2026-12-31")).contains(zhao) == false)
        #expect(try ledger.store.workers(withEventsOf: everyKind, from: nil, through: Self.day("2026-12-31")).contains(zhao))
        var everyone: [String] = []
        try view.forEachWorker { worker, _ in everyone.append(worker) }
        #expect(everyone.count == 3 && !everyone.contains(zhao))
        var chosen: [String: Int] = [:]
        try view.forEachWorker(in: [wang, zhao]) { worker, events in chosen[worker] = events.count }
        #expect(chosen == [wang: try view.events(person: wang).filter { $0.event.worker == .pseudonym(wang) }.count])

        // The registry: only the people the prefix names.
        #expect(try view.registryEntry(pseudonym: zhao) == nil && ledger.store.registryEntry(pseudonym: zhao) != nil)
        #expect(try view.registryEntry(pseudonym: wang)?.name == "王建国")
        #expect(try view.identities(of: [wang, zhao]) == [wang: Story.wang.value])
        // Many people are looked up on two threads, the second half on a reader of its own, bounded like the view.
        let asked = [wang, zhao, li, "91420300MA4K0000X1", "ps_00000000000000000000000000000000", wang]
        #expect(try view.lookUpIdentities(asked, twoThreadsFrom: 2) == [wang: Story.wang.value, li: Story.li.value], "not 赵, registered later")
        #expect(try view.boundedReaders(1)[0].lookUpIdentities(sorted: [zhao, wang][...]) == [wang: Story.wang.value], "the view's readers end with it")
        #expect(try ledger.store.lookUpIdentities(asked, twoThreadsFrom: 2) == (try ledger.store.lookUpIdentities(asked, twoThreadsFrom: .max)))
        #expect(try ledger.store.lookUpIdentities(asked, twoThreadsFrom: 2).count == 3, "王, 李 and 赵; not an organisation or an unknown pseudonym")
        #expect(try view.registeredPeople() == 3)
        var lines = 0
        try view.export { _ in lines += 1 }
        #expect(lines == Int(second.count))
    }

    @Test("the view keeps its ceiling while the ledger grows, and refuses every write with a clear error")
    func readOnly() throws {
        let (ledger, _, second) = try Self.threeDays()
        let view = try ledger.store.view(asOf: Self.day("2026-03-02"))
        let before = try ledger.store.digest()
        let refusals: [() throws -> Void] = [
            { _ = try view.append([Build.fundBudgeted("f-9").submission()], operatorName: "tester") },
            { _ = try view.append(operatorName: "tester") { _ in } },
            { _ = try view.appendReadingSnapshot(operatorName: "tester", recordedAt: Timestamp.now(), cache: .standard) { _, _ in } },
            { _ = try view.erase(citizen: Story.wang, reason: "test") },
            { _ = try view.backup(to: ledger.path("copy.sqlite")) },
        ]
        for write in refusals {
            #expect {
                try write()
            } throws: { error in
                guard case LedgerError.refused(let message) = error else { return false }
                return message.contains("as of 2026-03-02") && message.contains("read-only view")
            }
        }
        #expect(try ledger.store.digest() == before)
        #expect(try ledger.store.registryEntry(pseudonym: ledger.store.pseudonym(for: Story.wang))?.citizenID == Story.wang.value)
        #expect(!FileManager.default.fileExists(atPath: ledger.path("copy.sqlite")))

        try ledger.store.append([Build.fundBudgeted("f-2", year: 2027).submission()], operatorName: "tester", recordedAt: "2026-03-04T12:00:00Z")
        #expect(try view.digest() == second)
        #expect(try view.view(asOf: Self.day("2026-03-04")).digest() == second)
        #expect(try ledger.store.view(asOf: Self.day("2026-03-04")).digest().count == before.count + 1)
    }

    @Test("a recording time that goes backwards: the view ends before the first event stamped after the day")
    func clockSetBack() throws {
        let ledger = try TemporaryLedger()
        try ledger.store.append([Story.registrations[0]], operatorName: "tester", recordedAt: "2026-03-01T08:00:00Z")
        try ledger.store.append([Story.registrations[1]], operatorName: "tester", recordedAt: "2026-03-05T08:00:00Z")
        try ledger.store.append([Story.registrations[2]], operatorName: "tester", recordedAt: "2026-03-03T08:00:00Z")
        #expect(try ledger.store.view(asOf: Self.day("2026-03-01")).ceiling?.seq == 1)
        #expect(try ledger.store.view(asOf: Self.day("2026-03-04")).ceiling?.seq == 1)
        #expect(try ledger.store.view(asOf: Self.day("2026-03-05")).ceiling?.seq == 3)
        // A view of a view is bounded by both.
        #expect(try ledger.store.view(asOf: Self.day("2026-03-01")).view(asOf: Self.day("2026-03-05")).ceiling?.seq == 1)
    }

    @Test("a worker erased since stays erased as of a day before the erasure")
    func erasedStaysErased() throws {
        let (ledger, _, _) = try Self.threeDays()
        try ledger.store.erase(citizen: Story.wang, reason: "本人申请删除")
        let entry = try ledger.store.view(asOf: Self.day("2026-03-01")).registryEntry(pseudonym: ledger.store.pseudonym(for: Story.wang))
        #expect(entry?.citizenID == nil && entry?.name == nil && entry?.erasedAt != nil)
    }
}
