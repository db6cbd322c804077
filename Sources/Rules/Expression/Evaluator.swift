import SkillsDomain

/// A failure while evaluating a type-checked expression (division by zero, an overflow).
public struct EvaluationError: Error, Sendable, CustomStringConvertible {
    /// What failed, for a person to read.
    public var message: String
    public var description: String { message }
}

/// Evaluates type-checked expressions. Null propagates through arithmetic and comparisons (a comparison with null
/// is false), so a rule whose inputs are missing simply does not apply.
/// The operations of the expression language over values, which compiled expressions (`Program`) call. Null
/// propagates through arithmetic and comparisons (a comparison with null is false), so a rule whose inputs are
/// missing simply does not apply.
enum Evaluator {
    /// `container[key]`: a table by level (or by a string naming a level, or any string), a list by position; null
    /// otherwise.
    static func lookup(_ container: Value, _ key: Value) -> Value {
        switch (container, key) {
        case (.table(let entries), .level(let level)): return entries[level.rawValue] ?? .null
        case (.table(let entries), .string(let text)): return entries[(try? SkillLevel(parsing: text).rawValue) ?? text] ?? .null
        case (.list(let items), .int(let index)): return index >= 0 && index < items.count ? items[Int(index)] : .null
        default: return .null
        }
    }

    /// `element in container`: a list holding an equal value, or a table with the level (or string) as a key.
    static func contains(_ container: Value, _ element: Value) -> Bool {
        switch container {
        case .list(let items): return items.contains { equal(element, $0) }
        case .table(let entries):
            if case .level(let level) = element { return entries[level.rawValue] != nil }
            if case .string(let key) = element { return entries[key] != nil }
            return false
        default: return false
        }
    }

