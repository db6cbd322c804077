import Ledger
import SkillsDomain

/// Turns a month's entitlements into `subsidy.granted` events (`grant`): each entitlement once, lapsed ones
/// (more than 12 months old) not at all, and a clawback (negative grant) for each granted entitlement whose evidence
/// was since reversed or revoked. Running it twice grants nothing new.
public enum Granting {
    /// An entitlement may be granted in its month or up to this many months later.
    public static let lapseMonths = 12

    public struct Result: Sendable {
        public var granted: [Event] = []
        public var clawbacks: [Event] = []
        public var lapsed: [Entitlement] = []
        public var alreadyGranted = 0
        public var designations = 0
        public var problems: [String] = []

        public var grantedTotal: Money { granted.compactMap { $0.data.money("amount") }.sum() }
        public var clawbackTotal: Money { clawbacks.compactMap { $0.data.money("amount") }.sum() }
    }

    public static func grant(_ store: LedgerStore, jurisdiction: JurisdictionCode, month: Month, operatorName: String) throws -> Result {
        let context = try RulesContext.load(store)
        let grantedByEntitlement = context.grantedByEntitlement
        let granted = Set(grantedByEntitlement.filter { $0.value.net.fen != 0 }.keys)
        var result = Result()
        var current: Set<String> = []
        try EntitlementEngine.forEachOutcome(store, context: context) { outcome in
            result.problems += outcome.problems
            for entitlement in outcome.entitlements where jurisdiction.contains(entitlement.jurisdiction) {
                current.insert(entitlement.id)
                let period = EntitlementEngine.effectivePeriod(entitlement, jurisdiction: jurisdiction, context: context, granted: granted)
                guard period <= month else { continue }
                guard let amount = entitlement.amount else { result.designations += 1; continue }
                if granted.contains(entitlement.id) { result.alreadyGranted += 1; continue }
                guard month.index - period.index <= lapseMonths else { result.lapsed.append(entitlement); continue }
                let round = grantedByEntitlement[entitlement.id]?.grants.filter { ($0.event.data.money("amount")?.fen ?? 0) > 0 }.count ?? 0
                result.granted.append(grantEvent(entitlement, amount: amount, jurisdiction: jurisdiction, month: month, round: round))
            }
        }
        for (entitlementID, entry) in grantedByEntitlement.sorted(by: { $0.key < $1.key }) where entry.net.fen > 0 && !current.contains(entitlementID) {
            guard let original = entry.grants.last(where: { ($0.event.data.money("amount")?.fen ?? 0) > 0 }),
                  let grantJurisdiction = original.event.data.text("jurisdiction"), (try? JurisdictionCode(grantJurisdiction)).map(jurisdiction.contains) ?? false
            else { continue }
            result.clawbacks.append(clawback(of: original, net: entry.net, jurisdiction: jurisdiction, month: month))
        }
        let submissions = (result.granted + result.clawbacks).map { Submission(event: $0, origin: "grant \(jurisdiction) \(month)") }
        if !submissions.isEmpty { try store.append(submissions, operatorName: operatorName) }
        return result
    }

    static func payeeValue(_ payee: String) -> FieldValue {
        PersonRef.isPseudonym(payee) ? .person(.pseudonym(payee)) : .text(payee)
    }

    static func grantEvent(_ entitlement: Entitlement, amount: Money, jurisdiction: JurisdictionCode, month: Month, round: Int) -> Event {
        let id = "grant:" + entitlement.id + (round > 0 ? ":\(round + 1)" : "")
        return Event(id: id, kind: .subsidyGranted, occurredOn: month.lastDay, source: jurisdiction.isNational ? "national" : jurisdiction.value, data: EventData([
            ("rule", .text(entitlement.rule)), ("policy", .text(entitlement.policy)), ("version", .text(entitlement.version)),
            ("period", .month(month)), ("payee", payeeValue(entitlement.payee)), ("amount", .money(amount)),
            ("evidence", .list(entitlement.evidence)), ("explanation", .text(String(entitlement.explanation.prefix(2_000)))),
            ("entitlement", .text(entitlement.id)), ("jurisdiction", .text(jurisdiction.value)),
        ]))
    }

    static func clawback(of grant: StoredEvent, net: Money, jurisdiction: JurisdictionCode, month: Month) -> Event {
        let data = grant.event.data
        let explanation = "追回：\(grant.event.id) 的依据已被冲正或撤销 / clawback: the evidence of \(grant.event.id) was reversed or revoked"
        return Event(id: "claw:" + String(grant.event.id.dropFirst("grant:".count).prefix(58)), kind: .subsidyGranted, occurredOn: month.lastDay,
                     source: grant.event.source, data: EventData([
            ("rule", data["rule"] ?? .text("")), ("policy", data["policy"] ?? .text("")), ("version", data["version"] ?? .text("")),
            ("period", .month(month)), ("payee", data["payee"] ?? .text("")), ("amount", .money(-net)),
            ("evidence", data["evidence"] ?? .list([])), ("explanation", .text(explanation)),
            ("entitlement", data["entitlement"] ?? .text("")), ("jurisdiction", .text(jurisdiction.value)), ("clawback_of", .text(grant.event.id)),
        ]))
    }
}
