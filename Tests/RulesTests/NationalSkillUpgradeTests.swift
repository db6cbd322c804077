import Ledger
import LedgerTesting
import Rules
import SkillsDomain
import Testing

/// 技能提升补贴 (人社部发〔2017〕40号): 1,000 / 1,500 / 2,000 yuan for a junior / intermediate / senior certificate,
/// insured at least 12 months before the certificate's month; once per occupation and level; none for a lower level
/// after a higher one; at most 3 a year, earliest first. Cases in the style of OpenFisca's YAML tests: inputs, month,
/// expected amounts.
@Suite struct NationalSkillUpgradeTests {
    @Test func paysByLevel() async throws {
        let fixture = try await RulesFixture(packs: ["national-skill-upgrade"])
        let a = worker(1), b = worker(2), c = worker(3)
        try fixture.add(
            Build.workerRegistered("r1", worker: a, insuredSince: "2020-01"), Build.workerRegistered("r2", worker: b, insuredSince: "2020-01"),
            Build.workerRegistered("r3", worker: c, insuredSince: "2020-01"),
            Build.certificationAwarded("c1", worker: a, on: "2026-03-02", level: .junior),
            Build.certificationAwarded("c2", worker: b, on: "2026-03-15", level: .intermediate),
            Build.certificationAwarded("c3", worker: c, on: "2026-03-31", level: .senior))
        #expect(try await Set(fixture.due("420300", "2026-03")) == [[a.value, "1000.00"], [b.value, "1500.00"], [c.value, "2000.00"]])
        #expect(try await fixture.due("420300", "2026-02").isEmpty)
        #expect(try await fixture.due("510107", "2026-03").isEmpty, "a worker of 420302 is not inside 510107")
    }

    @Test func twelveInsuredMonthsToTheMonth() async throws {
        let fixture = try await RulesFixture(packs: ["national-skill-upgrade"])
        let exactly = worker(1), short = worker(2)
        try fixture.add(
            Build.workerRegistered("r1", worker: exactly, insuredSince: "2025-03"), Build.workerRegistered("r2", worker: short, insuredSince: "2025-04"),
            Build.certificationAwarded("c1", worker: exactly, on: "2026-03-01"), Build.certificationAwarded("c2", worker: short, on: "2026-03-31"))
        #expect(try await fixture.due("420300", "2026-03") == [[exactly.value, "1000.00"]])
    }

    @Test func insuranceAsOfTheCertificateDate() async throws {
        // Registered uninsured; a worker.changed makes the worker insured from 2024-01 before the certificate.
        let fixture = try await RulesFixture(packs: ["national-skill-upgrade"])
        let person = worker(1)
        try fixture.add(
            Build.workerRegistered("r1", worker: person, insuredSince: nil),
            Build.certificationAwarded("c1", worker: person, on: "2026-01-10", occupation: "6-18-01-01"),
            Build.workerChanged("w1", worker: person, on: "2026-02-01", [("insured_since", .month(Build.month("2024-01")))]),
            Build.certificationAwarded("c2", worker: person, on: "2026-03-10", level: .junior))
        #expect(try await fixture.due("420300", "2026-01").isEmpty, "uninsured on the certificate's date")
        #expect(try await fixture.due("420300", "2026-03") == [[person.value, "1000.00"]])
    }

    @Test func oncePerOccupationAndLevelAndNoLowerAfterHigher() async throws {
        let fixture = try await RulesFixture(packs: ["national-skill-upgrade"])
        let person = worker(1)
        try fixture.add(
            Build.workerRegistered("r1", worker: person),
            Build.certificationAwarded("senior", worker: person, on: "2025-05-10", level: .senior),
            Build.certificationAwarded("junior-after", worker: person, on: "2025-08-10", level: .junior),
            Build.certificationAwarded("senior-again", worker: person, on: "2025-09-10", level: .senior),
            Build.certificationAwarded("other-occupation", worker: person, on: "2025-10-10", occupation: "6-18-01-01", level: .junior))
        let outcome = try await fixture.outcome(person)
        #expect(outcome.entitlements.map { $0.evidence } == [["senior"], ["other-occupation"]])
        #expect(outcome.entitlements.map { $0.amount?.yuanString } == ["2000.00", "1000.00"])
        let reasons = Dictionary(uniqueKeysWithValues: outcome.exclusions.map { ($0.evidence.last!, $0.reasonEN) })
        #expect(reasons["junior-after"]?.contains("higher level") == true)
        #expect(reasons["senior-again"]?.contains("once per occupation and level") == true)
    }

    @Test func atMostThreeAYearEarliestFirst() async throws {
        let fixture = try await RulesFixture(packs: ["national-skill-upgrade"])
        let person = worker(1)
        let occupations = ["6-31-01-03", "6-18-01-01", "6-18-01-02", "6-21-02-01", "6-21-02-02"]
        try fixture.add(Build.workerRegistered("r1", worker: person))
        // Recorded out of order on purpose: the limit counts by the date of the certificate.
        try fixture.add(
            Build.certificationAwarded("fourth", worker: person, on: "2026-04-01", occupation: occupations[3]),
            Build.certificationAwarded("first", worker: person, on: "2026-01-05", occupation: occupations[0]),
            Build.certificationAwarded("third", worker: person, on: "2026-03-01", occupation: occupations[2]),
            Build.certificationAwarded("second", worker: person, on: "2026-02-01", occupation: occupations[1]),
            Build.certificationAwarded("next-year", worker: person, on: "2027-01-04", occupation: occupations[4]))
        let outcome = try await fixture.outcome(person)
        #expect(outcome.entitlements.map { $0.evidence[0] } == ["first", "second", "third", "next-year"])
        #expect(outcome.exclusions.map { $0.evidence[0] } == ["fourth"])
        #expect(try await fixture.due("420300", "2026-04").isEmpty)
    }

