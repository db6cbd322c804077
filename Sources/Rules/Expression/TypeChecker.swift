import SkillsDomain

/// The names an expression may use and the fields of each record type, with the allowed values of choice fields.
struct TypeEnvironment: Sendable {
    var names: [String: ExpressionType] = [:]
    var records: [String: [String: ExpressionType]] = [:]
    /// "record.field" → the values a choice field may take, so that `event.track == "technican"` is caught.
    var choices: [String: [String]] = [:]
    /// The joins' names (`requires:`), in the order they are bound.
    var joins: [String] = []

    /// The record type name of an event kind.
    static func recordName(_ kind: EventKind) -> String { "event:" + kind.rawValue }

    /// Declares an event kind's record: common fields plus its data fields from the catalogue.
    mutating func declare(_ kind: EventKind) {
        let name = TypeEnvironment.recordName(kind)
        guard records[name] == nil else { return }
        var fields: [String: ExpressionType] = ["id": .string, "occurred_on": .date, "source": .string, "employer": .string, "worker": .string]
        for field in EventCatalogue.spec(for: kind).fields where !EventCatalogue.spec(for: kind).personalFields.contains(field.name) {
            fields[field.name] = ExpressionType.of(field.type)
            if case .choice(let options) = field.type { choices[name + "." + field.name] = options }
        }
        records[name] = fields
    }

    /// Where each name lives in a frame, for the compiler.
    var scope: Scope {
        var scope = Scope()
        func layout(_ name: String) -> RecordLayout? {
            guard case .record(let record)? = names[name], record.hasPrefix("event:"),
                  let kind = EventKind(rawValue: String(record.dropFirst("event:".count))) else { return nil }
            return RecordLayout.of(kind)
        }
        scope.event = layout("event")
        scope.joins = joins.compactMap { name in layout(name).map { (name, $0) } }
        scope.parameters = (records["params"] ?? [:]).keys.sorted()
        return scope
    }

    static let workerFields: [String: ExpressionType] = [
        "id": .string, "jurisdiction": .string, "employer": .string, "insured_since": .month, "migrant": .bool, "frontline": .bool,
    ]
}

/// Checks an expression's types before anything runs: unknown names and fields, money times money, comparisons of
/// unlike things, a choice compared with a value it can never take.
struct TypeChecker {
    let environment: TypeEnvironment

    func check(_ expression: Expression) throws(ExpressionError) -> ExpressionType {
        switch expression {
        case .literal(let value, _): return literalType(value)
        case .name(let name, let offset):
            guard let type = environment.names[name] else {
                throw ExpressionError(offset: offset, message: "unknown name \"\(name)\"; known names: \(environment.names.keys.sorted().joined(separator: ", "))")
            }
            return type
        case .member(let base, let field, let offset):
            let baseType = try check(base)
            guard case .record(let record) = baseType, let fields = environment.records[record] else {
                throw ExpressionError(offset: offset, message: "\(baseType) has no fields (\".\(field)\")")
            }
            guard let type = fields[field] else {
                throw ExpressionError(offset: offset + 1, message: "unknown field \"\(field)\" of \(record); expected one of: \(fields.keys.sorted().joined(separator: ", "))")
            }
            return type
        case .index(let base, let key, let offset):
            let baseType = try check(base)
            let keyType = try check(key)
            switch baseType {
            case .table(let element) where keyType == .level || keyType == .string: return element
            case .list(let element) where keyType == .int: return element
            default: throw ExpressionError(offset: offset, message: "cannot index \(baseType) by \(keyType)")
            }
        case .call(let name, let arguments, let offset):
            return try checkCall(name, arguments, offset: offset)
        case .unary(let symbol, let operand, let offset):
            let type = try check(operand)
            if symbol == "!" {
                guard type == .bool else { throw ExpressionError(offset: offset, message: "\"!\" needs a bool, found \(type)") }
                return .bool
            }
            guard type.isNumeric || type == .money || type == .credits else { throw ExpressionError(offset: offset, message: "\"-\" needs a number, found \(type)") }
            return type
        case .binary(let symbol, let left, let right, let offset):
            return try checkBinary(symbol, left, right, offset: offset)
        case .conditional(let condition, let then, let otherwise, let offset):
            guard try check(condition) == .bool else { throw ExpressionError(offset: condition.offset, message: "the condition before \"?\" must be a bool") }
            let thenType = try check(then)
            let otherwiseType = try check(otherwise)
            guard let unified = unify(thenType, otherwiseType) else {
                throw ExpressionError(offset: offset, message: "the two branches of \"?:\" differ in type: \(thenType) and \(otherwiseType)")
            }
            return unified
        case .list(let elements, let offset):
            var type = ExpressionType.null
            for element in elements {
                guard let unified = unify(type, try check(element)) else {
                    throw ExpressionError(offset: offset, message: "a list whose elements differ in type")
                }
                type = unified
            }
            return .list(type)
        }
    }

