/// The type of one field of an event's `data`, which says how input is read and how the value is written canonically.
public enum FieldType: Sendable, Equatable {
    case text(maxLength: Int)
    case choice([String])
    case money
    case signedMoney
    case credits
    case date
    case month
    case year
    case bool
    case integer(ClosedRange<Int64>)
    case level
    case occupation
    case creditCode
    case jurisdiction
    /// A payee: a person (公民身份号码, pseudonymised in the ledger) or an organisation (统一社会信用代码).
    case party
    case eventID
    case eventIDs
    case sha256

    /// The Chinese names a clerk may write for a choice's values (in a CSV with Chinese headers, say); the ledger stores
    /// the English value SPEC.md names, so the same fact is the same bytes whichever name was used. A name is looked up
    /// only among the field's own values (企业 is `employer` for `paid_by` but `enterprise` for `route`).
    public static let choiceNames: [String: [String]] = [
        "self": ["个人", "自费"], "employer": ["单位", "企业", "用人单位"], "government": ["政府", "财政"],
        "pre-job": ["岗前", "岗前培训"], "upgrade": ["岗位提升", "技能提升", "提升培训"], "transfer": ["转岗", "转岗培训"],
        "technician": ["技师", "技师培训"],
        "exam": ["考试", "鉴定", "考核"], "enterprise": ["企业", "企业评价", "企业级"], "competition": ["竞赛", "技能竞赛"],
        "skip-level": ["破格", "越级", "破格晋升"],
        "course": ["课程"], "certificate": ["证书"], "degree": ["学历", "学位"], "other": ["其他"],
        "enterprise-new": ["企业新型学徒制", "新型学徒制"], "modern": ["现代学徒制"],
        "completed": ["完成", "出师", "结业"], "terminated": ["终止", "解除"],
        "district": ["区级", "县级"], "city": ["市级"], "province": ["省级"], "national": ["国家级", "全国"],
    ]

    /// The value `text` names among `options`: itself, or the value one of its Chinese names stands for.
    public static func choice(_ text: String, among options: [String]) -> String? {
        if options.contains(text) { return text }
        return options.first { choiceNames[$0]?.contains(text) ?? false }
    }

    /// What the field expects, for help text and errors.
    public var expectation: String {
        switch self {
        case .text(let maximum): "text of at most \(maximum) characters"
        case .choice(let options): "one of " + options.map { option in
            FieldType.choiceNames[option].map { "\(option) (\($0[0]))" } ?? option
        }.joined(separator: ", ")
        case .money: "a yuan amount ≥ 0 with at most two decimals"
        case .signedMoney: "a yuan amount with at most two decimals (negative for returns)"
        case .credits: "credits with at most one decimal"
        case .date: "a date YYYY-MM-DD"
        case .month: "a month YYYY-MM"
        case .year: "a year YYYY"
        case .bool: "true or false (是/否)"
        case .integer(let range): "a whole number from \(range.lowerBound) to \(range.upperBound)"
        case .level: "a skill level"
        case .occupation: "an occupation code X-XX-XX-XX"
        case .creditCode: "a 统一社会信用代码"
        case .jurisdiction: "a jurisdiction code"
        case .party: "a 公民身份号码 or 统一社会信用代码"
        case .eventID: "an event id (1–64 of A-Z a-z 0-9 . _ : -)"
        case .eventIDs: "a list of event ids"
        case .sha256: "64 lowercase hex digits"
        }
    }
}

/// One field of a kind's `data` in the catalogue: its name, its type, and whether an event must carry it.
public struct FieldSpec: Sendable, Equatable {
    /// The field's name in `data`, as SPEC.md spells it (`insured_since`, `paid_by`).
    public let name: String
    /// How the value is read from input and written canonically.
    public let type: FieldType
    /// Whether intake refuses an event without the field; an empty or blank string counts as absent.
    public let required: Bool
    /// The field `name` of `type`, required unless `required` is false.
    public init(_ name: String, _ type: FieldType, required: Bool = true) {
        self.name = name
        self.type = type
        self.required = required
    }
}

