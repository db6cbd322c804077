import SkillsDomain

/// What a compiled expression reads when it runs: every record as an array of values by slot, the slots fixed when
/// the pack was loaded (`Scope`). Nothing in it is looked up by name.
struct Frame: Sendable {
    /// The trigger event's record, laid out by its kind's `RecordLayout`.
    var event: [Value] = []
    /// The records of the joins bound so far (`requires:`), in the rule's order; a join not bound yet reads as null.
    var joins: [[Value]] = []
    /// The worker on the event's date, laid out by `WorkerLayout`.
    var worker: [Value] = []
    /// The pack's parameters in force on the event's date.
    var params = ParameterEpoch.empty
    /// The month number of an accrual (`k`); null outside an accrual's months.
    var k = Value.null
}

/// The slots of an event kind's record: the five fields every event has (id, occurred_on, source, employer, worker),
/// then the kind's data fields from the catalogue (a data field with a common name, such as an apprenticeship's
/// `employer`, takes the common field's slot, as it overrode it by name before).
final class RecordLayout: Sendable {
    static let common = ["id", "occurred_on", "source", "employer", "worker"]

    /// Slot → field name.
    let names: [String]
    /// The data fields in name order (the order of `EventData.fields`) with their slots.
    let data: [(name: String, slot: Int)]

    init(_ kind: EventKind) {
        let spec = EventCatalogue.spec(for: kind)
        var names = RecordLayout.common
        var data: [(name: String, slot: Int)] = []
        for field in spec.fields.sorted(by: { $0.name < $1.name }) where !spec.personalFields.contains(field.name) {
            if let slot = names.firstIndex(of: field.name) {
                data.append((field.name, slot))
            } else {
                data.append((field.name, names.count))
                names.append(field.name)
            }
        }
        self.names = names
        self.data = data
    }

    /// Every kind's layout, made once; looked up when a pack is compiled, never per event.
    static let all: [EventKind: RecordLayout] = Dictionary(uniqueKeysWithValues: EventKind.allCases.map { ($0, RecordLayout($0)) })

    static func of(_ kind: EventKind) -> RecordLayout { all[kind]! }

    func slot(_ name: String) -> Int? { names.firstIndex(of: name) }

    /// The event as a record: the common fields, then each data field into its slot. Both the data and the layout are
    /// in name order, so one merge walk places them (the names compared are the catalogue's own strings, equal at
    /// their first word); a field outside the layout (a personal one) is skipped.
    func record(of event: Event) -> [Value] {
        var values = Self.envelope(of: event, capacity: names.count)
        values.append(contentsOf: repeatElement(.null, count: names.count - values.count))
        var next = 0
        for field in event.data.fields {
            while next < data.count, data[next].name != field.name, data[next].name < field.name { next += 1 }
            guard next < data.count else { break }
            if data[next].name == field.name { values[data[next].slot] = Value(field.value); next += 1 }
        }
        return values
    }

    /// The five common fields of an event, in the order of `common`, as its record holds them before its data
    /// fields (null for an event without an employer or worker); room is kept for `capacity` values in all.
    static func envelope(of event: Event, capacity: Int = common.count) -> [Value] {
        var values: [Value] = []
        values.reserveCapacity(capacity)
        values.append(.string(event.id))
        values.append(.date(event.occurredOn))
        values.append(.string(event.source))
        values.append(event.employer.map { .string($0) } ?? .null)
        values.append(event.worker.map { .string($0.token) } ?? .null)
        return values
    }
}

/// The slots of the `worker` record: what expressions may read of the worker as of the event's date.
enum WorkerLayout {
    static let names = ["id", "jurisdiction", "employer", "insured_since", "migrant", "frontline"]
    static let id = 0, jurisdiction = 1, employer = 2

    static func slot(_ name: String) -> Int? { names.firstIndex(of: name) }
}

/// A pack's parameter values in force from one date, by slot (the parameters' names in order), with each table by
/// level also as an array by level, so that `params.cap[event.level]` is an index, not a hash of the level's name.
final class ParameterEpoch: Sendable {
    static let empty = ParameterEpoch(values: [])

