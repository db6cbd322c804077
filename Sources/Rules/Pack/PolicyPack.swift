import SkillsDomain

/// A policy pack: one local or national policy as data — where it applies, from when, its dated parameters and its
/// rules — checked when loaded. See docs/policy-packs.md for the format.
public struct PolicyPack: Sendable {
    public var id: String
    public var version: String
    public var title: String
    public var jurisdiction: JurisdictionCode
    public var document: String
    public var effectiveFrom: LocalDate
    public var effectiveUntil: LocalDate?
    public var parameters: [String: Parameter]
    public var rules: [Rule]
    public var creditRules: [CreditRule]
    /// Compliance floors this pack sets (`budget_floor`, `frontline_floor`), as decimal expressions over parameters.
    public var audits: [String: CompiledExpression]
    /// `notice: {working_days: N}`: entitlements are granted only after a public notice (公示) of N working days.
    public var noticeWorkingDays: Int?
    /// The exact text and its SHA-256, as recorded by `policy adopt`.
    public var text: String
    public var sha256: String
    public var file: String

    /// Whether the pack is in force on a date.
    public func isEffective(on date: LocalDate) -> Bool {
        date >= effectiveFrom && (effectiveUntil.map { date <= $0 } ?? true)
    }

    /// The parameter values in force on a date, as the `params` record expressions see.
    func parameterValues(on date: LocalDate) -> ValueRecord {
        epochs.last { $0.from <= date }?.values ?? [:]
    }

    /// Every set of parameter values the pack ever has, from the date it starts: computed once, so that evaluating a
    /// rule never rebuilds them.
    var epochs: [(from: LocalDate, values: ValueRecord)] = []

    mutating func computeEpochs() {
        let dates = Set(parameters.values.flatMap { $0.values.map(\.from) } + [LocalDate(year: 1900, month: 1, day: 1)!]).sorted()
        epochs = dates.map { date in (date, ValueRecord(parameters.mapValues { $0.value(on: date) })) }
    }
}

/// A parameter whose value changes on dates (as in OpenFisca): the value in force is the latest whose date is on or
/// before the date asked about.
public struct Parameter: Sendable {
    public var name: String
    public var type: ExpressionType
    public var values: [(from: LocalDate, value: Value)]
    /// True when the plan does not state the amount and the pack uses a labelled sample value.
    public var sample: Bool
    public var note: String?

    public func value(on date: LocalDate) -> Value {
        values.last { $0.from <= date }?.value ?? .null
    }
}

/// An expression with its source text and position in the pack, checked to have a type.
public struct CompiledExpression: Sendable {
    public var source: String
    public var position: SourcePosition
    var expression: Expression
    public var type: ExpressionType
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
    public var name: String
    public var kind: EventKind
    public var condition: CompiledExpression
}

/// A monthly accrual: month k completes on the start date plus k months (clamped to the month's end).
public struct Accrual: Sendable {
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
public struct Rule: Sendable {
    public var id: String
    public var titleZH: String
    public var titleEN: String
    public var clause: String
    public var trigger: EventKind
    /// The levels the rule can pay for (certificates only); nil for all. Declarative so that overlaps can be checked.
    public var levels: Set<SkillLevel>?
    public var joins: [Join]
    public var condition: CompiledExpression?
    public var amount: CompiledExpression?
    public var designationZH: String?
    public var designationEN: String?
    public var payee: PayeeRule
    public var limits: Limits
    public var accrual: Accrual?
    public var exclusiveGroup: String?
    public var preferOnTie: Bool
    public var stacksWith: [String]
    public var position: SourcePosition
    /// "policy/rule", as entitlements and exclusions name the rule: made once when the pack loads, not per event.
    public internal(set) var name = ""
}

/// A rule that adds credits to the worker's learning account (学分银行).
public struct CreditRule: Sendable {
    public var id: String
    public var clause: String
    public var trigger: EventKind
    public var condition: CompiledExpression?
    public var credits: CompiledExpression
    public var position: SourcePosition
}
