import SkillsDomain

/// A policy pack: one local or national policy as data — where it applies, from when, its dated parameters and its
/// rules — checked when loaded. See docs/policy-packs.md for the format.
public final class PolicyPack: Sendable {
    /// The policy's id (`policy:`), shared by all its versions: A-Z a-z 0-9 . _ : -.
    public let id: String
    /// The version (`version:`); one version names one text for good, so re-adopting it is a no-op.
    public let version: String
    /// The policy's title as the pack gives it (`title:`).
    public let title: String
    /// Where it applies: a GB/T 2260 code (workers inside it, 510107 ⊂ 510100 ⊂ 510000) or national.
    public let jurisdiction: JurisdictionCode
    /// The document the policy comes from (`source.document`, e.g. 十发〔2018〕7号).
    public let document: String
    /// The first day this version is in force (`effective.from`).
    public let effectiveFrom: LocalDate
    /// The last day this version is in force (`effective.until`); nil for no end.
    public let effectiveUntil: LocalDate?
    /// The dated parameters, by name, as `params.NAME` in expressions.
    public let parameters: [String: Parameter]
    /// The rules that pay money or designate (`rules:`), in the pack's order.
    public let rules: [Rule]
    /// The rules that add credits to the learning account (`credits:`).
    public let creditRules: [CreditRule]
    /// Compliance floors this pack sets (`budget_floor`, `frontline_floor`), as decimal expressions over parameters.
    public let audits: [String: CompiledExpression]
    /// `notice: {working_days: N}`: entitlements are granted only after a public notice (公示) of N working days.
    public let noticeWorkingDays: Int?
    /// The exact text and its SHA-256, as recorded by `policy adopt`.
    public let text: String
    /// The SHA-256 of `text`, 64 lowercase hex digits.
    public let sha256: String
    /// The file (or label) the pack was loaded from, to name it in errors and as the adoption's origin.
    public let file: String

    /// Whether the pack is in force on a date.
    public func isEffective(on date: LocalDate) -> Bool {
        date >= effectiveFrom && (effectiveUntil.map { date <= $0 } ?? true)
    }

    /// The parameter values in force on a date, as the `params` record expressions see, by slot.
    func parameterValues(on date: LocalDate) -> ParameterEpoch {
        epochs.last { $0.from <= date }?.values ?? .empty
    }

    /// The same, laid out in the slots of another version's expressions: an accrual started under one version reads
    /// a later version's parameters by name (a name the later version lacks reads as null).
    func parameterValues(on date: LocalDate, laidOutFor other: PolicyPack) -> ParameterEpoch {
        let own = parameterValues(on: date)
        guard other.parameterNames != parameterNames else { return own }
        return ParameterEpoch(values: other.parameterNames.map { name in parameterNames.firstIndex(of: name).map { own.values[$0] } ?? .null })
    }

    /// The parameters' names in order: the slots of `params` in this pack's compiled expressions.
    let parameterNames: [String]

    /// Every set of parameter values the pack ever has, from the date it starts: computed once, so that evaluating a
    /// rule never rebuilds them. Each holds the values in the order of the parameters' names, the slots its compiled
    /// expressions read (`Scope.parameters`).
    let epochs: [(from: LocalDate, values: ParameterEpoch)]

    // A class, not a struct, for the reason `Rule` is one: the packs in force are gone through for every event that
    // triggers a rule, and a copy of a pack retained and released each of its strings, tables and arrays.
    init(id: String, version: String, title: String, jurisdiction: JurisdictionCode, document: String, effectiveFrom: LocalDate,
         effectiveUntil: LocalDate?, parameters: [String: Parameter], rules: [Rule], creditRules: [CreditRule],
         audits: [String: CompiledExpression], noticeWorkingDays: Int?, text: String, sha256: String, file: String) {
        self.id = id
        self.version = version
        self.title = title
        self.jurisdiction = jurisdiction
        self.document = document
        self.effectiveFrom = effectiveFrom
        self.effectiveUntil = effectiveUntil
        self.parameters = parameters
        self.rules = rules
        self.creditRules = creditRules
        self.audits = audits
        self.noticeWorkingDays = noticeWorkingDays
        self.text = text
        self.sha256 = sha256
        self.file = file
        let dates = Set(parameters.values.flatMap { $0.values.map(\.from) } + [LocalDate(year: 1900, month: 1, day: 1)!]).sorted()
        let names = parameters.keys.sorted()
        parameterNames = names
        epochs = dates.map { date in (date, ParameterEpoch(values: names.map { parameters[$0]!.value(on: date) })) }
    }
}