    func literalType(_ value: Value) -> ExpressionType {
        switch value {
        case .null: .null
        case .bool: .bool
        case .int: .int
        case .decimal: .decimal
        case .string: .string
        case .money: .money
        case .credits: .credits
        case .level: .level
        case .date: .date
        case .month: .month
        case .list: .list(.null)
        case .table: .table(.null)
        }
    }

    func unify(_ a: ExpressionType, _ b: ExpressionType) -> ExpressionType? {
        if a == b { return a }
        if a == .null { return b }
        if b == .null { return a }
        if a.isNumeric && b.isNumeric { return .decimal }
        return nil
    }

    func checkBinary(_ symbol: String, _ left: Expression, _ right: Expression, offset: Int) throws(ExpressionError) -> ExpressionType {
        let leftType = try check(left)
        let rightType = try check(right)
        func fail(_ message: String) -> ExpressionError { ExpressionError(offset: offset, message: message) }
        switch symbol {
        case "&&", "||":
            guard leftType == .bool, rightType == .bool else { throw fail("\"\(symbol)\" needs bools, found \(leftType) and \(rightType)") }
            return .bool
        case "==", "!=", "<", "<=", ">", ">=":
            try checkComparable(leftType, rightType, left, right, ordered: symbol != "==" && symbol != "!=", offset: offset)
            return .bool
        case "in":
            guard case .list(let element) = rightType else {
                if case .table = rightType, leftType == .level || leftType == .string { return .bool }
                throw fail("\"in\" needs a list or table on its right, found \(rightType)")
            }
            if case .list(let items, _) = right {
                for item in items { try checkComparable(leftType, try check(item), left, item, ordered: false, offset: item.offset) }
            } else if unify(leftType, element) == nil {
                throw fail("\"in\" compares \(leftType) with a list of \(element)")
            }
            return .bool
        default:
            return try arithmeticType(symbol, leftType, rightType, offset: offset)
        }
    }

    func arithmeticType(_ symbol: String, _ left: ExpressionType, _ right: ExpressionType, offset: Int) throws(ExpressionError) -> ExpressionType {
        func fail(_ message: String) -> ExpressionError { ExpressionError(offset: offset, message: message) }
        switch (left, right) {
        case (.money, .money):
            if symbol == "+" || symbol == "-" { return .money }
            if symbol == "/" { return .decimal }
            throw fail("money \(symbol) money has no meaning (a money amount multiplied by money)")
        case (.credits, .credits):
            if symbol == "+" || symbol == "-" { return .credits }
            throw fail("credits \(symbol) credits has no meaning")
        case (.money, let number) where number.isNumeric, (let number, .money) where number.isNumeric && symbol == "*":
            guard symbol == "*" || symbol == "/" else { throw fail("money \(symbol) \(number): add or subtract money only to money") }
            return .money
        case (.credits, let number) where number.isNumeric, (let number, .credits) where number.isNumeric && symbol == "*":
            guard symbol == "*" || symbol == "/" else { throw fail("credits \(symbol) \(number): add or subtract credits only to credits") }
            return .credits
        case (.int, .int):
            return symbol == "/" ? .decimal : .int
        case (let a, let b) where a.isNumeric && b.isNumeric:
            guard symbol != "%" else { throw fail("\"%\" needs ints") }
            return .decimal
        default:
            throw fail("\"\(symbol)\" cannot combine \(left) and \(right)")
        }
    }

