import SkillsDomain

/// The organisations of one plan's territory: employers, training institutions and evaluation bodies.
struct PlanOrganisations: Sendable {
    let plan: Plan
    let employers: [String]
    let institutions: [String]
    let evaluators: [String]
}

/// The fixed frame of a synthetic province of a given size: its plans' organisations and the time window the events
/// fall in. Everything in it is a function of the worker count only, so it is the same for every seed.
struct Province: Sendable {
    let workers: Int
    let organisations: [PlanOrganisations]
    let shares: [Int]

    /// Events happen between these days (registrations start a half-year earlier).
    static let windowStart = LocalDate(year: 2025, month: 1, day: 1)!.dayNumber
    static let windowEnd = LocalDate(year: 2026, month: 6, day: 30)!.dayNumber
    static let registrationStart = LocalDate(year: 2024, month: 7, day: 1)!.dayNumber
    /// About one employer for every 80 workers, and never fewer than three per plan.
    static let workersPerEmployer = 80

    init(workers: Int) {
        self.workers = workers
        shares = ProvinceCatalogue.plans.map(\.share)
        organisations = ProvinceCatalogue.plans.enumerated().map { planIndex, plan in
            let employerCount = max(3, workers * plan.share / 100 / Province.workersPerEmployer)
            let employers = (0..<employerCount).map { serial in
                SyntheticIdentifiers.creditCode(type: "91", region: plan.districts[serial % plan.districts.count], serial: planIndex * 1_000_000 + serial)
            }
            let institutions = plan.institutionNames.indices.map { serial in
                SyntheticIdentifiers.creditCode(type: serial % 2 == 0 ? "12" : "52", region: plan.bureau, serial: planIndex * 1_000 + serial)
            }
            let evaluators = (0..<2).map { serial in
                SyntheticIdentifiers.creditCode(type: "12", region: plan.bureau, serial: 500_000 + planIndex * 10 + serial)
            }
            return PlanOrganisations(plan: plan, employers: employers, institutions: institutions, evaluators: evaluators)
        }
    }

    /// The bureaus' yearly budgets (Shiyan #30 budget floor): one per plan and year, some below the 20% floor.
    func fundEvents(random: inout SeededRandom) -> [GeneratedEvent] {
        var events: [GeneratedEvent] = []
        for year in [2025, 2026] {
            for plan in ProvinceCatalogue.plans {
                let fundYuan = Int64(max(1, workers / 10)) * Int64(random.int(in: 800...2_400))
                let ratioPermille = Int64(random.int(in: 150...260))
                events.append(GeneratedEvent(
                    id: "\(plan.key)f\(year)", kind: .fundBudgeted, occurredOn: LocalDate(year: year - 1, month: 12, day: 15)!,
                    source: plan.bureau, data: [
                        JSONMember("jurisdiction", .string(plan.bureau)), JSONMember("year", .number(String(year))),
                        JSONMember("employment_fund", .string(String(fundYuan))),
                        JSONMember("training_subsidy_budget", .string(String(fundYuan * ratioPermille / 1_000))),
                    ]))
            }
        }
        return events
    }

    /// Every employer's education fund for 2025 (Wuhou #6 frontline check), some spending under 60% on the front line.
    func educationFundEvents(random: inout SeededRandom) -> [GeneratedEvent] {
        var events: [GeneratedEvent] = []
        for organisations in self.organisations {
            for (serial, employer) in organisations.employers.enumerated() {
                let payroll = Int64(random.int(in: 2_000...90_000)) * 1_000
                let withdrawn = payroll * 8 / 100 * Int64(random.int(in: 60...100)) / 100
                let spent = withdrawn * Int64(random.int(in: 60...100)) / 100
                let frontline = spent * Int64(random.int(in: 40...85)) / 100
                events.append(GeneratedEvent(
                    id: "\(organisations.plan.key)u\(serial).2025", kind: .employerEducationFund,
                    occurredOn: LocalDate(year: 2026, month: 1, day: 20)!, source: employer, employer: employer, data: [
                        JSONMember("year", .number("2025")), JSONMember("payroll", .string(String(payroll))),
                        JSONMember("withdrawn", .string(String(withdrawn))), JSONMember("spent", .string(String(spent))),
                        JSONMember("spent_frontline", .string(String(frontline))),
                    ]))
            }
        }
        return events
    }
}
