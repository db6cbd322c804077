import Foundation
import Ledger
import LedgerTesting
@testable import Rules
import SkillsDomain
import Testing

/// Settling changed history (补发 / 追回, SPEC.md): after any grant, what was granted for each entitlement equals
/// what it is due under today's ledger, and closed months are never written to.
@Suite struct SettlementTests {
    static let employer = Build.creditCode(9, region: "620400")
    static let apprentice = worker(1, "620402")

    /// A Baiyin ledger whose apprenticeship (started 2025-12-15) was granted at 500.00 a month for January to June.
    static func baiyinGrantedToJune(close: Bool = false) async throws -> RulesFixture {
        let fixture = try await RulesFixture(packs: ["baiyin-2021"])
        try fixture.add(
            Build.workerRegistered("r1", worker: apprentice, jurisdiction: "620402"),
            Build.apprenticeshipStarted("a1", worker: apprentice, on: "2025-12-15", employer: employer, plannedMonths: 12))
        for month in 1...6 {
            let result = try await fixture.grant("620400", "2026-0\(month)")
            #expect(result.grantedTotal == Build.money("500"))
            if close { try fixture.add(Build.periodClosed("close-\(month)", jurisdiction: "620400", period: "2026-0\(month)", on: "2026-07-0\(month)")) }
        }
        return fixture
    }

    /// Adopts a version of the Baiyin pack in force from `from` with `yearly` yuan a year.
    static func adoptBaiyin(_ fixture: RulesFixture, version: String, from: String, yearly: String) async throws {
        let text = try String(contentsOfFile: RulesFixture.packPath("baiyin-2021"), encoding: .utf8)
            .replacingOccurrences(of: "version: \"2021.1\"", with: "version: \"\(version)\"")
            .replacingOccurrences(of: "  from: 2021-01-01", with: "  from: \(from)")
            .replacingOccurrences(of: "2021-01-01: \"6000\"", with: "\(from): \"\(yearly)\"")
        let path = try fixture.ledger.file("baiyin-\(version).yaml", text)
        _ = try await PolicyAdoption.adopt(paths: [path], store: fixture.store, operatorName: "test")
    }

    /// Every `subsidy.granted` event in the ledger.
    static func grants(_ fixture: RulesFixture) throws -> [Event] {
        var result: [Event] = []
        try fixture.store.forEachEvent(kinds: [.subsidyGranted]) { result.append($0.event) }
        return result
    }

    /// Net granted by entitlement, reversed grants left out.
    static func netGranted(_ fixture: RulesFixture) async throws -> [String: Money] {
        try await RulesContext.load(fixture.store).grantedByEntitlement.mapValues(\.net).filter { $0.value != .zero }
    }