    let values: [Value]
    /// For a parameter holding a table: its value for each level, in `SkillLevel.allCases` order; nil otherwise.
    let byLevel: [[Value]?]

    init(values: [Value]) {
        self.values = values
        byLevel = values.map { value in
            guard case .table(let entries) = value else { return nil }
            return SkillLevel.allCases.map { entries[$0.rawValue] ?? .null }
        }
    }

    static func levelIndex(_ level: SkillLevel) -> Int {
        switch level {
        case .junior: 0
        case .intermediate: 1
        case .senior: 2
        case .technician: 3
        case .seniorTechnician: 4
        case .principalTechnician: 5
        case .chiefTechnician: 6
        }
    }
}

/// Where each name of a pack's expression lives in a `Frame`, as the pack loader declared it.
struct Scope: Sendable {
    /// The trigger's record (`event`), if the expression has one.
    var event: RecordLayout?
    /// The joins by name, in the order they are bound.
    var joins: [(name: String, layout: RecordLayout)] = []
    /// The pack's parameter names in slot order.
    var parameters: [String] = []
}

/// A compiled expression: names and fields resolved to slots, operators and functions chosen, constant lists built,
/// all when the pack is loaded. It runs as a tree of closures over a `Frame`, and the same tree renders the
/// expression with its values for an explanation and lists the parameters it read.
struct Program: Sendable {
    typealias Code = @Sendable (Frame) throws(EvaluationError) -> Value

    let evaluate: Code
    /// `min(training.cost, params.cap[event.level])` → `min(1200.00, 1000.00)`.
    let render: @Sendable (Frame) -> String
    /// The parameters read, with the values used: `cap[junior]` for a table lookup, `rate` for a scalar.
    let parameters: @Sendable (Frame, inout [String: Value]) -> Void

    /// Compiles a type-checked expression.
    static func compile(_ expression: Expression, _ scope: Scope) -> Program {
        Compiler(scope: scope).compile(expression)
    }

    /// The value, or null where it fails (as an explanation shows it).
    func value(_ frame: Frame) -> Value { (try? evaluate(frame)) ?? .null }
}

/// The functions of the expression language, chosen by name when compiled.
enum Function: String, Sendable {
    case min, max, monthsBetween = "months_between", daysBetween = "days_between", month, addMonths = "add_months", year
    case floorTo = "floor_to", credits, yuan, has, size
}

/// A binary operator, chosen when compiled.
enum Operator: String, Sendable {
    case and = "&&", or = "||", equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="
    case `in`, plus = "+", minus = "-", times = "*", divided = "/", remainder = "%"
}

private struct Compiler {
    let scope: Scope

    func compile(_ expression: Expression) -> Program {
        switch expression {
        case .literal(let value, _):
            let text = value.display
            return Program(evaluate: { _ in value }, render: { _ in text }, parameters: { _, _ in })
        case .name(let name, _):
            // Only `k` is a value; a record's name alone (`event`) reads as null, as it always has.
            if name == "k" { return leaf { frame in frame.k } }
            return leaf { _ in .null }
        case .member(let base, let field, _):
            return member(base, field)
        case .index(let base, let key, _):
            return index(base, key)
        case .call(let name, let arguments, _):
            return call(name, arguments.map(compile))
        case .unary(let symbol, let operand, _):
            return unary(symbol, compile(operand))
        case .binary(let symbol, let left, let right, _):
            return binary(Operator(rawValue: symbol)!, compile(left), compile(right))
        case .conditional(let condition, let then, let otherwise, _):
            let c = compile(condition), t = compile(then), o = compile(otherwise)
            let (ce, te, oe) = (c.evaluate, t.evaluate, o.evaluate)
            return Program(
                evaluate: { frame throws(EvaluationError) in try ce(frame) == .bool(true) ? te(frame) : oe(frame) },
                render: { frame in c.value(frame) == .bool(true) ? t.render(frame) : o.render(frame) },
                parameters: { frame, used in c.parameters(frame, &used); t.parameters(frame, &used); o.parameters(frame, &used) })
        case .list(let elements, _):
            let items = elements.map(compile)
            let parameters: @Sendable (Frame, inout [String: Value]) -> Void = { frame, used in for item in items { item.parameters(frame, &used) } }
            let render: @Sendable (Frame) -> String = { frame in "[" + items.map { $0.render(frame) }.joined(separator: ", ") + "]" }
            if elements.allSatisfy({ if case .literal = $0 { true } else { false } }) {
                // A list of literals (`event.track in ["a", "b"]`) is built once, here.
                let constant = Value.list(elements.map { if case .literal(let value, _) = $0 { value } else { .null } })
                return Program(evaluate: { _ in constant }, render: render, parameters: parameters)
            }
            let codes = items.map(\.evaluate)
            return Program(evaluate: { frame throws(EvaluationError) in
                var values: [Value] = []
                values.reserveCapacity(codes.count)
                for code in codes { values.append(try code(frame)) }
                return .list(values)
            }, render: render, parameters: parameters)
        }
    }

