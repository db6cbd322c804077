import SkillsDomain

/// Builders for tests: valid identifiers from small seeds, and events of every kind with sensible defaults, so that a
/// test states only what it is about.
///
/// ```swift
/// let worker = Build.citizenID(7)
/// let registered = Build.workerRegistered("w-1", worker: worker, insuredSince: "2020-01")
/// let certificate = Build.certificationAwarded("c-1", worker: worker, on: "2026-03-02", level: .intermediate)
/// try ledger.store.append([registered.submission(name: "王建国"), certificate.submission()], operatorName: "test")
/// ```
public enum Build {
    // MARK: Values

    /// A date from `YYYY-MM-DD`; a typo in a test is a programming error, so it traps.
    public static func date(_ text: String) -> LocalDate {
        guard let date = LocalDate.parse(text) else { preconditionFailure("not a date: \(text)") }
        return date
    }

    /// A month from `YYYY-MM`; traps on a typo.
    public static func month(_ text: String) -> Month {
        do { return try Month(parsing: text) } catch { preconditionFailure("not a month: \(text)") }
    }

    /// An amount from a yuan string (`"1200"`, `"12.50"`; at most two decimals); traps on a typo.
    public static func money(_ yuan: String) -> Money {
        do { return try Money(yuan: yuan) } catch { preconditionFailure("not a yuan amount: \(yuan)") }
    }

    /// Credits from text (`"1.5"`, tenths of a credit); traps on a typo.
    public static func credits(_ text: String) -> Credits {
        do { return try Credits(text: text) } catch { preconditionFailure("not credits: \(text)") }
    }

    // MARK: Identifiers

    /// A valid 公民身份号码 for `seed` (0–899 give distinct numbers): the address code given, a birth date in
    /// 1970–1999 derived from the seed, and the GB 11643 check character.
    public static func citizenID(_ seed: Int, address: String = "420302") -> CitizenID {
        precondition(address.utf8.count == 6 && (0..<900).contains(seed))
        let birth = "\(1970 + seed % 30)" + twoDigits(1 + seed % 12) + twoDigits(1 + seed % 28)
        let digits = address + birth + String(100 + seed)
        return try! CitizenID(CitizenID.withCheckCharacter(digits))
    }

    /// A 统一社会信用代码 of an enterprise (91) registered in `region`, whose GB 32100 check passes.
    public static func creditCode(_ seed: Int, region: String = "420300") -> CreditCode {
        precondition(region.utf8.count == 6 && (0..<1_000_000).contains(seed))
        let body = "91" + region + "MA" + String(repeating: "0", count: 6 - String(seed).count) + String(seed) + "1"
        return try! CreditCode(CreditCode.withCheckCharacter(body))
    }

    /// The same code with a check character that fails: an early code, accepted with a warning.
    public static func earlyCreditCode(_ seed: Int, region: String = "420300") -> CreditCode {
        let valid = creditCode(seed, region: region).value
        let alphabet = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")
        let index = alphabet.firstIndex(of: valid.last!)!
        return try! CreditCode(String(valid.dropLast()) + String(alphabet[(index + 1) % alphabet.count]))
    }

    /// Who submits by default: a training institution (民办非企业单位, 52).
    public static let institution = try! CreditCode(CreditCode.withCheckCharacter("52420302MJ0K5T8H4"))
    /// A default employer.
    public static let employer = creditCode(1)

    /// A 22-character 职业技能等级证书 number for `serial`.
    public static func certificateNumber(_ serial: Int, level: SkillLevel = .junior, year: Int = 26) -> String {
        let grade = level.grade ?? 1
        let serialText = String(serial)
        return "S000142030001" + twoDigits(year % 100) + String(grade) + String(repeating: "0", count: max(0, 6 - serialText.count)) + serialText
    }

    static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// A serial derived from an event id that is the same in every run (`hashValue` is seeded per process).
    static func stableSerial(_ id: String) -> Int {
        id.utf8.reduce(7) { ($0 * 31 + Int($1)) % 1_000_000 }
    }

    // MARK: Events about workers

