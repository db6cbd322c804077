import Foundation
import Ledger
import LedgerTesting
import Rules
import SkillsDomain
import Testing

/// 白银 2021: 6,000 yuan per apprentice per year to the employer, 500 for each completed month.
@Suite struct BaiyinTests {
    static let employer = Build.creditCode(9, region: "620400")

    @Test func monthsCompleteOnTheStartDatePlusKMonthsClamped() async throws {
        let fixture = try await RulesFixture()
        let person = worker(1, "620402")
        try fixture.add(
            Build.workerRegistered("r1", worker: person, jurisdiction: "620402"),
            Build.apprenticeshipStarted("a1", worker: person, on: "2026-01-31", employer: BaiyinTests.employer, plannedMonths: 3))
        #expect(try await fixture.due("620400", "2026-01").isEmpty)
        for month in ["2026-02", "2026-03", "2026-04"] {
            #expect(try await fixture.due("620400", month) == [[BaiyinTests.employer.value, "500.00"]], "month \(month)")
        }
        #expect(try await fixture.due("620400", "2026-05").isEmpty, "planned_months is 3")
        let february = try #require(try await fixture.entitlements("620400", "2026-02").first)
        #expect(february.explanationEN.contains("month 1 completed on 2026-02-28"))
    }

    @Test func terminationKeepsWhatWasCompleted() async throws {
        let fixture = try await RulesFixture()
        let person = worker(1, "620402")
        try fixture.add(
            Build.workerRegistered("r1", worker: person, jurisdiction: "620402"),
            Build.apprenticeshipStarted("a1", worker: person, on: "2026-01-10", employer: BaiyinTests.employer, plannedMonths: 12),
            Build.apprenticeshipEnded("e1", worker: person, on: "2026-04-20"))
        let months = try await fixture.outcome(person).entitlements.map(\.period.description)
        #expect(months == ["2026-02", "2026-03", "2026-04"], "terminated on 04-20: months completing 02-10, 03-10, 04-10 are kept")
    }

    @Test func neverBeyondTwentyFourMonths() async throws {
        let fixture = try await RulesFixture()
        let person = worker(1, "620402")
        try fixture.add(
            Build.workerRegistered("r1", worker: person, jurisdiction: "620402"),
            Build.apprenticeshipStarted("a1", worker: person, on: "2025-01-15", employer: BaiyinTests.employer, plannedMonths: 36))
        let outcome = try await fixture.outcome(person)
        #expect(outcome.entitlements.count == 24)
        #expect(outcome.entitlements.compactMap(\.amount).sum() == Build.money("12000"))
    }

    /// An apprenticeship started under one version and completing months under a later one is paid each month at the
    /// later version's amount, read by name: the later version here also has a parameter the first lacks, which sorts
    /// first, so its parameters sit in other slots than those the starting version's compiled amount reads.
    @Test func monthsUnderALaterVersionReadItsParametersByName() async throws {
        let fixture = try await RulesFixture()
        let original = try String(contentsOfFile: RulesFixture.packPath("baiyin-2021"), encoding: .utf8)
        let later = original
            .replacingOccurrences(of: "version: \"2021.1\"", with: "version: \"2026.3\"")
            .replacingOccurrences(of: "  from: 2021-01-01", with: "  from: 2026-03-01")
            .replacingOccurrences(of: "      2021-01-01: \"6000\"", with: "      2026-03-01: \"7200\"")
            .replacingOccurrences(of: "parameters:\n", with: "parameters:\n  a_bonus:\n    type: money\n    values:\n      2026-03-01: \"1\"\n")
        #expect(later.contains("a_bonus") && later.contains("7200") && later.contains("2026.3"))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("baiyin-2026-\(UUID().uuidString).yaml").path
        try later.write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try await PolicyAdoption.adopt(paths: [path], store: fixture.store, operatorName: "test")
        let person = worker(1, "620402")
        try fixture.add(
            Build.workerRegistered("r1", worker: person, jurisdiction: "620402"),
            Build.apprenticeshipStarted("a1", worker: person, on: "2026-01-10", employer: BaiyinTests.employer, plannedMonths: 4))
        let paid = try await fixture.outcome(person).entitlements.map { "\($0.period) \($0.amount?.yuanString ?? "-") \($0.version)" }
        #expect(paid == ["2026-02 500.00 2021.1", "2026-03 600.00 2026.3", "2026-04 600.00 2026.3", "2026-05 600.00 2026.3"])
    }
}
