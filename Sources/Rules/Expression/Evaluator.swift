import SkillsDomain

/// What an expression sees at run time: plain values and records (the event, the worker, the parameters).
struct Bindings: Sendable {
    var values = ValueRecord()
    var records = SmallMap<ValueRecord>()

    /// An event as a record: id, occurred_on, source, employer, worker and its data fields.
    static func record(of event: Event) -> ValueRecord {
        var fields: ValueRecord = ["id": .string(event.id), "occurred_on": .date(event.occurredOn), "source": .string(event.source)]
        fields.reserveCapacity(5 + event.data.fields.count)
        fields["employer"] = event.employer.map { .string($0) } ?? .null
        fields["worker"] = event.worker.map { .string($0.token) } ?? .null
        for field in event.data.fields { fields[field.name] = Value(field.value) }
        return fields
    }
}

/// A failure while evaluating a type-checked expression (division by zero, an overflow).
public struct EvaluationError: Error, Sendable, CustomStringConvertible {
    /// What failed, for a person to read.
    public var message: String
    public var description: String { message }
}

/// Evaluates type-checked expressions. Null propagates through arithmetic and comparisons (a comparison with null
/// is false), so a rule whose inputs are missing simply does not apply.
enum Evaluator {
    static func evaluate(_ expression: Expression, _ bindings: Bindings) throws(EvaluationError) -> Value {
        switch expression {
        case .literal(let value, _): return value
        case .name(let name, _): return bindings.values[name] ?? .null
        case .member(let base, let field, _):
            if case .name(let name, _) = base, let record = bindings.records[name] { return record[field] ?? .null }
            return .null
        case .index(let base, let key, _):
            let container = try evaluate(base, bindings)
            let keyValue = try evaluate(key, bindings)
            switch (container, keyValue) {
            case (.table(let entries), .level(let level)): return entries[level.rawValue] ?? .null
            case (.table(let entries), .string(let text)): return entries[(try? SkillLevel(parsing: text).rawValue) ?? text] ?? .null
            case (.list(let items), .int(let index)): return index >= 0 && index < items.count ? items[Int(index)] : .null
            default: return .null
            }
        case .call(let name, let arguments, _):
            let values = try arguments.map { (argument) throws(EvaluationError) in try evaluate(argument, bindings) }
            return try call(name, values)
        case .unary(let symbol, let operand, _):
            let value = try evaluate(operand, bindings)
            switch (symbol, value) {
            case ("!", .bool(let flag)): return .bool(!flag)
            case ("-", .int(let number)): return .int(try negated(number))
            case ("-", .decimal(let decimal)): return .decimal(Decimal4(raw: try negated(decimal.raw)))
            case ("-", .money(let money)): return .money(Money(fen: try negated(money.fen)))
            case ("-", .credits(let credits)): return .credits(Credits(tenths: try negated(credits.tenths)))
            default: return .null
            }
        case .binary(let symbol, let left, let right, _):
            return try binary(symbol, left, right, bindings)
        case .conditional(let condition, let then, let otherwise, _):
            return try evaluate(condition, bindings) == .bool(true) ? evaluate(then, bindings) : evaluate(otherwise, bindings)
        case .list(let elements, _):
            return .list(try elements.map { (element) throws(EvaluationError) in try evaluate(element, bindings) })
        }
    }