    /// A name, field or lookup: rendered as its value.
    func leaf(_ code: @escaping Program.Code, parameters: @escaping @Sendable (Frame, inout [String: Value]) -> Void = { _, _ in }) -> Program {
        Program(evaluate: code, render: { frame in ((try? code(frame)) ?? .null).display }, parameters: parameters)
    }

    /// `record.field`: a slot of the event, a join, the worker or the parameters; anything else is null.
    func member(_ base: Expression, _ field: String) -> Program {
        guard case .name(let name, _) = base else {
            let inner = compile(base)
            return leaf({ _ in .null }, parameters: inner.parameters)
        }
        switch name {
        case "event":
            guard let slot = scope.event?.slot(field) else { return leaf { _ in .null } }
            return leaf { frame in slot < frame.event.count ? frame.event[slot] : .null }
        case "worker":
            guard let slot = WorkerLayout.slot(field) else { return leaf { _ in .null } }
            return leaf { frame in slot < frame.worker.count ? frame.worker[slot] : .null }
        case "params":
            guard let slot = scope.parameters.firstIndex(of: field) else {
                return leaf({ _ in .null }, parameters: { _, used in used[field] = .null })
            }
            let code: Program.Code = { frame in slot < frame.params.values.count ? frame.params.values[slot] : .null }
            return leaf(code, parameters: { frame, used in used[field] = (try? code(frame)) ?? .null })
        default:
            guard let join = scope.joins.firstIndex(where: { $0.name == name }), let slot = scope.joins[join].layout.slot(field) else {
                return leaf { _ in .null }
            }
            return leaf { frame in join < frame.joins.count ? frame.joins[join][slot] : .null }
        }
    }

    /// `table[level]` (or by a string naming a level), `list[int]`; a parameter table by a level reads its array.
    func index(_ base: Expression, _ key: Expression) -> Program {
        let container = compile(base), keyProgram = compile(key)
        let (containerCode, keyCode) = (container.evaluate, keyProgram.evaluate)
        var code: Program.Code = { frame throws(EvaluationError) in
            let value = try containerCode(frame)
            return Evaluator.lookup(value, try keyCode(frame))
        }
        if case .member(.name("params", _), let name, _) = base, let slot = scope.parameters.firstIndex(of: name) {
            code = { frame throws(EvaluationError) in
                let keyValue = try keyCode(frame)
                guard slot < frame.params.values.count else { return .null }
                if case .level(let level) = keyValue, let table = frame.params.byLevel[slot] { return table[ParameterEpoch.levelIndex(level)] }
                return Evaluator.lookup(frame.params.values[slot], keyValue)
            }
        }
        let whole = code
        let parameters: @Sendable (Frame, inout [String: Value]) -> Void
        if case .member(.name("params", _), let name, _) = base {
            parameters = { frame, used in
                used["\(name)[\(keyProgram.value(frame).display)]"] = (try? whole(frame)) ?? .null
                keyProgram.parameters(frame, &used)
            }
        } else {
            parameters = { frame, used in container.parameters(frame, &used); keyProgram.parameters(frame, &used) }
        }
        return leaf(code, parameters: parameters)
    }

