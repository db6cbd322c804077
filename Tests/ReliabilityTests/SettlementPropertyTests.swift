import Foundation
import Ledger
import LedgerTesting
import PropertyBased
import Rules
import SkillsDomain
import Testing

/// Settling changed history (补发 / 追回), over random histories: evidence, corrections (reversals, an
/// `insured_since` dated back), policy versions adopted with an effective date in the past, grant runs, closings.
/// After each grant every entitlement's granted total equals its due total, and no closed month changes.
@Suite("settlement (property-based)")
struct SettlementPropertyTests {
    static let packs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Samples/policies").path
    static let jurisdictions = ["420300", "620400"]

    @Test("after each grant: granted = due for every entitlement; closed months unchanged")
    func grantedEqualsDue() async {
        await propertyCheck(count: 25, input: Gen.uint64()) { seed in
            do { try await Self.run(seed: seed) } catch { Issue.record("seed \(seed): \(error)") }
        }
    }

    static func run(seed: UInt64) async throws {
        var random = SeededRandom(seed: seed)
        let ledger = try TemporaryLedger()
        let store = ledger.store
        _ = try await PolicyAdoption.adopt(paths: ["national-skill-upgrade", "baiyin-2021"].map { packs + "/\($0).yaml" }, store: store, operatorName: "p")
        let baiyinText = try String(contentsOfFile: packs + "/baiyin-2021.yaml", encoding: .utf8)
        let national = (1...3).map { Build.citizenID(100 + $0) }
        let apprentices = (1...3).map { Build.citizenID(200 + $0, address: "620402") }
        try store.append(national.enumerated().map { index, person in
            Build.workerRegistered("r-n\(index)", worker: person, insuredSince: "2020-01").submission(name: "甲")
        } + apprentices.enumerated().map { index, person in
            Build.workerRegistered("r-a\(index)", worker: person, jurisdiction: "620402").submission(name: "乙")
        }, operatorName: "p")
        var month = Month(index: Build.month("2026-01").index)
        var evidence: [String] = []
        var reversed: Set<String> = []
        var closedGrants: [String: [String]] = [:]
        var log: [String] = []
        for step in 0..<24 {
            let earlier = month.adding(-Int(random.next() % 3))
            switch random.next() % 6 {
            case 0:
                let person = national[Int(random.next() % 3)]
                let level: SkillLevel = [.junior, .intermediate, .senior][Int(random.next() % 3)]
                let id = "c\(step)"
                try store.append([Build.certificationAwarded(id, worker: person, on: day(earlier, &random).description, level: level).submission()], operatorName: "p")
                evidence.append(id)
                log.append("certificate \(id) \(level) \(earlier)")
            case 1:
                let person = apprentices[Int(random.next() % 3)]
                let id = "a\(step)"
                try store.append([Build.apprenticeshipStarted(id, worker: person, on: day(earlier.adding(-2), &random).description,
                                                              employer: Build.creditCode(9, region: "620400"), plannedMonths: 6).submission()], operatorName: "p")
                evidence.append(id)
                log.append("apprenticeship \(id) \(earlier.adding(-2))")
            case 2:
                guard let target = evidence.filter({ !reversed.contains($0) }).randomElement(using: &random) else { continue }
                try store.append([Build.eventReversed("rev:\(target)", target: target, on: month.firstDay.description).submission()], operatorName: "p")
                reversed.insert(target)
                log.append("reverse \(target)")
            case 3:
                let person = national[Int(random.next() % 3)]
                let since = ["2020-01", "2025-12"][Int(random.next() % 2)]
                try store.append([Build.workerChanged("w\(step)", worker: person, on: "2025-06-01", [("insured_since", .month(Build.month(since)))]).submission()],
                                 operatorName: "p")
                log.append("insured_since \(since)")
            case 4:
                let yearly = ["4800", "6000", "6600", "7200"][Int(random.next() % 4)]
                let from = Month(index: Build.month("2026-01").index + Int(random.next() % UInt64(month.index - Build.month("2026-01").index + 1)))
                let text = baiyinText.replacingOccurrences(of: "version: \"2021.1\"", with: "version: \"v\(step)\"")
                    .replacingOccurrences(of: "  from: 2021-01-01", with: "  from: \(from.firstDay)")
                    .replacingOccurrences(of: "2021-01-01: \"6000\"", with: "\(from.firstDay): \"\(yearly)\"")
                _ = try await PolicyAdoption.adopt(paths: [try ledger.file("baiyin-v\(step).yaml", text)], store: store, operatorName: "p")
                log.append("version v\(step) from \(from) at \(yearly)")
            default:
                for jurisdiction in jurisdictions {
                    _ = try await Granting.grant(store, jurisdiction: JurisdictionCode(jurisdiction), month: month, operatorName: "p")
                }
                log.append("grant \(month)")
                try await expectSettled(store, through: month, log: log)
                #expect(try grantsByClosedMonth(store, closedGrants.keys) == closedGrants, "a closed month changed: \(log)")
                // At most ten months in all: new grants lapse after twelve, and the property is about settlement.
                guard month < Build.month("2026-10") else { continue }
                if random.next() % 2 == 0 {
                    for jurisdiction in jurisdictions {
                        try store.append([Build.periodClosed("close-\(jurisdiction)-\(month)", jurisdiction: jurisdiction, period: month.description,
                                                             on: month.lastDay.description).submission()], operatorName: "p")
                        closedGrants["\(jurisdiction) \(month)"] = []
                    }
                    closedGrants = try grantsByClosedMonth(store, closedGrants.keys)
                    log.append("close \(month)")
                }
                month = month.adding(1)
            }
        }
    }

    static func day(_ month: Month, _ random: inout SeededRandom) -> LocalDate {
        LocalDate(year: month.year, month: month.month, day: 1 + Int(random.next() % 27))!
    }

    /// Every entitlement due by `month` is granted exactly, and every granted one not due any more is netted to zero.
    static func expectSettled(_ store: LedgerStore, through month: Month, log: [String]) async throws {
        let context = try await RulesContext.load(store)
        var due: [String: Money] = [:]
        try await EntitlementEngine.forEachOutcome(store, context: context, window: Month(index: 0)...month) { outcome in
            for entitlement in outcome.entitlements { if let amount = entitlement.amount { due[entitlement.id] = amount } }
        }
        let granted = context.grantedByEntitlement.mapValues(\.net).filter { $0.value != .zero }
        #expect(granted == due, "granted ≠ due after \(log)")
    }

    /// The ids of the grants recorded in each closed month (key: "jurisdiction month").
    static func grantsByClosedMonth(_ store: LedgerStore, _ keys: Dictionary<String, [String]>.Keys) throws -> [String: [String]] {
        var result = Dictionary(uniqueKeysWithValues: keys.map { ($0, [String]()) })
        try store.forEachEvent(kinds: [.subsidyGranted]) { stored in
            let key = "\(stored.event.data.text("jurisdiction") ?? "") \(stored.event.data.month("period").map(\.description) ?? "")"
            if result[key] != nil { result[key]!.append(stored.event.id) }
        }
        return result
    }
}