/// Whom an event concerns: the top-level `worker` or `employer` field it must (or may) carry.
public enum SubjectRule: Sendable, Equatable {
    case worker
    case employer
    case none
}

/// A kind's contract: its subject, its `data` fields, and which of them are personal data kept out of the chain.
public struct KindSpec: Sendable {
    /// The kind this contract is for.
    public let kind: EventKind
    /// Whether the kind requires a top-level `worker`, an `employer`, or neither.
    public let subject: SubjectRule
    /// Every field the kind's `data` may hold, in catalogue order; any other field is refused.
    public let fields: [FieldSpec]
    /// Fields that go to the personal-data registry, never into chained rows (PIPL).
    public let personalFields: [String]

    /// The field named `name`, or nil when the kind has none.
    public func field(_ name: String) -> FieldSpec? { fields.first { $0.name == name } }
}

/// The event catalogue of SPEC.md as data: intake, the ledger and the rules engine's type checker all read it.
public enum EventCatalogue {
    static let name = FieldType.text(maxLength: 100)
    static let shortText = FieldType.text(maxLength: 200)
    static let longText = FieldType.text(maxLength: 2_000)
    static let money = FieldType.money

    static let workerAttributes: [FieldSpec] = [
        FieldSpec("jurisdiction", .jurisdiction),
        FieldSpec("employer", .creditCode, required: false),
        FieldSpec("insured_since", .month, required: false),
        FieldSpec("migrant", .bool),
        FieldSpec("frontline", .bool),
    ]