    func call(_ name: String, _ arguments: [Program]) -> Program {
        let function = Function(rawValue: name)
        let codes = arguments.map(\.evaluate)
        let evaluate: Program.Code
        switch (function, codes.count) {
        case (nil, _):
            evaluate = { _ throws(EvaluationError) in throw EvaluationError(message: "unknown function \(name)") }
        case (.has?, 1):
            let a = codes[0]
            evaluate = { frame throws(EvaluationError) in .bool(try a(frame) != .null) }
        case (let function?, 1):
            let a = codes[0]
            evaluate = { frame throws(EvaluationError) in
                let x = try a(frame)
                return x == .null ? .null : try Evaluator.apply(function, x, .null)
            }
        case (let function?, 2):
            let (a, b) = (codes[0], codes[1])
            evaluate = { frame throws(EvaluationError) in
                let x = try a(frame), y = try b(frame)
                return x == .null || y == .null ? .null : try Evaluator.apply(function, x, y)
            }
        case (let function?, _):
            evaluate = { frame throws(EvaluationError) in
                var values: [Value] = []
                values.reserveCapacity(codes.count)
                for code in codes { values.append(try code(frame)) }
                return try Evaluator.call(function, values)
            }
        }
        return Program(
            evaluate: evaluate,
            render: { frame in name + "(" + arguments.map { $0.render(frame) }.joined(separator: ", ") + ")" },
            parameters: { frame, used in for argument in arguments { argument.parameters(frame, &used) } })
    }

    func unary(_ symbol: String, _ operand: Program) -> Program {
        let code = operand.evaluate
        let evaluate: Program.Code
        if symbol == "!" {
            evaluate = { frame throws(EvaluationError) in
                if case .bool(let flag) = try code(frame) { return .bool(!flag) }
                return .null
            }
        } else {
            evaluate = { frame throws(EvaluationError) in
                switch try code(frame) {
                case .int(let number): return .int(try Evaluator.negated(number))
                case .decimal(let decimal): return .decimal(Decimal4(raw: try Evaluator.negated(decimal.raw)))
                case .money(let money): return .money(Money(fen: try Evaluator.negated(money.fen)))
                case .credits(let credits): return .credits(Credits(tenths: try Evaluator.negated(credits.tenths)))
                default: return .null
                }
            }
        }
        return Program(evaluate: evaluate, render: { frame in symbol + operand.render(frame) }, parameters: operand.parameters)
    }

    func binary(_ op: Operator, _ left: Program, _ right: Program) -> Program {
        let (l, r) = (left.evaluate, right.evaluate)
        let evaluate: Program.Code
        switch op {
        case .and:
            evaluate = { frame throws(EvaluationError) in
                guard try l(frame) == .bool(true) else { return .bool(false) }
                return .bool(try r(frame) == .bool(true))
            }
        case .or:
            evaluate = { frame throws(EvaluationError) in
                if try l(frame) == .bool(true) { return .bool(true) }
                return .bool(try r(frame) == .bool(true))
            }
        case .equal:
            evaluate = { frame throws(EvaluationError) in .bool(Evaluator.equal(try l(frame), try r(frame))) }
        case .notEqual:
            evaluate = { frame throws(EvaluationError) in
                let a = try l(frame), b = try r(frame)
                return .bool(!Evaluator.equal(a, b) && a != .null && b != .null)
            }
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            let test: @Sendable (Int) -> Bool = switch op {
            case .less: { $0 < 0 }
            case .lessOrEqual: { $0 <= 0 }
            case .greater: { $0 > 0 }
            default: { $0 >= 0 }
            }
            evaluate = { frame throws(EvaluationError) in
                guard let order = Evaluator.compare(try l(frame), try r(frame)) else { return .bool(false) }
                return .bool(test(order))
            }
        case .in:
            evaluate = { frame throws(EvaluationError) in
                let element = try l(frame)
                return .bool(Evaluator.contains(try r(frame), element))
            }
        case .plus, .minus, .times, .divided, .remainder:
            evaluate = { frame throws(EvaluationError) in try Evaluator.arithmetic(op, try l(frame), try r(frame)) }
        }
        let symbol = " \(op.rawValue) "
        return Program(
            evaluate: evaluate, render: { frame in left.render(frame) + symbol + right.render(frame) },
            parameters: { frame, used in left.parameters(frame, &used); right.parameters(frame, &used) })
    }
}