    /// Equality with a level or date given as a string literal.
    static func equal(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.level(let level), .string(let text)), (.string(let text), .level(let level)):
            return (try? SkillLevel(parsing: text)) == level
        case (.int, .decimal), (.decimal, .int):
            return compare(a, b) == 0
        case (.null, _), (_, .null):
            return false
        default:
            return a == b
        }
    }

    static func decimal(_ value: Value) -> Decimal4? {
        switch value {
        case .int(let number): number.magnitude <= UInt64(Int64.max / Decimal4.scale) ? Decimal4(integer: number) : nil
        case .decimal(let decimal): decimal
        default: nil
        }
    }

    static func compare(_ a: Value, _ b: Value) -> Int? {
        func order<T: Comparable>(_ x: T, _ y: T) -> Int { x < y ? -1 : (x == y ? 0 : 1) }
        switch (a, b) {
        case (.int(let x), .int(let y)): return order(x, y)
        case (.money(let x), .money(let y)): return order(x, y)
        case (.credits(let x), .credits(let y)): return order(x, y)
        case (.date(let x), .date(let y)): return order(x, y)
        case (.month(let x), .month(let y)): return order(x, y)
        case (.level(let x), .level(let y)): return order(x, y)
        case (.level(let x), .string(let text)): return (try? SkillLevel(parsing: text)).map { order(x, $0) }
        case (.string(let text), .level(let y)): return (try? SkillLevel(parsing: text)).map { order($0, y) }
        default:
            guard let x = decimal(a), let y = decimal(b) else { return nil }
            return order(x, y)
        }
    }

    /// Every operation checks for overflow and reports it as an `EvaluationError`: a pack's arithmetic on large
    /// parameters must stop `grant` with a message, not trap (found by fuzzing: `k / -k`, `-(n)` at Int64.min, …).
    static func arithmetic(_ op: Operator, _ a: Value, _ b: Value) throws(EvaluationError) -> Value {
        func overflow() -> EvaluationError { EvaluationError(message: "arithmetic overflow in \(a.display) \(op.rawValue) \(b.display)") }
        func zero() -> EvaluationError { EvaluationError(message: "division by zero in \(a.display) / \(b.display)") }
        func checked(_ result: (partialValue: Int64, overflow: Bool)) throws(EvaluationError) -> Int64 {
            if result.overflow { throw overflow() }
            return result.partialValue
        }
        func scaled(_ value: Int64, by numerator: Int64, over denominator: Int64) throws(EvaluationError) -> Int64 {
            guard denominator != 0 else { throw zero() }
            let magnitude = denominator == .min ? nil : Money(fen: value).scaledReportingOverflow(by: numerator, over: abs(denominator))
            guard let magnitude, !(denominator < 0 && magnitude.fen == .min) else { throw overflow() }
            return denominator < 0 ? -magnitude.fen : magnitude.fen
        }
        switch (a, b) {
        case (.null, _), (_, .null): return .null
        case (.int(let x), .int(let y)):
            switch op {
            case .plus: return .int(try checked(x.addingReportingOverflow(y)))
            case .minus: return .int(try checked(x.subtractingReportingOverflow(y)))
            case .times: return .int(try checked(x.multipliedReportingOverflow(by: y)))
            case .remainder: if y == 0 { throw zero() }; return .int(try checked(x.remainderReportingOverflow(dividingBy: y)))
            default: return .decimal(Decimal4(raw: try scaled(x, by: Decimal4.scale, over: y)))
            }
        case (.money(let x), .money(let y)):
            switch op {
            case .plus: return .money(Money(fen: try checked(x.fen.addingReportingOverflow(y.fen))))
            case .minus: return .money(Money(fen: try checked(x.fen.subtractingReportingOverflow(y.fen))))
            default: return .decimal(Decimal4(raw: try scaled(x.fen, by: Decimal4.scale, over: y.fen)))
            }
        case (.credits(let x), .credits(let y)):
            let result = op == .plus ? x.tenths.addingReportingOverflow(y.tenths) : x.tenths.subtractingReportingOverflow(y.tenths)
            return .credits(Credits(tenths: try checked(result)))
        case (.money(let money), let number), (let number, .money(let money)):
            guard let factor = try decimal(number, orThrow: overflow()) else { return .null }
            if op == .times { return .money(Money(fen: try scaled(money.fen, by: factor.raw, over: Decimal4.scale))) }
            return .money(Money(fen: try scaled(money.fen, by: Decimal4.scale, over: factor.raw)))
        case (.credits(let credits), let number), (let number, .credits(let credits)):
            guard let factor = try decimal(number, orThrow: overflow()) else { return .null }
            if op == .times { return .credits(Credits(tenths: try scaled(credits.tenths, by: factor.raw, over: Decimal4.scale))) }
            return .credits(Credits(tenths: try scaled(credits.tenths, by: Decimal4.scale, over: factor.raw)))
        default:
            guard let x = try decimal(a, orThrow: overflow()), let y = try decimal(b, orThrow: overflow()) else { return .null }
            switch op {
            case .plus: return .decimal(Decimal4(raw: try checked(x.raw.addingReportingOverflow(y.raw))))
            case .minus: return .decimal(Decimal4(raw: try checked(x.raw.subtractingReportingOverflow(y.raw))))
            case .times: return .decimal(Decimal4(raw: try scaled(x.raw, by: y.raw, over: Decimal4.scale)))
            default: return .decimal(Decimal4(raw: try scaled(x.raw, by: Decimal4.scale, over: y.raw)))
            }
        }
    }

    /// A number as a decimal for arithmetic: nil if it is not a number, `error` if it is an int too large for four
    /// decimal places.
    /// The error is made only when thrown: its message formats both operands, and this runs for every product of an
    /// amount and a number (perf showed the message built for each accrual month).
    static func decimal(_ value: Value, orThrow error: @autoclosure () -> EvaluationError) throws(EvaluationError) -> Decimal4? {
        if case .int(let number) = value {
            let (raw, overflow) = number.multipliedReportingOverflow(by: Decimal4.scale)
            if overflow { throw error() }
            return Decimal4(raw: raw)
        }
        return decimal(value)
    }

    static func negated(_ number: Int64) throws(EvaluationError) -> Int64 {
        let (result, overflow) = Int64(0).subtractingReportingOverflow(number)
        if overflow { throw EvaluationError(message: "arithmetic overflow in -(\(number))") }
        return result
    }

    /// A call with its arguments evaluated (all of them, in order, before this).
    static func call(_ function: Function, _ values: [Value]) throws(EvaluationError) -> Value {
        if function == .has { return .bool(values.first.map { $0 != .null } ?? false) }
        if values.contains(.null) { return .null }
        if function == .min || function == .max {
            // Pairwise, left to right; values that cannot be compared give null (none is null here).
            var best = values[0]
            for value in values.dropFirst() {
                best = try apply(function, best, value)
                if best == .null { return .null }
            }
            return best
        }
        return try apply(function, values[0], values.count > 1 ? values[1] : .null)
    }

    /// A function of one or two arguments, neither null (`y` is null for a function of one).
    static func apply(_ function: Function, _ x: Value, _ y: Value) throws(EvaluationError) -> Value {
        switch function {
        case .has: return .bool(x != .null)
        case .min, .max:
            guard let order = compare(y, x) else { return .null }
            return (function == .min && order < 0) || (function == .max && order > 0) ? y : x
        case .monthsBetween:
            return .int(Int64(monthIndex(y) - monthIndex(x)))
        case .daysBetween:
            guard case .date(let from) = x, case .date(let to) = y else { return .null }
            return .int(Int64(to.dayNumber - from.dayNumber))
        case .month:
            guard case .date(let date) = x else { return .null }
            return .month(date.yearMonth)
        case .addMonths:
            // `magnitude`, not `abs`: abs(Int64.min) traps (found by the compiled-program property test in CI).
            guard case .date(let date) = x, case .int(let count) = y, count.magnitude <= 1_200 else { return .null }
            return .date(date.adding(months: Int(count)))
        case .year:
            if case .date(let date) = x { return .int(Int64(date.year)) }
            if case .month(let month) = x { return .int(Int64(month.year)) }
            return .null
        case .floorTo:
            guard let value = decimal(x), let step = decimal(y), step.raw > 0 else {
                throw EvaluationError(message: "floor_to needs a positive step")
            }
            // Floor division without the overflow of -value + step - 1 near Int64.min.
            var steps = value.raw / step.raw
            if value.raw % step.raw < 0 { steps -= 1 }
            let (raw, overflow) = steps.multipliedReportingOverflow(by: step.raw)
            if overflow { throw EvaluationError(message: "arithmetic overflow in floor_to") }
            return .decimal(Decimal4(raw: raw))
        case .credits:
            guard let value = decimal(x) else { return .null }
            return .credits(Credits(tenths: value.raw / 1_000))
        case .yuan:
            guard let value = decimal(x) else { return .null }
            return .money(Money(fen: value.raw / 100))
        case .size:
            if case .list(let items) = x { return .int(Int64(items.count)) }
            return .null
        }
    }

    static func monthIndex(_ value: Value) -> Int {
        switch value {
        case .month(let month): month.index
        case .date(let date): date.yearMonth.index
        default: 0
        }
    }
}