/// A parameter whose value changes on dates (as in OpenFisca): the value in force is the latest whose date is on or
/// before the date asked about.
public struct Parameter: Sendable {
    /// The parameter's name in the pack (`params.NAME`).
    public var name: String
    /// The declared type: money, int, decimal, credits, bool, string, or money, credits or int by level.
    public var type: ExpressionType
    /// The values with the day each takes effect, in date order.
    public var values: [(from: LocalDate, value: Value)]
    /// True when the plan does not state the amount and the pack uses a labelled sample value.
    public var sample: Bool
    /// The pack's note on the parameter (for example where a sample amount comes from).
    public var note: String?

    /// The value in force on a date: the latest whose date is on or before it; `.null` before the first.
    public func value(on date: LocalDate) -> Value {
        values.last { $0.from <= date }?.value ?? .null
    }
}

/// An expression with its source text and position in the pack, checked to have a type and compiled (`Program`):
/// every name and field resolved to a slot when the pack loads.
public struct CompiledExpression: Sendable {
    /// The expression as written in the pack.
    public var source: String
    /// Where the expression starts in the pack (line and column).
    public var position: SourcePosition
    var expression: Expression
    /// The type the expression was checked to have.
    public var type: ExpressionType
    /// What runs.
    var program: Program

    func evaluate(_ frame: Frame) throws(EvaluationError) -> Value { try program.evaluate(frame) }
}

/// Who is paid.
public enum PayeeRule: Sendable {
    /// The worker the event concerns.
    case worker
    /// The worker's employer as of the event date.
    case employer
    /// An expression giving a 统一社会信用代码 (e.g. `event.employer` of an apprenticeship).
    case expression(CompiledExpression)
}

/// A prior event a rule needs beside its trigger (e.g. the training before a certificate).
public struct Join: Sendable {
    /// The name the prior event is bound to in the rule's expressions (a key of `requires:`).
    public var name: String
    /// The kind of event to look for (`on:`).
    public var kind: EventKind
    /// The `where:` condition the event must meet; the latest event that meets it is bound.
    public var condition: CompiledExpression
    /// The slots of the joined event's record.
    var layout: RecordLayout
}

/// A monthly accrual: month k completes on the start date plus k months (clamped to the month's end).
public struct Accrual: Sendable {
    /// How many months accrue (`count:`), an int expression.
    public var count: CompiledExpression
    /// An event that ends the accrual: months completing after it are not due.
    public var stopOn: EventKind?
}

/// Limits that hold across a worker's whole history.
public struct Limits: Sendable {
    /// Once per worker per combination of these trigger fields (e.g. occupation and level).
    public var oncePer: [String] = []
    /// None for a level lower than one already paid in the same occupation.
    public var noLowerLevel = false
    /// At most this many per worker per calendar year, earliest first.
    public var perYear: CompiledExpression?
    /// Once in a worker's lifetime.
    public var oncePerLifetime = false
    /// At most this much money per worker per calendar year, earliest first (the last one reduced to fit).
    public var capPerYear: CompiledExpression?
}

