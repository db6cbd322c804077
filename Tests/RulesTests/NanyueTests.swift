import Ledger
import LedgerTesting
import Rules
import SkillsDomain
import Testing

/// 南岳 2020 (330382): employer-paid training refunded 80% for frontline workers, 50% for others, at most 2,000 yuan
/// per worker per year, to the employer.
@Suite struct NanyueTests {
    static let employer = Build.creditCode(5, region: "330382")

    @Test func differentiatedRatesAndTheYearlyCap() async throws {
        let fixture = try await RulesFixture()
        let frontline = worker(1, "330382"), office = worker(2, "330382")
        try fixture.add(
            Build.workerRegistered("r1", worker: frontline, jurisdiction: "330382101", employer: NanyueTests.employer, frontline: true),
            Build.workerRegistered("r2", worker: office, jurisdiction: "330382101", employer: NanyueTests.employer, frontline: false),
            Build.trainingCompleted("t1", worker: frontline, on: "2026-03-05", cost: "1500", paidBy: "employer"),
            Build.trainingCompleted("t2", worker: office, on: "2026-03-06", cost: "1500", paidBy: "employer"),
            Build.trainingCompleted("t3", worker: frontline, on: "2026-04-05", cost: "1500", paidBy: "employer"),
            Build.trainingCompleted("t4", worker: frontline, on: "2026-05-05", cost: "1500", paidBy: "employer"),
            Build.trainingCompleted("t5", worker: frontline, on: "2026-05-06", cost: "900", paidBy: "self"),
            Build.trainingCompleted("t6", worker: frontline, on: "2027-01-06", cost: "1000", paidBy: "employer"))
        #expect(try await Set(fixture.due("330382", "2026-03")) == [[NanyueTests.employer.value, "1200.00"], [NanyueTests.employer.value, "750.00"]])
        #expect(try await fixture.due("330382", "2026-04") == [[NanyueTests.employer.value, "800.00"]], "1,200 of 2,000 used: 800 left")
        #expect(try await fixture.due("330382", "2026-05").isEmpty, "the yearly cap is reached")
        #expect(try await fixture.due("330382", "2027-01") == [[NanyueTests.employer.value, "800.00"]], "a new year starts a new cap")
    }

    @Test func frontlineStatusAsOfTheTrainingDate() async throws {
        let fixture = try await RulesFixture()
        let person = worker(1, "330382")
        try fixture.add(
            Build.workerRegistered("r1", worker: person, jurisdiction: "330382", employer: NanyueTests.employer, frontline: false),
            Build.trainingCompleted("t1", worker: person, on: "2026-02-10", cost: "1000", paidBy: "employer"),
            Build.workerChanged("w1", worker: person, on: "2026-03-01", [("frontline", .bool(true))], source: "330382"),
            Build.trainingCompleted("t2", worker: person, on: "2026-03-10", cost: "1000", paidBy: "employer"))
        #expect(try await fixture.due("330382", "2026-02") == [[NanyueTests.employer.value, "500.00"]])
        #expect(try await fixture.due("330382", "2026-03") == [[NanyueTests.employer.value, "800.00"]])
    }
}