    /// Two values may be compared if they have one type (ints and decimals mix); a level or a choice field may be
    /// compared with a string literal that names one of its values.
    func checkComparable(_ leftType: ExpressionType, _ rightType: ExpressionType, _ left: Expression, _ right: Expression,
                         ordered: Bool, offset: Int) throws(ExpressionError) {
        for (typed, literal) in [(leftType, right), (rightType, left)] {
            guard case .literal(.string(let text), let literalOffset) = literal else { continue }
            if typed == .level {
                guard (try? SkillLevel(parsing: text)) != nil else {
                    throw ExpressionError(offset: literalOffset, message: "\"\(text)\" is not a skill level (junior … chief-technician)")
                }
                return
            }
            let other = literal.offset == left.offset ? right : left
            if let path = other.path, path.count == 2, case .record(let record)? = environment.names[path[0]],
               let options = environment.choices[record + "." + path[1]], !options.contains(text) {
                throw ExpressionError(offset: literalOffset, message: "\"\(text)\" is never a value of \(path.joined(separator: ".")); it is one of: \(options.joined(separator: ", "))")
            }
        }
        guard unify(leftType, rightType) != nil else {
            throw ExpressionError(offset: offset, message: "cannot compare \(leftType) with \(rightType)")
        }
        if ordered, [ExpressionType.bool, .string].contains(leftType) || [ExpressionType.bool, .string].contains(rightType) {
            throw ExpressionError(offset: offset, message: "\(leftType) values have no order")
        }
    }

    func checkCall(_ name: String, _ arguments: [Expression], offset: Int) throws(ExpressionError) -> ExpressionType {
        let types = try arguments.map { (argument) throws(ExpressionError) in try check(argument) }
        func fail(_ expected: String) -> ExpressionError {
            ExpressionError(offset: offset, message: "\(name)(\(types.map(\.description).joined(separator: ", "))): expected \(expected)")
        }
        switch name {
        case "min", "max":
            guard types.count >= 2, var result = types.first else { throw fail("two or more values of one type") }
            for type in types.dropFirst() { guard let unified = unify(result, type) else { throw fail("values of one type") }; result = unified }
            guard result.isNumeric || [.money, .credits, .date, .month, .level].contains(result) else { throw fail("ordered values") }
            return result
        case "months_between":
            guard types.count == 2, types.allSatisfy({ $0 == .month || $0 == .date || $0 == .null }) else { throw fail("two months or dates") }
            return .int
        case "days_between":
            guard types.count == 2, types.allSatisfy({ $0 == .date || $0 == .null }) else { throw fail("two dates") }
            return .int
        case "month":
            guard types == [.date] else { throw fail("a date") }
            return .month
        case "add_months":
            guard types.count == 2, types[0] == .date, types[1] == .int else { throw fail("a date and a number of months") }
            return .date
        case "year":
            guard types.count == 1, types[0] == .date || types[0] == .month else { throw fail("a date or month") }
            return .int
        case "floor_to":
            guard types.count == 2, types.allSatisfy(\.isNumeric) else { throw fail("a number and a step") }
            return .decimal
        case "credits":
            guard types.count == 1, types[0].isNumeric else { throw fail("a number") }
            return .credits
        case "yuan":
            guard types.count == 1, types[0].isNumeric else { throw fail("a number of yuan") }
            return .money
        case "has":
            guard types.count == 1 else { throw fail("one value") }
            return .bool
        case "size":
            guard types.count == 1, case .list = types[0] else { throw fail("a list") }
            return .int
        default:
            throw ExpressionError(offset: offset, message: "unknown function \"\(name)\"; functions: min, max, months_between, days_between, month, add_months, year, floor_to, credits, yuan, has, size")
        }
    }
}