    @Test func aRetroactiveRiseIsPaidInArrearsInTheMonthGranted() async throws {
        let fixture = try await Self.baiyinGrantedToJune()
        try await Self.adoptBaiyin(fixture, version: "2026.1", from: "2026-01-01", yearly: "7200")

        let pending = try await Settlement.pending(fixture.store, jurisdiction: JurisdictionCode("620400"), month: Month(parsing: "2026-07"))
        #expect(pending.count == 6)
        #expect(pending.allSatisfy { $0.difference == Build.money("100") && $0.granted == Build.money("500") && $0.due == Build.money("600") })

        let july = try await fixture.grant("620400", "2026-07")
        #expect(july.grantedTotal == Build.money("600"), "July itself at the new rate")
        #expect(july.adjustments.count == 6)
        #expect(july.adjustmentTotal == Build.money("600"))
        let adjustments = try Self.grants(fixture).filter { $0.data.text("adjusts") != nil }
        #expect(adjustments.allSatisfy { $0.data.month("period") == Build.month("2026-07") })
        let january = try #require(adjustments.first { $0.data.text("adjusts") == "grant:" + ($0.data.text("entitlement") ?? "") && $0.data.text("explanation")?.contains("for 2026-01") == true })
        let explanation = try #require(january.data.text("explanation"))
        #expect(explanation.hasPrefix("补发："))
        for named in ["500.00", "600.00", "2021.1", "2026.1", "2026-01", "2026-07"] { #expect(explanation.contains(named), "\(named) in \(explanation)") }

        try await Self.expectSettled(fixture, through: "2026-07")
        let again = try await fixture.grant("620400", "2026-07")
        #expect(again.adjustments.count == 0 && again.granted.isEmpty, "settled: a second run records nothing")
    }

    @Test func aRetroactiveCutIsRecovered() async throws {
        let fixture = try await Self.baiyinGrantedToJune()
        try await Self.adoptBaiyin(fixture, version: "2026.1", from: "2026-04-01", yearly: "4800")
        let july = try await fixture.grant("620400", "2026-07")
        #expect(july.adjustments.count == 3, "April to June only: the version starts in April")
        #expect(july.adjustmentTotal == Build.money("-300"))
        let recovery = try #require(try Self.grants(fixture).first { $0.data.text("adjusts") != nil })
        #expect(recovery.data.money("amount") == Build.money("-100"))
        #expect(recovery.data.text("explanation")?.hasPrefix("追回：") == true)
        #expect(recovery.data.text("explanation")?.contains("recovery") == true)
        try await Self.expectSettled(fixture, through: "2026-07")
    }

    @Test func aVersionAdoptedWhileItsMonthsAreClosedSettlesInTheOpenMonth() async throws {
        let fixture = try await Self.baiyinGrantedToJune(close: true)
        let closedBefore = try Self.grants(fixture).filter { ($0.data.month("period") ?? Build.month("2026-07")) < Build.month("2026-07") }.map(\.id)
        try await Self.adoptBaiyin(fixture, version: "2026.1", from: "2026-01-01", yearly: "7200")
        let july = try await fixture.grant("620400", "2026-07")
        #expect(july.adjustmentTotal == Build.money("600"))
        let closedAfter = try Self.grants(fixture).filter { ($0.data.month("period") ?? Build.month("2026-07")) < Build.month("2026-07") }.map(\.id)
        #expect(closedAfter == closedBefore, "nothing written to a closed month")
        try await Self.expectSettled(fixture, through: "2026-07")
    }

    @Test func twoChangesInARowEachSettleTheDifference() async throws {
        let fixture = try await Self.baiyinGrantedToJune()
        try await Self.adoptBaiyin(fixture, version: "2026.1", from: "2026-01-01", yearly: "7200")
        _ = try await fixture.grant("620400", "2026-07")
        try await Self.adoptBaiyin(fixture, version: "2026.2", from: "2026-01-01", yearly: "6600")
        let august = try await fixture.grant("620400", "2026-08")
        #expect(august.adjustments.count == 7, "January to July: 600 → 550")
        #expect(august.adjustmentTotal == Build.money("-350"))
        #expect(august.adjustments.filter { $0.hasSuffix(":2") }.count == 6, "January to June: their second adjustment")
        let ids = try Self.grants(fixture).map(\.id)
        #expect(Set(ids).count == ids.count)
        try await Self.expectSettled(fixture, through: "2026-08")
    }

    @Test func aLevelCorrectedByReversalAndReEntryIsWithdrawnAndGrantedAgain() async throws {
        let fixture = try await RulesFixture(packs: ["national-skill-upgrade"])
        let person = worker(3)
        try fixture.add(Build.workerRegistered("r1", worker: person),
                        Build.certificationAwarded("c1", worker: person, on: "2026-03-06", level: .junior))
        #expect(try await fixture.grant("420300", "2026-03").grantedTotal == Build.money("1000"))
        try fixture.add(Build.eventReversed("rev:c1", target: "c1", on: "2026-04-02"),
                        Build.certificationAwarded("c1b", worker: person, on: "2026-03-06", level: .intermediate))
        let april = try await fixture.grant("420300", "2026-04")
        #expect(april.clawbackTotal == Build.money("-1000"))
        #expect(april.grantedTotal == Build.money("1500"))
        try await Self.expectSettled(fixture, person: person, through: "2026-04")
    }

    @Test func aFactCorrectedAfterPaymentAdjustsTheSameEntitlementAndNamesTheCorrection() async throws {
        // Nanyue pays 50% of employer-paid training to the employer, 80% for frontline workers.
        let fixture = try await RulesFixture(packs: ["nanyue-2020"])
        let person = worker(4, "330382")
        try fixture.add(Build.workerRegistered("r1", worker: person, jurisdiction: "330382", frontline: false),
                        Build.trainingCompleted("t1", worker: person, on: "2026-02-20", cost: "1000", paidBy: "employer"))
        #expect(try await fixture.grant("330382", "2026-02").grantedTotal == Build.money("500"))
        try fixture.add(Build.workerChanged("w1", worker: person, on: "2025-06-01", [("frontline", .bool(true))]))
        let march = try await fixture.grant("330382", "2026-03")
        #expect(march.adjustmentTotal == Build.money("300"))
        let adjustment = try #require(try Self.grants(fixture).first { $0.data.text("adjusts") != nil })
        #expect(adjustment.data.text("explanation")?.contains("w1") == true, "names the correction")
        try await Self.expectSettled(fixture, person: person, through: "2026-03")
    }

    @Test(arguments: [true, false])
    func anInsuredSinceCorrectionMakesASubsidyDueOrStopsIt(becomesDue: Bool) async throws {
        let fixture = try await RulesFixture(packs: ["national-skill-upgrade"])
        let person = worker(5)
        try fixture.add(Build.workerRegistered("r1", worker: person, insuredSince: becomesDue ? "2025-10" : "2020-01"),
                        Build.certificationAwarded("c1", worker: person, on: "2026-03-06", level: .junior))
        #expect(try await fixture.grant("420300", "2026-03").grantedTotal == (becomesDue ? .zero : Build.money("1000")))
        try fixture.add(Build.periodClosed("close-3", period: "2026-03"),
                        Build.workerChanged("w1", worker: person, on: "2025-06-01", [("insured_since", .month(Build.month(becomesDue ? "2020-01" : "2025-10")))]))
        let april = try await fixture.grant("420300", "2026-04")
        if becomesDue {
            #expect(april.grantedTotal == Build.money("1000"), "granted late, in the first open month")
        } else {
            #expect(april.clawbackTotal == Build.money("-1000"))
        }
        try await Self.expectSettled(fixture, person: person, through: "2026-04")
    }

    @Test func entitlementsListsThePendingAdjustmentsThatGrantThenRecords() async throws {
        let fixture = try await Self.baiyinGrantedToJune()
        try await Self.adoptBaiyin(fixture, version: "2026.1", from: "2026-05-01", yearly: "7200")
        let pending = try await Settlement.pending(fixture.store, jurisdiction: JurisdictionCode("620400"), month: Month(parsing: "2026-07"))
        #expect(pending.map(\.entitlement.period.description) == ["2026-05", "2026-06"])
        #expect(pending.allSatisfy { $0.adjusts == "grant:" + $0.entitlement.id })
        let july = try await fixture.grant("620400", "2026-07")
        #expect(Set(july.adjustments) == Set(pending.map(\.id)))
        #expect(try await Settlement.pending(fixture.store, jurisdiction: JurisdictionCode("620400"), month: Month(parsing: "2026-07")).isEmpty)
    }

    @Test("the adjustments pending for a few workers show their entitlements' parameters and explanation, as for everyone")
    func pendingForSomeWorkersIsExplainedAsForEveryone() async throws {
        let fixture = try await Self.baiyinGrantedToJune()
        try await Self.adoptBaiyin(fixture, version: "2026.1", from: "2026-05-01", yearly: "7200")
        let context = try await RulesContext.load(fixture.store)
        let baiyin = try JurisdictionCode("620400"), july = Build.month("2026-07")
        let everyone = try await Settlement.pending(fixture.store, context: context, scope: .everyone("test"), jurisdiction: baiyin, month: july)
        let some = try await Settlement.pending(fixture.store, context: context, scope: MonthEndScope(workers: [fixture.store.pseudonym(for: Self.apprentice)],
                                                                                                     reason: "test"),
                                                jurisdiction: baiyin, month: july)
        #expect(some.count == 2)
        #expect(some.map(\.id) == everyone.map(\.id))
        for (few, all) in zip(some, everyone) {
            #expect(!few.entitlement.parameters.isEmpty && few.entitlement.parameters == all.entitlement.parameters)
            #expect(!few.entitlement.explanationZH.isEmpty && few.entitlement.explanation == all.entitlement.explanation)
            #expect(few.explanation == all.explanation)
        }
    }

    /// Granted total = due total for every entitlement of the person (and nothing due ungranted up to `month`).
    static func expectSettled(_ fixture: RulesFixture, person: CitizenID = apprentice, through month: String,
                              sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let granted = try await Self.netGranted(fixture)
        let last = Build.month(month)
        let outcome = try await fixture.outcome(person)
        let dueByNow = Dictionary(outcome.entitlements.filter { $0.period <= last }.compactMap { e in e.amount.map { (e.id, $0) } }, uniquingKeysWith: +)
        #expect(granted == dueByNow, sourceLocation: sourceLocation)
    }
}