/// A rule that pays money (or designates) when its trigger event and conditions hold.
public final class Rule: Sendable {
    /// The rule's id within its pack (`id:`).
    public let id: String
    /// The rule's title in Chinese (`title.zh`).
    public let titleZH: String
    /// The rule's title in English (`title.en`).
    public let titleEN: String
    /// The clause of the policy document it implements, cited in every explanation.
    public let clause: String
    /// The event kind that triggers it (`on:`), bound as `event` in its expressions.
    public let trigger: EventKind
    /// The levels the rule can pay for (certificates only); nil for all. Declarative so that overlaps can be checked.
    public let levels: Set<SkillLevel>?
    /// The prior events it needs beside the trigger (`requires:`).
    public let joins: [Join]
    /// The bool condition that must hold (`when:`); nil for always.
    public let condition: CompiledExpression?
    /// The money amount due (`amount:`); nil for a designation.
    public let amount: CompiledExpression?
    /// For a rule that pays nothing (e.g. a talent-pool designation), what it designates, in Chinese.
    public let designationZH: String?
    /// The designation in English.
    public let designationEN: String?
    /// Who is paid (`payee:`).
    public let payee: PayeeRule
    /// Limits across the worker's whole history (`limits:`).
    public let limits: Limits
    /// For a rule paid once per completed month (`accrue:`); nil for a one-off.
    public let accrual: Accrual?
    /// The group (`exclusive:`) in which at most one rule pays for one piece of evidence: the larger amount wins.
    public let exclusiveGroup: String?
    /// Whether this rule wins its exclusive group on a tie of amounts (`prefer_on_tie:`).
    public let preferOnTie: Bool
    /// Rules (`policy/rule`) declared due together with this one despite overlapping (`stacks_with:`).
    public let stacksWith: [String]
    /// Where the rule starts in the pack (line and column), for errors.
    public let position: SourcePosition
    /// "policy/rule", as entitlements and exclusions name the rule: made once when the pack loads, not per event.
    public let name: String
    /// The slots of the trigger's record (`event`).
    let eventLayout: RecordLayout

    // A class, not a struct: the engine goes through the rules of the packs in force for every event that triggers
    // one, and a rule of a dozen strings, expressions and sets was copied (a retain and a release each) at every step.
    init(id: String, policy: String, titleZH: String, titleEN: String, clause: String, trigger: EventKind, levels: Set<SkillLevel>?,
         joins: [Join], condition: CompiledExpression?, amount: CompiledExpression?, designationZH: String?, designationEN: String?,
         payee: PayeeRule, limits: Limits, accrual: Accrual?, exclusiveGroup: String?, preferOnTie: Bool, stacksWith: [String],
         position: SourcePosition) {
        self.id = id
        self.titleZH = titleZH
        self.titleEN = titleEN
        self.clause = clause
        self.trigger = trigger
        self.levels = levels
        self.joins = joins
        self.condition = condition
        self.amount = amount
        self.designationZH = designationZH
        self.designationEN = designationEN
        self.payee = payee
        self.limits = limits
        self.accrual = accrual
        self.exclusiveGroup = exclusiveGroup
        self.preferOnTie = preferOnTie
        self.stacksWith = stacksWith
        self.position = position
        name = "\(policy)/\(id)"
        eventLayout = RecordLayout.of(trigger)
    }
}


/// A rule that adds credits to the worker's learning account (学分银行).
public final class CreditRule: Sendable {
    /// The credit rule's id within its pack.
    public let id: String
    /// The clause of the policy document it implements; empty when the pack gives none.
    public let clause: String
    /// The event kind that triggers it (`on:`).
    public let trigger: EventKind
    /// The bool condition that must hold (`when:`); nil for always.
    public let condition: CompiledExpression?
    /// The credits added (`credits:`), a credits expression (tenths of a credit).
    public let credits: CompiledExpression
    /// Where the rule starts in the pack, for errors.
    public let position: SourcePosition
    /// The slots of the trigger's record (`event`).
    let eventLayout: RecordLayout

    init(id: String, clause: String, trigger: EventKind, condition: CompiledExpression?, credits: CompiledExpression, position: SourcePosition) {
        self.id = id
        self.clause = clause
        self.trigger = trigger
        self.condition = condition
        self.credits = credits
        self.position = position
        eventLayout = RecordLayout.of(trigger)
    }
}
