import Ledger
import LedgerTesting
import Rules
import SkillsDomain
import Testing

/// 武侯区 2019: #8 诸葛工匠 award once in a lifetime, #22 technician training.
@Suite struct WuhouTests {
    @Test func craftsmanAwardOnceInALifetime() async throws {
        let fixture = try await RulesFixture()
        let person = worker(1, "510107"), other = worker(2, "510107")
        try fixture.add(
            Build.workerRegistered("r1", worker: person, jurisdiction: "510107"), Build.workerRegistered("r2", worker: other, jurisdiction: "510107"),
            Build.honorAwarded("h1", worker: person, on: "2026-04-08"),
            Build.honorAwarded("h2", worker: person, on: "2027-04-08"),
            Build.honorAwarded("h3", worker: other, title: "武侯工匠", on: "2026-04-08"))
        #expect(try await fixture.due("510107", "2026-04") == [[person.value, "10000.00"]])
        #expect(try await fixture.due("510107", "2027-04").isEmpty)
        #expect(try await fixture.outcome(person).exclusions.first?.reasonEN == "once in a lifetime, already granted")
    }

    @Test func technicianTrainingSubsidy() async throws {
        let fixture = try await RulesFixture()
        let person = worker(1, "510107")
        try fixture.add(
            Build.workerRegistered("r1", worker: person, jurisdiction: "510107"),
            Build.trainingCompleted("t1", worker: person, on: "2026-01-15", startedOn: "2025-10-01", cost: "2600", track: "technician"),
            Build.certificationAwarded("c1", worker: person, on: "2026-05-20", level: .technician))
        #expect(try await fixture.due("510107", "2026-05") == [[person.value, "2600.00"]])
        #expect(try await fixture.due("420300", "2026-05").isEmpty, "Shiyan's #15 does not apply in Wuhou")
    }
}