    /// A `worker.registered` of `worker`, by default in 420302, insured since 2020-01, frontline, not a migrant,
    /// employed by `Build.employer`; `source` defaults to the jurisdiction. The name goes in `submission(name:)`.
    public static func workerRegistered(_ id: String, worker: CitizenID, on date: String = "2025-06-01",
                                        jurisdiction: String = "420302", employer: CreditCode? = Build.employer,
                                        insuredSince: String? = "2020-01", migrant: Bool = false, frontline: Bool = true,
                                        source: String? = nil) -> Event {
        var fields: [(String, FieldValue)] = [("jurisdiction", .text(jurisdiction)), ("migrant", .bool(migrant)), ("frontline", .bool(frontline))]
        if let employer { fields.append(("employer", .text(employer.value))) }
        if let insuredSince { fields.append(("insured_since", .month(month(insuredSince)))) }
        return Event(id: id, kind: .workerRegistered, occurredOn: Build.date(date), source: source ?? jurisdiction,
                     worker: .citizen(worker), data: EventData(fields))
    }

    /// A `worker.changed` with the given attributes, e.g. `[("frontline", .bool(true))]`.
    public static func workerChanged(_ id: String, worker: CitizenID, on date: String = "2026-03-01",
                                     _ fields: [(String, FieldValue)], source: String = "420300") -> Event {
        Event(id: id, kind: .workerChanged, occurredOn: Build.date(date), source: source, worker: .citizen(worker), data: EventData(fields))
    }

    /// A self-paid upgrade `training.completed` of 64 hours and 1200 yuan (an 电工 course, occupation 6-31-01-03) at
    /// `Build.institution`, which is also its source.
    public static func trainingCompleted(_ id: String, worker: CitizenID, on date: String = "2026-02-27",
                                         startedOn: String = "2026-02-02", hours: Int64 = 64, cost: String = "1200",
                                         paidBy: String = "self", track: String = "upgrade", occupation: String? = "6-31-01-03",
                                         course: String = "DG-2026-01", title: String = "电工（初级）培训",
                                         institution: CreditCode = Build.institution) -> Event {
        var fields: [(String, FieldValue)] = [
            ("course", .text(course)), ("title", .text(title)), ("institution", .text(institution.value)), ("hours", .integer(hours)),
            ("started_on", .date(Build.date(startedOn))), ("cost", .money(money(cost))), ("paid_by", .text(paidBy)), ("track", .text(track)),
        ]
        if let occupation { fields.append(("occupation", .text(occupation))) }
        return Event(id: id, kind: .trainingCompleted, occurredOn: Build.date(date), source: institution.value,
                     worker: .citizen(worker), data: EventData(fields))
    }

    /// A `certification.awarded` of a junior 电工 (6-31-01-03) certificate by exam from `Build.institution`; without
    /// `certificate`, its number is derived from the event id (the same in every run).
    public static func certificationAwarded(_ id: String, worker: CitizenID, on date: String = "2026-03-06",
                                            occupation: String = "6-31-01-03", occupationName: String = "电工",
                                            level: SkillLevel = .junior, certificate: String? = nil, route: String = "exam",
                                            issuer: CreditCode = Build.institution) -> Event {
        let number = certificate ?? certificateNumber(stableSerial(id), level: level)
        return Event(id: id, kind: .certificationAwarded, occurredOn: Build.date(date), source: issuer.value, worker: .citizen(worker),
                     data: EventData([("occupation", .text(occupation)), ("occupation_name", .text(occupationName)), ("level", .level(level)),
                                      ("certificate", .text(number)), ("issuer", .text(issuer.value)), ("route", .text(route))]))
    }

    /// A `certification.revoked` of the certificate numbered `certificate`.
    public static func certificationRevoked(_ id: String, worker: CitizenID, certificate: String, on date: String = "2026-05-12",
                                            reason: String = "考试作弊", source: String = "420300") -> Event {
        Event(id: id, kind: .certificationRevoked, occurredOn: Build.date(date), source: source, worker: .citizen(worker),
              data: EventData([("certificate", .text(certificate)), ("reason", .text(reason))]))
    }

    /// A `credit.earned` of 1.5 credits for a course at `Build.institution`.
    public static func creditEarned(_ id: String, worker: CitizenID, credits: String = "1.5", on date: String = "2026-02-03",
                                    sourceKind: String = "course", reference: String = "XF-2026-001",
                                    institution: CreditCode = Build.institution) -> Event {
        Event(id: id, kind: .creditEarned, occurredOn: Build.date(date), source: institution.value, worker: .citizen(worker),
              data: EventData([("credits", .credits(Build.credits(credits))), ("source_kind", .text(sourceKind)),
                               ("reference", .text(reference)), ("institution", .text(institution.value))]))
    }

