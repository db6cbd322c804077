import Ledger
import SkillsDomain

/// The compliance checks of SPEC.md, reported by `audit`, not paid: the training-subsidy budget floor (Shiyan #30)
/// and the frontline share of the employee education fund (国发〔2010〕36号 §15, Wuhou #6). Floors are parameters of
/// the adopted packs and apply to every reporter.
public enum Audits {
    /// One jurisdiction's line of `audit budget`: its latest `fund.budgeted` report in force for the year against the
    /// budget floor (the training-subsidy budget as a share of the employment fund, Shiyan #30).
    public struct BudgetRow: Sendable {
        /// The GB/T 2260 code the budget report is for.
        public var jurisdiction: String
        /// The year's employment fund (就业专项资金) as reported, in fen.
        public var employmentFund: Money
        /// The part of it budgeted for training subsidies, in fen.
        public var trainingSubsidyBudget: Money
        /// `trainingSubsidyBudget / employmentFund`, to four places; 0 when the fund is zero.
        public var ratio: Decimal4
        /// The `budget_floor` in force on 31 December of the year, from the adopted packs.
        public var floor: Decimal4
        /// How much more budget the floor requires (`floor × employmentFund − trainingSubsidyBudget`); zero when it is met.
        public var shortfall: Money
        /// The net of the grants in force for that year's months granted under the jurisdiction or one within it
        /// (clawbacks and recoveries subtract), in fen.
        public var granted: Money
        /// `granted / trainingSubsidyBudget`, to four places; 0 when the budget is zero.
        public var utilisation: Decimal4
        /// The id of the `fund.budgeted` event the row is computed from.
        public var evidence: String
    }

    /// One employer's line of `audit employers`: its latest `employer.education-fund` report in force for the year
    /// against the frontline floor (the share of the education fund (职工教育经费) spent on frontline workers).
    public struct EmployerRow: Sendable {
        /// The employer's 统一社会信用代码.
        public var employer: String
        /// The education fund spent in the year, in fen.
        public var spent: Money
        /// The part of it spent on frontline workers (一线职工), in fen.
        public var spentFrontline: Money
        /// `spentFrontline / spent`, to four places; 0 when nothing was spent.
        public var ratio: Decimal4
        /// The `frontline_floor` in force on 31 December of the year, from the adopted packs.
        public var floor: Decimal4
        /// How much more frontline spending the floor requires (`floor × spent − spentFrontline`); zero when it is met.
        public var shortfall: Money
        /// The id of the `employer.education-fund` event the row is computed from.
        public var evidence: String
    }

    /// Why an audit cannot run.
    public enum AuditError: Error, CustomStringConvertible {
        /// No adopted pack sets the named floor (`budget_floor` or `frontline_floor`) on 31 December of the year.
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

    /// The budget-floor audit for a year: one row per jurisdiction with a `fund.budgeted` report in force for it, by code.
    ///
    /// Where a jurisdiction reported more than once, the latest report recorded (and not reversed) counts.
    /// - Parameters:
    ///   - store: the ledger (or a view of it as of a day).
    ///   - year: the calendar year of the reports and of the grants' months.
    /// - Throws: `AuditError.noFloor` when no adopted pack sets `budget_floor`; the ledger's errors.
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

    /// The frontline-spend audit for a year: one row per employer with an `employer.education-fund` report in force for
    /// it, by code; where an employer reported more than once, the latest report recorded (and not reversed) counts.
    /// - Parameters:
    ///   - store: the ledger (or a view of it as of a day).
    ///   - year: the calendar year of the reports.
    /// - Throws: `AuditError.noFloor` when no adopted pack sets `frontline_floor`; the ledger's errors.
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
    /// A worker's credit movements: explicit `credit.earned` events in force and the credits the adopted packs' credit
    /// rules derive from the worker's events.
    /// - Parameters:
    ///   - store: the ledger (or a view of it as of a day).
    ///   - worker: the worker's pseudonym.
    public static func movements(_ store: any LedgerStorage, worker: String) async throws -> [CreditMovement] {
        let context = try await RulesContext.load(store)
        return try await EntitlementEngine.outcome(store, context: context, worker: worker).credits
    }
}
