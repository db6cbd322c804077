import Ledger
import LedgerTesting
import Rules
import SkillsDomain
import Testing

/// The budget floor (Shiyan #30, 20%) and the frontline share (国发〔2010〕36号 §15, Wuhou #6, 60%) apply to every
/// reporter, with the floors taken from the adopted packs.
@Suite struct AuditTests {
    @Test func budgetFloorRatiosShortfallsAndUtilisation() async throws {
        let fixture = try await RulesFixture()
        let person = worker(1)
        try fixture.add(
            Build.fundBudgeted("f1", jurisdiction: "420300", employmentFund: "10000000", trainingSubsidyBudget: "2500000"),
            Build.fundBudgeted("f2", jurisdiction: "620400", employmentFund: "3000000", trainingSubsidyBudget: "450000"),
            Build.fundBudgeted("f3", jurisdiction: "410100", year: 2025, employmentFund: "100", trainingSubsidyBudget: "0", on: "2025-01-05"),
            Build.workerRegistered("r1", worker: person), Build.certificationAwarded("c1", worker: person, on: "2026-03-02"))
        _ = try await fixture.grant("420300", "2026-03")
        let rows = try await Audits.budget(fixture.store, year: 2026)
        #expect(rows.map(\.jurisdiction) == ["420300", "620400"])
        #expect(rows[0].ratio.description == "0.2500" && rows[0].shortfall.yuanString == "0.00")
        #expect(rows[0].granted.yuanString == "1000.00" && rows[0].utilisation.description == "0.0004")
        #expect(rows[1].ratio.description == "0.1500" && rows[1].shortfall.yuanString == "150000.00")
        #expect(rows[1].floor.description == "0.2000")
    }

    @Test func frontlineShareOfTheEducationFund() async throws {
        let fixture = try await RulesFixture()
        let compliant = Build.creditCode(3), short = Build.creditCode(4)
        try fixture.add(
            Build.employerEducationFund("m1", employer: compliant, spent: "50000", spentFrontline: "30000"),
            Build.employerEducationFund("m2", employer: short, spent: "50000", spentFrontline: "20000"))
        let rows = Dictionary(uniqueKeysWithValues: try await Audits.employers(fixture.store, year: 2026).map { ($0.employer, $0) })
        #expect(rows[compliant.value]?.ratio.description == "0.6000" && rows[compliant.value]?.shortfall == .zero)
        #expect(rows[short.value]?.ratio.description == "0.4000" && rows[short.value]?.shortfall.yuanString == "10000.00")
    }

    @Test func withoutAPackThatSetsTheFloorTheAuditSaysSo() async throws {
        let fixture = try await RulesFixture(packs: ["national-skill-upgrade"])
        await #expect(throws: Audits.AuditError.self) { try await Audits.budget(fixture.store, year: 2026) }
    }
}
