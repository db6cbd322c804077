@testable import Rules
import SkillsDomain

/// The tree-walking evaluator that packs ran on before they were compiled (issue 15, part 1), kept here as the oracle
/// the compiled programs are checked against: names and fields looked up by string in dictionaries, operators and
/// functions chosen by their text at every evaluation. Only the overflow-checked arithmetic and the comparisons are
/// shared with `Evaluator` (they did not change).
struct ReferenceBindings {
    var values: [String: Value] = [:]
    var records: [String: [String: Value]] = [:]

    /// An event as a record, as `Bindings.record(of:)` built it: the envelope, then the data fields by name.
    static func record(of event: Event) -> [String: Value] {
        var fields: [String: Value] = ["id": .string(event.id), "occurred_on": .date(event.occurredOn), "source": .string(event.source)]
        fields["employer"] = event.employer.map { .string($0) } ?? .null
        fields["worker"] = event.worker.map { .string($0.token) } ?? .null
        for field in event.data.fields { fields[field.name] = Value(field.value) }
        return fields
    }
}

enum ReferenceEvaluator {
    static func evaluate(_ expression: Expression, _ bindings: ReferenceBindings) throws(EvaluationError) -> Value {
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
            case ("-", .int(let number)): return .int(try Evaluator.negated(number))
            case ("-", .decimal(let decimal)): return .decimal(Decimal4(raw: try Evaluator.negated(decimal.raw)))
            case ("-", .money(let money)): return .money(Money(fen: try Evaluator.negated(money.fen)))
            case ("-", .credits(let credits)): return .credits(Credits(tenths: try Evaluator.negated(credits.tenths)))
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

    static func binary(_ symbol: String, _ left: Expression, _ right: Expression, _ bindings: ReferenceBindings) throws(EvaluationError) -> Value {
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
        case "==": return .bool(Evaluator.equal(a, b))
        case "!=": return .bool(!Evaluator.equal(a, b) && a != .null && b != .null)
        case "<", "<=", ">", ">=":
            guard let order = Evaluator.compare(a, b) else { return .bool(false) }
            switch symbol {
            case "<": return .bool(order < 0)
            case "<=": return .bool(order <= 0)
            case ">": return .bool(order > 0)
            default: return .bool(order >= 0)
            }
        case "in":
            switch b {
            case .list(let items): return .bool(items.contains { Evaluator.equal(a, $0) })
            case .table(let entries):
                if case .level(let level) = a { return .bool(entries[level.rawValue] != nil) }
                if case .string(let key) = a { return .bool(entries[key] != nil) }
                return .bool(false)
            default: return .bool(false)
            }
        default:
            return try Evaluator.arithmetic(Operator(rawValue: symbol)!, a, b)
        }
    }

    static func call(_ name: String, _ values: [Value]) throws(EvaluationError) -> Value {
        if name == "has" { return .bool(values.first.map { $0 != .null } ?? false) }
        if values.contains(.null) { return .null }
        switch name {
        case "min", "max":
            var best = values[0]
            for value in values.dropFirst() {
                guard let order = Evaluator.compare(value, best) else { return .null }
                if (name == "min" && order < 0) || (name == "max" && order > 0) { best = value }
            }
            return best
        case "months_between":
            return .int(Int64(Evaluator.monthIndex(values[1]) - Evaluator.monthIndex(values[0])))
        case "days_between":
            guard case .date(let from) = values[0], case .date(let to) = values[1] else { return .null }
            return .int(Int64(to.dayNumber - from.dayNumber))
        case "month":
            guard case .date(let date) = values[0] else { return .null }
            return .month(date.yearMonth)
        case "add_months":
            guard case .date(let date) = values[0], case .int(let count) = values[1], count.magnitude <= 1_200 else { return .null }
            return .date(date.adding(months: Int(count)))
        case "year":
            if case .date(let date) = values[0] { return .int(Int64(date.year)) }
            if case .month(let month) = values[0] { return .int(Int64(month.year)) }
            return .null
        case "floor_to":
            guard let value = Evaluator.decimal(values[0]), let step = Evaluator.decimal(values[1]), step.raw > 0 else {
                throw EvaluationError(message: "floor_to needs a positive step")
            }
            var steps = value.raw / step.raw
            if value.raw % step.raw < 0 { steps -= 1 }
            let (raw, overflow) = steps.multipliedReportingOverflow(by: step.raw)
            if overflow { throw EvaluationError(message: "arithmetic overflow in floor_to") }
            return .decimal(Decimal4(raw: raw))
        case "credits":
            guard let value = Evaluator.decimal(values[0]) else { return .null }
            return .credits(Credits(tenths: value.raw / 1_000))
        case "yuan":
            guard let value = Evaluator.decimal(values[0]) else { return .null }
            return .money(Money(fen: value.raw / 100))
        case "size":
            if case .list(let items) = values[0] { return .int(Int64(items.count)) }
            return .null
        default:
            throw EvaluationError(message: "unknown function \(name)")
        }
    }

    /// The expression with every name, field and lookup replaced by its value, as explanations showed it.
    static func render(_ expression: Expression, _ bindings: ReferenceBindings) -> String {
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

    /// The parameters an expression reads, with the values used, as explanations listed them.
    static func parametersUsed(_ expression: Expression, _ bindings: ReferenceBindings, into result: inout [String: Value]) {
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