    /// Every kind's contract, including the `period.reopened` extension.
    public static let specs: [EventKind: KindSpec] = {
        var specs: [EventKind: KindSpec] = [:]
        func add(_ kind: EventKind, _ subject: SubjectRule, _ fields: [FieldSpec], personal: [String] = []) {
            specs[kind] = KindSpec(kind: kind, subject: subject, fields: fields, personalFields: personal)
        }
        add(.workerRegistered, .worker, [FieldSpec("name", name, required: false)] + workerAttributes, personal: ["name"])
        add(.workerChanged, .worker, workerAttributes.map { FieldSpec($0.name, $0.type, required: false) })
        add(.trainingCompleted, .worker, [
            FieldSpec("course", shortText), FieldSpec("title", shortText), FieldSpec("institution", shortText),
            FieldSpec("hours", .integer(1...10_000)), FieldSpec("started_on", .date), FieldSpec("cost", money),
            FieldSpec("paid_by", .choice(["self", "employer", "government"])),
            FieldSpec("track", .choice(["pre-job", "upgrade", "transfer", "technician"])),
            FieldSpec("occupation", .occupation, required: false),
        ])
        add(.certificationAwarded, .worker, [
            FieldSpec("occupation", .occupation), FieldSpec("occupation_name", shortText), FieldSpec("level", .level),
            FieldSpec("certificate", shortText), FieldSpec("issuer", shortText),
            FieldSpec("route", .choice(["exam", "enterprise", "competition", "skip-level"])),
        ])
        add(.certificationRevoked, .worker, [FieldSpec("certificate", shortText), FieldSpec("reason", longText)])
        add(.creditEarned, .worker, [
            FieldSpec("credits", .credits), FieldSpec("source_kind", .choice(["course", "certificate", "degree", "other"])),
            FieldSpec("reference", shortText), FieldSpec("institution", shortText),
        ])
        add(.apprenticeshipStarted, .worker, [
            FieldSpec("employer", .creditCode), FieldSpec("institution", shortText),
            FieldSpec("scheme", .choice(["enterprise-new", "modern"])), FieldSpec("planned_months", .integer(1...60)),
        ])
        add(.apprenticeshipEnded, .worker, [FieldSpec("outcome", .choice(["completed", "terminated"]))])
        add(.competitionPlaced, .worker, [
            FieldSpec("competition", shortText),
            FieldSpec("tier", .choice(["enterprise", "district", "city", "province", "national"])),
            FieldSpec("rank", .integer(1...10_000)), FieldSpec("occupation", .occupation, required: false),
        ])
        add(.honorAwarded, .worker, [FieldSpec("title", shortText), FieldSpec("tier", shortText, required: false)])
        add(.fundBudgeted, .none, [
            FieldSpec("jurisdiction", .jurisdiction), FieldSpec("year", .year), FieldSpec("employment_fund", money),
            FieldSpec("training_subsidy_budget", money),
        ])
        add(.employerEducationFund, .employer, [
            FieldSpec("year", .year), FieldSpec("payroll", money), FieldSpec("withdrawn", money),
            FieldSpec("spent", money), FieldSpec("spent_frontline", money),
        ])
        add(.subsidyGranted, .none, [
            FieldSpec("rule", shortText), FieldSpec("policy", shortText), FieldSpec("version", shortText, required: false),
            FieldSpec("period", .month), FieldSpec("payee", .party), FieldSpec("amount", .signedMoney),
            FieldSpec("evidence", .eventIDs), FieldSpec("explanation", longText),
            FieldSpec("entitlement", .text(maxLength: 64), required: false),
            FieldSpec("jurisdiction", .jurisdiction, required: false),
            // A clawback (negative grant) names the grant whose entitlement was withdrawn.
            FieldSpec("clawback_of", .eventID, required: false),
            // A settlement adjustment (补发 / 追回, signed) names the grant of the entitlement it settles.
            FieldSpec("adjusts", .eventID, required: false),
        ])
        add(.subsidyPaid, .none, [
            FieldSpec("payment", .eventID), FieldSpec("grant", .eventID, required: false), FieldSpec("payee", .party),
            FieldSpec("amount", .signedMoney), FieldSpec("bank_ref", shortText, required: false),
            FieldSpec("jurisdiction", .jurisdiction, required: false),
        ])
        add(.policyAdopted, .none, [
            FieldSpec("policy", shortText), FieldSpec("version", shortText), FieldSpec("jurisdiction", .jurisdiction),
            FieldSpec("sha256", .sha256), FieldSpec("text", .text(maxLength: 1_000_000)),
        ])
        add(.eventReversed, .none, [FieldSpec("target", .eventID), FieldSpec("reason", longText)])
        add(.periodClosed, .none, [
            FieldSpec("jurisdiction", .jurisdiction), FieldSpec("period", .month), FieldSpec("report_digest", .sha256),
            FieldSpec("due", .signedMoney, required: false), FieldSpec("paid", .signedMoney, required: false),
            FieldSpec("difference", .signedMoney, required: false),
        ])
        add(.periodReopened, .none, [
            FieldSpec("jurisdiction", .jurisdiction), FieldSpec("period", .month), FieldSpec("reason", longText),
        ])
        // Public notice (公示): the list's entitlement ids and the SHA-256 of the list's canonical JSON.
        add(.noticePublished, .none, [
            FieldSpec("jurisdiction", .jurisdiction), FieldSpec("month", .month), FieldSpec("from", .date), FieldSpec("until", .date),
            FieldSpec("days", .integer(1...30)), FieldSpec("entitlements", .eventIDs), FieldSpec("digest", .sha256),
        ])
        add(.objectionFiled, .none, [FieldSpec("entitlement", .eventID), FieldSpec("reason", longText)])
        add(.objectionResolved, .none, [
            FieldSpec("entitlement", .eventID), FieldSpec("outcome", .choice(["upheld", "dismissed"])),
            FieldSpec("objections", .eventIDs), FieldSpec("reason", longText),
        ])
        add(.accessGranted, .none, [
            FieldSpec("name", .eventID), FieldSpec("role", .choice(AccessRole.allCases.map(\.rawValue))),
            FieldSpec("scope", .text(maxLength: 64), required: false),
        ])
        add(.accessRevoked, .none, [FieldSpec("name", .eventID)])
        return specs
    }()

    /// The contract of `kind` (every `EventKind` has one).
    public static func spec(for kind: EventKind) -> KindSpec { specs[kind]! }
}