    static func binary(_ symbol: String, _ left: Expression, _ right: Expression, _ bindings: Bindings) throws(EvaluationError) -> Value {
        if symbol == "&&" {
            guard try evaluate(left, bindings) == .bool(true) else { return .bool(false) }
            return .bool(try evaluate(right, bindings) == .bool(true))
        }
        if symbol == "||" {
            if try evaluate(left, bindings) == .bool(true) { return .bool(true) }
            return .bool(try evaluate(right, bindings) == .bool(true))
        }
        let a = try evaluate(left, bindings)
        let b = try evaluate(right, bindings)
        switch symbol {
        case "==": return .bool(equal(a, b))
        case "!=": return .bool(!equal(a, b) && a != .null && b != .null)
        case "<", "<=", ">", ">=":
            guard let order = compare(a, b) else { return .bool(false) }
            switch symbol {
            case "<": return .bool(order < 0)
            case "<=": return .bool(order <= 0)
            case ">": return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case "in":
            switch b {
            case .list(let items): return .bool(items.contains { equal(a, $0) })
            case .table(let entries):
                if case .level(let level) = a { return .bool(entries[level.rawValue] != nil) }
                if case .string(let key) = a { return .bool(entries[key] != nil) }
                return .bool(false)
            default: return .bool(false)
            }
        default:
            return try arithmetic(symbol, a, b)
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
    static func arithmetic(_ symbol: String, _ a: Value, _ b: Value) throws(EvaluationError) -> Value {
        func overflow() -> EvaluationError { EvaluationError(message: "arithmetic overflow in \(a.display) \(symbol) \(b.display)") }
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
            switch symbol {
            case "+": return .int(try checked(x.addingReportingOverflow(y)))
            case "-": return .int(try checked(x.subtractingReportingOverflow(y)))
            case "*": return .int(try checked(x.multipliedReportingOverflow(by: y)))
            case "%": if y == 0 { throw zero() }; return .int(try checked(x.remainderReportingOverflow(dividingBy: y)))
            default: return .decimal(Decimal4(raw: try scaled(x, by: Decimal4.scale, over: y)))
            }
        case (.money(let x), .money(let y)):
            switch symbol {
            case "+": return .money(Money(fen: try checked(x.fen.addingReportingOverflow(y.fen))))
            case "-": return .money(Money(fen: try checked(x.fen.subtractingReportingOverflow(y.fen))))
            default: return .decimal(Decimal4(raw: try scaled(x.fen, by: Decimal4.scale, over: y.fen)))
            }
        case (.credits(let x), .credits(let y)):
            let result = symbol == "+" ? x.tenths.addingReportingOverflow(y.tenths) : x.tenths.subtractingReportingOverflow(y.tenths)
            return .credits(Credits(tenths: try checked(result)))
        case (.money(let money), let number), (let number, .money(let money)):
            guard let factor = try decimal(number, orThrow: overflow()) else { return .null }
            if symbol == "*" { return .money(Money(fen: try scaled(money.fen, by: factor.raw, over: Decimal4.scale))) }
            return .money(Money(fen: try scaled(money.fen, by: Decimal4.scale, over: factor.raw)))
        case (.credits(let credits), let number), (let number, .credits(let credits)):
            guard let factor = try decimal(number, orThrow: overflow()) else { return .null }
            if symbol == "*" { return .credits(Credits(tenths: try scaled(credits.tenths, by: factor.raw, over: Decimal4.scale))) }
            return .credits(Credits(tenths: try scaled(credits.tenths, by: Decimal4.scale, over: factor.raw)))
        default:
            guard let x = try decimal(a, orThrow: overflow()), let y = try decimal(b, orThrow: overflow()) else { return .null }
            switch symbol {
            case "+": return .decimal(Decimal4(raw: try checked(x.raw.addingReportingOverflow(y.raw))))
            case "-": return .decimal(Decimal4(raw: try checked(x.raw.subtractingReportingOverflow(y.raw))))
            case "*": return .decimal(Decimal4(raw: try scaled(x.raw, by: y.raw, over: Decimal4.scale)))
            default: return .decimal(Decimal4(raw: try scaled(x.raw, by: Decimal4.scale, over: y.raw)))
            }
        }
    }

    /// A number as a decimal for arithmetic: nil if it is not a number, `error` if it is an int too large for four
    /// decimal places.
    static func decimal(_ value: Value, orThrow error: EvaluationError) throws(EvaluationError) -> Decimal4? {
        if case .int(let number) = value {
            let (raw, overflow) = number.multipliedReportingOverflow(by: Decimal4.scale)
            if overflow { throw error }
            return Decimal4(raw: raw)
        }
        return decimal(value)
    }

    static func negated(_ number: Int64) throws(EvaluationError) -> Int64 {
        let (result, overflow) = Int64(0).subtractingReportingOverflow(number)
        if overflow { throw EvaluationError(message: "arithmetic overflow in -(\(number))") }
        return result
    }

    static func call(_ name: String, _ values: [Value]) throws(EvaluationError) -> Value {
        if name == "has" { return .bool(values.first.map { $0 != .null } ?? false) }
        if values.contains(.null) { return .null }
        switch name {
        case "min", "max":
            var best = values[0]
            for value in values.dropFirst() {
                guard let order = compare(value, best) else { return .null }
                if (name == "min" && order < 0) || (name == "max" && order > 0) { best = value }
            }
            return best
        case "months_between":
            return .int(Int64(monthIndex(values[1]) - monthIndex(values[0])))
        case "days_between":
            guard case .date(let from) = values[0], case .date(let to) = values[1] else { return .null }
            return .int(Int64(to.dayNumber - from.dayNumber))
        case "month":
            guard case .date(let date) = values[0] else { return .null }
            return .month(date.yearMonth)
        case "add_months":
            guard case .date(let date) = values[0], case .int(let count) = values[1], abs(count) <= 1_200 else { return .null }
            return .date(date.adding(months: Int(count)))
        case "year":
            if case .date(let date) = values[0] { return .int(Int64(date.year)) }
            if case .month(let month) = values[0] { return .int(Int64(month.year)) }
            return .null
        case "floor_to":
            guard let value = decimal(values[0]), let step = decimal(values[1]), step.raw > 0 else {
                throw EvaluationError(message: "floor_to needs a positive step")
            }
            // Floor division without the overflow of -value + step - 1 near Int64.min.
            var steps = value.raw / step.raw
            if value.raw % step.raw < 0 { steps -= 1 }
            let (raw, overflow) = steps.multipliedReportingOverflow(by: step.raw)
            if overflow { throw EvaluationError(message: "arithmetic overflow in floor_to") }
            return .decimal(Decimal4(raw: raw))
        case "credits":
            guard let value = decimal(values[0]) else { return .null }
            return .credits(Credits(tenths: value.raw / 1_000))
        case "yuan":
            guard let value = decimal(values[0]) else { return .null }
            return .money(Money(fen: value.raw / 100))
        case "size":
            if case .list(let items) = values[0] { return .int(Int64(items.count)) }
            return .null
        default:
            throw EvaluationError(message: "unknown function \(name)")
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

extension Evaluator {
    /// The expression with every name, field and lookup replaced by its value, for explanations:
    /// `min(training.cost, params.cap[event.level])` → `min(1200.00, 1000.00)`.
    static func render(_ expression: Expression, _ bindings: Bindings) -> String {
        switch expression {
        case .literal(let value, _): return value.display
        case .name, .member, .index: return ((try? evaluate(expression, bindings)) ?? .null).display
        case .call(let name, let arguments, _): return name + "(" + arguments.map { render($0, bindings) }.joined(separator: ", ") + ")"
        case .unary(let symbol, let operand, _): return symbol + render(operand, bindings)
        case .binary(let symbol, let left, let right, _): return render(left, bindings) + " \(symbol) " + render(right, bindings)
        case .conditional(let condition, let then, let otherwise, _):
            return (try? evaluate(condition, bindings)) == .bool(true) ? render(then, bindings) : render(otherwise, bindings)
        case .list(let elements, _): return "[" + elements.map { render($0, bindings) }.joined(separator: ", ") + "]"
        }
    }

    /// The parameters an expression reads, with the values used: `cap[junior]` for a table lookup, `rate` for a scalar.
    static func parametersUsed(_ expression: Expression, _ bindings: Bindings, into result: inout [String: Value]) {
        switch expression {
        case .index(.member(.name("params", _), let name, _), let key, _):
            let keyText = ((try? evaluate(key, bindings)) ?? .null).display
            result["\(name)[\(keyText)]"] = (try? evaluate(expression, bindings)) ?? .null
            parametersUsed(key, bindings, into: &result)
        case .member(.name("params", _), let name, _):
            result[name] = bindings.records["params"]?[name] ?? .null
        case .member(let base, _, _): parametersUsed(base, bindings, into: &result)
        case .index(let base, let key, _):
            parametersUsed(base, bindings, into: &result)
            parametersUsed(key, bindings, into: &result)
        case .call(_, let arguments, _): for argument in arguments { parametersUsed(argument, bindings, into: &result) }
        case .unary(_, let operand, _): parametersUsed(operand, bindings, into: &result)
        case .binary(_, let left, let right, _):
            parametersUsed(left, bindings, into: &result)
            parametersUsed(right, bindings, into: &result)
        case .conditional(let condition, let then, let otherwise, _):
            parametersUsed(condition, bindings, into: &result)
            parametersUsed(then, bindings, into: &result)
            parametersUsed(otherwise, bindings, into: &result)
        case .list(let elements, _): for element in elements { parametersUsed(element, bindings, into: &result) }
        case .literal, .name: break
        }
    }
}
