import Ledger
import SkillsDomain

/// The compliance checks of SPEC.md, reported by `audit`, not paid: the training-subsidy budget floor (Shiyan #30)
/// and the frontline share of the employee education fund (国发〔2010〕36号 §15, Wuhou #6). Floors are parameters of
/// the adopted packs and apply to every reporter.
public enum Audits {
    public struct BudgetRow: Sendable {
        public var jurisdiction: String
        public var employmentFund: Money
        public var trainingSubsidyBudget: Money
        public var ratio: Decimal4
        public var floor: Decimal4
        public var shortfall: Money
        public var granted: Money
        public var utilisation: Decimal4
        public var evidence: String
    }

    public struct EmployerRow: Sendable {
        public var employer: String
        public var spent: Money
        public var spentFrontline: Money
        public var ratio: Decimal4
        public var floor: Decimal4
        public var shortfall: Money
        public var evidence: String
    }

    public enum AuditError: Error, CustomStringConvertible {
        case noFloor(String)
        public var description: String {
            switch self {
            case .noFloor(let name): "no adopted policy pack sets \(name) (audits: \(name)); adopt one with `skills-ledger policy adopt`"
            }
        }
    }

    static func ratio(_ numerator: Money, _ denominator: Money) -> Decimal4 {
        denominator.fen == 0 ? Decimal4(raw: 0) : Decimal4.ratio(numerator.fen, denominator.fen) ?? Decimal4(raw: 0)
    }

    static func shortfall(floor: Decimal4, of base: Money, actual: Money) -> Money {
        let required = base.scaled(by: floor.raw, over: Decimal4.scale)
        return required > actual ? required - actual : .zero
    }

    /// The latest report in force per key (a corrected report is a new event; the old one may be reversed).
    static func latest(_ store: any LedgerStorage, kind: EventKind, year: Int, inForce: EventsInForce,
                       key: (Event) -> String?) async throws -> [String: Event] {
        var result: [String: Event] = [:]
        try await store.forEachEvent(kinds: [kind]) { stored in
            guard inForce.isInForce(stored.event), stored.event.data.integer("year") == Int64(year), let key = key(stored.event) else { return }
            result[key] = stored.event
        }
        return result
    }

    public static func budget(_ store: any LedgerStorage, year: Int) async throws -> [BudgetRow] {
        let context = try await RulesContext.load(store)
        guard let floor = context.policies.auditFloor("budget_floor", on: LocalDate(year: year, month: 12, day: 31)!) else {
            throw AuditError.noFloor("budget_floor")
        }
        let reports = try await latest(store, kind: .fundBudgeted, year: year, inForce: context.inForce) { $0.data.text("jurisdiction") }
        return reports.keys.sorted().map { code in
            let event = reports[code]!
            let fund = event.data.money("employment_fund") ?? .zero
            let budget = event.data.money("training_subsidy_budget") ?? .zero
            let jurisdiction = (try? JurisdictionCode(code)) ?? .national
            let granted = context.grants.filter { grant in
                !context.inForce.isReversed(grant.id) && grant.period?.year == year
                    && (grant.jurisdiction.flatMap { try? JurisdictionCode($0) }.map(jurisdiction.contains) ?? false)
            }.compactMap(\.amount).sum()
            return BudgetRow(jurisdiction: code, employmentFund: fund, trainingSubsidyBudget: budget, ratio: ratio(budget, fund), floor: floor.value,
                             shortfall: shortfall(floor: floor.value, of: fund, actual: budget), granted: granted,
                             utilisation: ratio(granted, budget), evidence: event.id)
        }
    }

    public static func employers(_ store: any LedgerStorage, year: Int) async throws -> [EmployerRow] {
        let context = try await RulesContext.load(store)
        guard let floor = context.policies.auditFloor("frontline_floor", on: LocalDate(year: year, month: 12, day: 31)!) else {
            throw AuditError.noFloor("frontline_floor")
        }
        let reports = try await latest(store, kind: .employerEducationFund, year: year, inForce: context.inForce) { $0.employer }
        return reports.keys.sorted().map { employer in
            let event = reports[employer]!
            let spent = event.data.money("spent") ?? .zero
            let frontline = event.data.money("spent_frontline") ?? .zero
            return EmployerRow(employer: employer, spent: spent, spentFrontline: frontline, ratio: ratio(frontline, spent), floor: floor.value,
                               shortfall: shortfall(floor: floor.value, of: spent, actual: frontline), evidence: event.id)
        }
    }
}

/// A worker's learning account (学分银行, Shiyan #10): explicit credits and those the adopted packs derive.
public enum LearningAccount {
    public static func movements(_ store: any LedgerStorage, worker: String) async throws -> [CreditMovement] {
        let context = try await RulesContext.load(store)
        return try await EntitlementEngine.outcome(store, context: context, worker: worker).credits
    }
}
