import Foundation
import Ledger
import LedgerTesting
import SkillsDomain
import Testing

/// What a batch writes to the registry now that it looks before it upserts and remembers its people: the same
/// registry as writing every person of every event.
@Suite("registry writes of a batch")
struct BatchRegistryTests {
    @Test("a person first seen without a name is named by a later batch; a name once held is kept; the seals verify")
    func namesArriveLater() throws {
        let ledger = try TemporaryLedger()
        try ledger.add([Build.trainingCompleted("t-1", worker: Story.wang).submission()])
        let pseudonym = ledger.store.pseudonym(for: Story.wang)
        #expect(try ledger.store.identities()[pseudonym] == Story.wang.value)
        #expect(try ledger.store.names()[pseudonym] == nil)

        try ledger.add([Build.workerRegistered("w-1", worker: Story.wang).submission(name: "王建国")])
        #expect(try ledger.store.names()[pseudonym] == "王建国")

        try ledger.add([Build.trainingCompleted("t-2", worker: Story.wang).submission(),
                        Build.workerRegistered("w-1b", worker: Story.wang, on: "2025-07-01").submission(name: "王建")])
        #expect(try ledger.store.names()[pseudonym] == "王建国")
        #expect(try ledger.store.verify().eventsChecked == 4)
    }

    @Test("within one batch, a person seen first without a name and then with one gets the name")
    func nameLaterInTheSameBatch() throws {
        let ledger = try TemporaryLedger()
        try ledger.add([Build.trainingCompleted("t-1", worker: Story.li).submission(),
                        Build.workerRegistered("w-2", worker: Story.li, jurisdiction: "420303").submission(name: "李秀英")])
        #expect(try ledger.store.names()[ledger.store.pseudonym(for: Story.li)] == "李秀英")
        _ = try ledger.store.verify()
    }

    @Test("a streamed batch reports its counts; a batch given as an array also lists the ids it recorded")
    func countsAndIDs() throws {
        let ledger = try TemporaryLedger()
        try ledger.add([Story.registrations[0]])
        let streamed = try ledger.store.append(operatorName: "tester") { sink in
            for submission in Story.registrations { try sink.add(submission) }
            #expect(sink.recordedCount == 2)
        }
        #expect(streamed.recorded == 2 && streamed.alreadyRecorded == 1)
        let listed = try ledger.add(Story.progress)
        #expect(listed.recordedIDs == Story.progress.map(\.event.id))
        #expect(listed.head == (try ledger.store.digest()))
    }
}
