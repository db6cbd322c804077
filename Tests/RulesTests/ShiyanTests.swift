import Ledger
import LedgerTesting
import Rules
import SkillsDomain
import Testing

/// 十发〔2018〕7号: #15 technician training, #17 migrant self-paid training (exclusive with the skill-upgrade subsidy),
/// #10 learning-account credits.
@Suite struct ShiyanTests {
    @Test func technicianTrainingThenCertificateWithinTwelveMonths() async throws {
        let fixture = try await RulesFixture()
        let a = worker(1), b = worker(2), late = worker(3), other = worker(4)
        try fixture.add(
            Build.workerRegistered("r1", worker: a), Build.workerRegistered("r2", worker: b),
            Build.workerRegistered("r3", worker: late), Build.workerRegistered("r4", worker: other),
            Build.trainingCompleted("t1", worker: a, on: "2025-06-30", startedOn: "2025-03-01", cost: "4200", track: "technician"),
            Build.certificationAwarded("c1", worker: a, on: "2026-06-30", level: .technician),
            Build.trainingCompleted("t2", worker: b, on: "2025-09-01", startedOn: "2025-06-01", cost: "4200", track: "technician"),
            Build.certificationAwarded("c2", worker: b, on: "2026-06-10", level: .seniorTechnician),
            Build.trainingCompleted("t3", worker: late, on: "2025-06-09", startedOn: "2025-03-01", cost: "4200", track: "technician"),
            Build.certificationAwarded("c3", worker: late, on: "2026-06-10", level: .technician),
            Build.trainingCompleted("t4", worker: other, on: "2025-09-01", startedOn: "2025-06-01", cost: "4200", track: "technician", occupation: "6-18-01-01"),
            Build.certificationAwarded("c4", worker: other, on: "2026-06-10", level: .technician))
        // a: min(4200, 3000); b: min(4200, 5000); late: 12 months and a day; other: another occupation.
        #expect(try await Set(fixture.due("420300", "2026-06")) == [[a.value, "3000.00"], [b.value, "4200.00"]])
        let entitlement = try #require(try await fixture.entitlements("420300", "2026-06").first { $0.payee == fixture.store.pseudonym(for: a) })
        #expect(entitlement.evidence == ["t1", "c1"])
        #expect(entitlement.explanationZH.contains("第15条") && entitlement.explanationZH.contains("含示例参数"))
    }

    @Test func migrantSelfPaidTrainingAndTheExclusivePair() async throws {
        let fixture = try await RulesFixture()
        let newlyInsured = worker(1), longInsured = worker(2), notMigrant = worker(3)
        try fixture.add(
            Build.workerRegistered("r1", worker: newlyInsured, insuredSince: "2025-12", migrant: true),
            Build.workerRegistered("r2", worker: longInsured, insuredSince: "2020-01", migrant: true),
            Build.workerRegistered("r3", worker: notMigrant, insuredSince: "2025-12", migrant: false),
            Build.trainingCompleted("t1", worker: newlyInsured, on: "2026-03-01", cost: "1200", paidBy: "self"),
            Build.certificationAwarded("c1", worker: newlyInsured, on: "2026-03-20"),
            Build.trainingCompleted("t2", worker: longInsured, on: "2026-03-01", cost: "800", paidBy: "self"),
            Build.certificationAwarded("c2", worker: longInsured, on: "2026-03-20"),
            Build.trainingCompleted("t3", worker: notMigrant, on: "2026-03-01", cost: "800", paidBy: "self"),
            Build.certificationAwarded("c3", worker: notMigrant, on: "2026-03-20"))
        // newlyInsured: only #17 applies, min(1200, 1000). longInsured: skill-upgrade 1000 beats #17's 800.
        #expect(try await Set(fixture.due("420300", "2026-03")) == [[newlyInsured.value, "1000.00"], [longInsured.value, "1000.00"]])
        let outcome = try await fixture.outcome(longInsured)
        #expect(outcome.entitlements.map(\.rule) == ["national-skill-upgrade/skill-upgrade"])
        let excluded = try #require(outcome.exclusions.first)
        #expect(excluded.rule == "shiyan-2018/migrant-self-paid-training" && excluded.amount == Build.money("800"))
        #expect(excluded.reasonEN.contains("exclusive with national-skill-upgrade/skill-upgrade"))
    }

    @Test func onATieTheSkillUpgradeSubsidyIsGranted() async throws {
        let fixture = try await RulesFixture()
        let person = worker(1)
        try fixture.add(
            Build.workerRegistered("r1", worker: person, insuredSince: "2020-01", migrant: true),
            Build.trainingCompleted("t1", worker: person, on: "2026-03-01", cost: "1000", paidBy: "self"),
            Build.certificationAwarded("c1", worker: person, on: "2026-03-20"))
        let outcome = try await fixture.outcome(person)
        #expect(outcome.entitlements.map(\.rule) == ["national-skill-upgrade/skill-upgrade"])
        #expect(outcome.exclusions.map(\.rule) == ["shiyan-2018/migrant-self-paid-training"])
    }

    @Test func learningAccountCredits() async throws {
        let fixture = try await RulesFixture()
        let person = worker(1)
        try fixture.add(
            Build.workerRegistered("r1", worker: person),
            Build.trainingCompleted("t48", worker: person, on: "2026-01-10", hours: 48),
            Build.trainingCompleted("t40", worker: person, on: "2026-02-10", hours: 40),
            Build.trainingCompleted("t50", worker: person, on: "2026-03-10", hours: 50),
            Build.trainingCompleted("t-reversed", worker: person, on: "2026-03-11", hours: 160),
            Build.certificationAwarded("c1", worker: person, on: "2026-04-01", level: .intermediate),
            Build.creditEarned("x1", worker: person, credits: "1.5"))
        try fixture.add(Build.eventReversed("rev", target: "t-reversed"))
        let credits = try await LearningAccount.movements(fixture.store, worker: fixture.store.pseudonym(for: person))
        let byEvent = Dictionary(uniqueKeysWithValues: credits.map { ($0.event, $0.credits.text) })
        #expect(byEvent == ["t48": "3.0", "t40": "2.5", "t50": "3.0", "c1": "6.0", "x1": "1.5"])
        #expect(credits.map(\.credits).reduce(Credits.zero, +).text == "16.0")
        #expect(credits.first { $0.event == "x1" }?.rule == nil)
        #expect(credits.first { $0.event == "c1" }?.rule == "shiyan-2018/certificate-level")
    }
}