    /// An `apprenticeship.started` of a 12-month modern apprenticeship with an employer in 620400, which is its source.
    public static func apprenticeshipStarted(_ id: String, worker: CitizenID, on date: String = "2026-01-31",
                                             employer: CreditCode = Build.creditCode(2, region: "620400"),
                                             scheme: String = "modern", plannedMonths: Int64 = 12,
                                             institution: CreditCode = Build.institution) -> Event {
        Event(id: id, kind: .apprenticeshipStarted, occurredOn: Build.date(date), source: employer.value, worker: .citizen(worker),
              data: EventData([("employer", .text(employer.value)), ("institution", .text(institution.value)), ("scheme", .text(scheme)),
                               ("planned_months", .integer(plannedMonths))]))
    }

    /// An `apprenticeship.ended`, terminated by default.
    public static func apprenticeshipEnded(_ id: String, worker: CitizenID, on date: String = "2026-04-20",
                                           outcome: String = "terminated", source: String = "620400") -> Event {
        Event(id: id, kind: .apprenticeshipEnded, occurredOn: Build.date(date), source: source, worker: .citizen(worker),
              data: EventData([("outcome", .text(outcome))]))
    }

    /// A `competition.placed`: first place at a city competition by default.
    public static func competitionPlaced(_ id: String, worker: CitizenID, rank: Int64 = 1, tier: String = "city",
                                         on date: String = "2026-05-18", competition: String = "2026年郑州市职业技能大赛（车工）",
                                         occupation: String? = "6-18-01-01", source: String = "410100") -> Event {
        var fields: [(String, FieldValue)] = [("competition", .text(competition)), ("tier", .text(tier)), ("rank", .integer(rank))]
        if let occupation { fields.append(("occupation", .text(occupation))) }
        return Event(id: id, kind: .competitionPlaced, occurredOn: Build.date(date), source: source, worker: .citizen(worker),
                     data: EventData(fields))
    }

    /// An `honor.awarded`: 诸葛工匠 at district tier by default (`tier: nil` for none).
    public static func honorAwarded(_ id: String, worker: CitizenID, title: String = "诸葛工匠", tier: String? = "district",
                                    on date: String = "2026-02-06", source: String = "510107") -> Event {
        var fields: [(String, FieldValue)] = [("title", .text(title))]
        if let tier { fields.append(("tier", .text(tier))) }
        return Event(id: id, kind: .honorAwarded, occurredOn: Build.date(date), source: source, worker: .citizen(worker), data: EventData(fields))
    }

    // MARK: Events about money and organisations

    /// A `fund.budgeted` for a jurisdiction's year: by default a 100,000,000-yuan employment fund of which 20,000,000
    /// yuan is training-subsidy budget (20%), dated 15 January.
    public static func fundBudgeted(_ id: String, jurisdiction: String = "420300", year: Int64 = 2026,
                                    employmentFund: String = "100000000", trainingSubsidyBudget: String = "20000000",
                                    on date: String? = nil) -> Event {
        Event(id: id, kind: .fundBudgeted, occurredOn: Build.date(date ?? "\(year)-01-15"), source: jurisdiction,
              data: EventData([("jurisdiction", .text(jurisdiction)), ("year", .integer(year)),
                               ("employment_fund", .money(money(employmentFund))),
                               ("training_subsidy_budget", .money(money(trainingSubsidyBudget)))]))
    }

    /// An `employer.education-fund` report of `Build.employer`: by default 700,000 yuan spent, 455,000 of it on
    /// frontline workers (65%).
    public static func employerEducationFund(_ id: String, employer: CreditCode = Build.employer, year: Int64 = 2026,
                                             payroll: String = "10000000", withdrawn: String = "800000", spent: String = "700000",
                                             spentFrontline: String = "455000", on date: String = "2026-07-10") -> Event {
        Event(id: id, kind: .employerEducationFund, occurredOn: Build.date(date), source: employer.value, employer: employer.value,
              data: EventData([("year", .integer(year)), ("payroll", .money(money(payroll))), ("withdrawn", .money(money(withdrawn))),
                               ("spent", .money(money(spent))), ("spent_frontline", .money(money(spentFrontline)))]))
    }