    @Test func reversedOrRevokedEvidenceWithdrawsAndAGrantIsClawedBack() async throws {
        let fixture = try await RulesFixture(packs: ["national-skill-upgrade"])
        let a = worker(1), b = worker(2)
        let certificate = Build.certificateNumber(77)
        try fixture.add(
            Build.workerRegistered("r1", worker: a), Build.workerRegistered("r2", worker: b),
            Build.certificationAwarded("c1", worker: a, on: "2026-03-02"),
            Build.certificationAwarded("c2", worker: b, on: "2026-03-03", certificate: certificate))
        let first = try await fixture.grant("420300", "2026-03")
        #expect(first.granted.count == 2 && first.grantedTotal == Build.money("2000"))
        #expect(try await fixture.grant("420300", "2026-03").granted.isEmpty, "granting the same month again grants nothing new")

        try fixture.add(Build.eventReversed("x1", target: "c1"), Build.certificationRevoked("v1", worker: b, certificate: certificate))
        #expect(try await fixture.due("420300", "2026-03").isEmpty)
        let later = try await fixture.grant("420300", "2026-05")
        #expect(later.granted.isEmpty)
        #expect(later.clawbacks.count == 2)
        #expect(later.clawbackTotal == Build.money("-2000"))
        #expect(later.clawbacks.allSatisfy { $0.data.text("clawback_of")?.hasPrefix("grant:") == true })
        #expect(try await fixture.grant("420300", "2026-05").clawbacks.isEmpty, "a clawback is written once")
    }

    @Test func lapsesAfterTwelveMonths() async throws {
        let fixture = try await RulesFixture(packs: ["national-skill-upgrade"])
        let person = worker(1)
        try fixture.add(Build.workerRegistered("r1", worker: person), Build.certificationAwarded("c1", worker: person, on: "2025-01-20"))
        let result = try await fixture.grant("420300", "2026-02")
        #expect(result.granted.isEmpty)
        #expect(result.lapsed == 1, "the one entitlement (for c1) has lapsed")
        let inTime = try await RulesFixture(packs: ["national-skill-upgrade"])
        try inTime.add(Build.workerRegistered("r1", worker: person), Build.certificationAwarded("c1", worker: person, on: "2025-01-20"))
        #expect(try await inTime.grant("420300", "2026-01").granted.count == 1, "twelve months later is still in time")
    }

    @Test func explanationNamesClauseEvidenceAndParameters() async throws {
        let fixture = try await RulesFixture(packs: ["national-skill-upgrade"])
        let person = worker(1)
        try fixture.add(Build.workerRegistered("r1", worker: person), Build.certificationAwarded("c1", worker: person, on: "2026-03-02", level: .intermediate))
        let entitlement = try #require(try await fixture.entitlements("420300", "2026-03").first)
        #expect(entitlement.rule == "national-skill-upgrade/skill-upgrade")
        #expect(entitlement.version == "2019.1")
        #expect(entitlement.explanationZH.contains("人社部发〔2017〕40号") && entitlement.explanationZH.contains("1500.00"))
        #expect(entitlement.explanationEN.contains("evidence c1"))
        #expect(entitlement.parameters["upgrade_amount[intermediate]"] == "1500.00")
        #expect(entitlement.parameters["min_insured_months"] == "12")
        #expect(entitlement.id == (try await fixture.entitlements("420300", "2026-03").first?.id), "ids are stable across runs")
    }
}

extension NationalSkillUpgradeTests {
    @Test func anEntitlementGrantedAgainIsClawedBackAgainUnderItsOwnID() async throws {
        let fixture = try await RulesFixture(packs: ["national-skill-upgrade"])
        let person = worker(1)
        let certificate = Build.certificateNumber(91)
        try fixture.add(Build.workerRegistered("r1", worker: person), Build.certificationAwarded("c1", worker: person, on: "2026-03-02", certificate: certificate))
        #expect(try await fixture.grant("420300", "2026-03").granted.count == 1)
        try fixture.add(Build.certificationRevoked("v1", worker: person, certificate: certificate, on: "2026-04-01"))
        #expect(try await fixture.grant("420300", "2026-04").clawbacks.map(\.id).count == 1)
        try fixture.add(Build.eventReversed("x1", target: "v1", reason: "撤销错误 revoked in error"))
        let regranted = try await fixture.grant("420300", "2026-05")
        #expect(regranted.granted.count == 1 && regranted.granted[0].hasSuffix(":2"))
        // A grant run explains only what it has not granted yet (`Explaining.notGranted`); this entitlement was granted
        // and clawed back to nothing, so it is explained again before its second grant, as fully as the first.
        let first = try #require(try fixture.store.event(id: String(regranted.granted[0].dropLast(2))))
        let again = try #require(try fixture.store.event(id: regranted.granted[0]))
        #expect(again.event.data.text("explanation")?.contains("人社部发〔2017〕40号") == true)
        #expect(again.event.data.text("explanation") == first.event.data.text("explanation"))
        try fixture.add(Build.certificationRevoked("v2", worker: person, certificate: certificate, on: "2026-06-01"))
        let second = try await fixture.grant("420300", "2026-06")
        #expect(second.clawbacks.count == 1)
        #expect(second.clawbacks.first?.data.text("clawback_of") == regranted.granted.first)
        #expect(second.clawbackTotal == Build.money("-1000"))
    }
}