    /// A grant as `grant` writes it; `payee` is a person (pseudonymised by the ledger) or an organisation.
    public static func subsidyGranted(_ id: String, payee: FieldValue, amount: String = "1000", period: String = "2026-03",
                                      evidence: [String] = [], rule: String = "skill-upgrade", policy: String = "national-skill-upgrade",
                                      jurisdiction: String? = "420300", on date: String = "2026-03-31",
                                      explanation: String = "技能提升补贴 skill-upgrade subsidy") -> Event {
        var fields: [(String, FieldValue)] = [
            ("rule", .text(rule)), ("policy", .text(policy)), ("period", .month(month(period))), ("payee", payee),
            ("amount", .money(money(amount))), ("evidence", .list(evidence)), ("explanation", .text(explanation)),
        ]
        if let jurisdiction { fields.append(("jurisdiction", .text(jurisdiction))) }
        return Event(id: id, kind: .subsidyGranted, occurredOn: Build.date(date), source: jurisdiction ?? "420300", data: EventData(fields))
    }

    /// A payout row as `reconcile` records it.
    public static func subsidyPaid(_ id: String, payee: FieldValue, amount: String = "1000", grant: String? = nil,
                                   jurisdiction: String? = "420300", on date: String = "2026-03-20", bankRef: String = "BR-0001") -> Event {
        var fields: [(String, FieldValue)] = [("payment", .text(id)), ("payee", payee), ("amount", .money(money(amount))),
                                              ("bank_ref", .text(bankRef))]
        if let grant { fields.append(("grant", .text(grant))) }
        if let jurisdiction { fields.append(("jurisdiction", .text(jurisdiction))) }
        return Event(id: id, kind: .subsidyPaid, occurredOn: Build.date(date), source: jurisdiction ?? "420300", data: EventData(fields))
    }

    /// A `policy.adopted` with the given text and SHA-256 as given (not computed: a placeholder by default); its source
    /// is 420300 for a national pack.
    public static func policyAdopted(_ id: String, policy: String = "national-skill-upgrade", version: String = "1",
                                     jurisdiction: String = "national", text: String = "policy: national-skill-upgrade\n",
                                     sha256: String = String(repeating: "ab", count: 32), on date: String = "2026-01-01") -> Event {
        Event(id: id, kind: .policyAdopted, occurredOn: Build.date(date), source: jurisdiction == "national" ? "420300" : jurisdiction,
              data: EventData([("policy", .text(policy)), ("version", .text(version)), ("jurisdiction", .text(jurisdiction)),
                               ("sha256", .text(sha256)), ("text", .text(text))]))
    }

    /// An `event.reversed` that cancels `target`.
    public static func eventReversed(_ id: String, target: String, reason: String = "录入错误 keyed in error",
                                     on date: String = "2026-04-02", source: String = "420300") -> Event {
        Event(id: id, kind: .eventReversed, occurredOn: Build.date(date), source: source,
              data: EventData([("target", .text(target)), ("reason", .text(reason))]))
    }

    /// A `period.closed` of a jurisdiction's month, with a placeholder report digest (64 zeros) by default.
    public static func periodClosed(_ id: String, jurisdiction: String = "420300", period: String = "2026-03",
                                    reportDigest: String = String(repeating: "0", count: 64), on date: String = "2026-04-05") -> Event {
        Event(id: id, kind: .periodClosed, occurredOn: Build.date(date), source: jurisdiction,
              data: EventData([("jurisdiction", .text(jurisdiction)), ("period", .month(month(period))), ("report_digest", .text(reportDigest))]))
    }

    /// A `period.reopened` of a jurisdiction's month, with a reason.
    public static func periodReopened(_ id: String, jurisdiction: String = "420300", period: String = "2026-03",
                                      reason: String = "银行退回补录", on date: String = "2026-04-09") -> Event {
        Event(id: id, kind: .periodReopened, occurredOn: Build.date(date), source: jurisdiction,
              data: EventData([("jurisdiction", .text(jurisdiction)), ("period", .month(month(period))), ("reason", .text(reason))]))
    }
}

extension Event {
    /// The event as a submission, with the worker's name for the registry and where it "came from" for errors.
    public func submission(name: String? = nil, origin: String? = nil) -> Submission {
        Submission(event: self, personal: PersonalData(name: name), origin: origin ?? "test:\(id)")
    }
}
