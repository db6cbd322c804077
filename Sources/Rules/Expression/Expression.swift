/// A parsed rule expression. Every node keeps its offset in the source text so that errors point at it.
indirect enum Expression: Sendable {
    case literal(Value, offset: Int)
    case name(String, offset: Int)
    case member(Expression, String, offset: Int)
    case index(Expression, Expression, offset: Int)
    case call(String, [Expression], offset: Int)
    case unary(String, Expression, offset: Int)
    case binary(String, Expression, Expression, offset: Int)
    case conditional(Expression, Expression, Expression, offset: Int)
    case list([Expression], offset: Int)

    var offset: Int {
        switch self {
        case .literal(_, let offset), .name(_, let offset), .member(_, _, let offset), .index(_, _, let offset),
             .call(_, _, let offset), .unary(_, _, let offset), .binary(_, _, _, let offset), .conditional(_, _, _, let offset),
             .list(_, let offset):
            offset
        }
    }

    /// The dotted path of a member chain (`event.level`), if the expression is one.
    var path: [String]? {
        switch self {
        case .name(let name, _): [name]
        case .member(let base, let name, _): base.path.map { $0 + [name] }
        default: nil
        }
    }
}

/// A precedence-climbing parser for the CEL subset: `?:`, `||`, `&&`, comparisons and `in`, `+ -`, `* / %`, unary
/// `! -`, member access, indexing, calls of built-in functions, list literals. Depth is bounded.
struct ExpressionParser {
    static let maximumDepth = 40

    private var tokens: [LocatedToken]
    private var position = 0
    private var depth = 0

    static func parse(_ text: String) throws(ExpressionError) -> Expression {
        var parser = ExpressionParser(tokens: try ExpressionLexer.tokens(text))
        let expression = try parser.conditional()
        guard case .end = parser.current.token else {
            throw ExpressionError(offset: parser.current.offset, message: "unexpected \(parser.describe(parser.current.token)) after the expression")
        }
        return expression
    }

    private init(tokens: [LocatedToken]) { self.tokens = tokens }

    private var current: LocatedToken { tokens[position] }

    private func describe(_ token: Token) -> String {
        switch token {
        case .number(let text): "number \(text)"
        case .string(let text): "string \"\(text)\""
        case .identifier(let text): "name \(text)"
        case .symbol(let text): "\"\(text)\""
        case .end: "end of expression"
        }
    }

    private mutating func accept(_ symbol: String) -> Bool {
        if case .symbol(symbol) = current.token { position += 1; return true }
        return false
    }

    private mutating func expect(_ symbol: String) throws(ExpressionError) {
        guard accept(symbol) else {
            throw ExpressionError(offset: current.offset, message: "expected \"\(symbol)\", found \(describe(current.token))")
        }
    }

    private mutating func nested<T>(_ body: (inout ExpressionParser) throws(ExpressionError) -> T) throws(ExpressionError) -> T {
        depth += 1
        defer { depth -= 1 }
        guard depth <= ExpressionParser.maximumDepth else {
            throw ExpressionError(offset: current.offset, message: "an expression nested deeper than \(ExpressionParser.maximumDepth) levels")
        }
        return try body(&self)
    }

    private mutating func conditional() throws(ExpressionError) -> Expression {
        try nested { (parser: inout ExpressionParser) throws(ExpressionError) -> Expression in
            let condition = try parser.binary(level: 0)
            let offset = parser.current.offset
            guard parser.accept("?") else { return condition }
            let then = try parser.conditional()
            try parser.expect(":")
            let otherwise = try parser.conditional()
            return .conditional(condition, then, otherwise, offset: offset)
        }
    }

    static let levels: [[String]] = [["||"], ["&&"], ["==", "!=", "<", "<=", ">", ">=", "in"], ["+", "-"], ["*", "/", "%"]]

    private func operatorAt(level: Int) -> String? {
        switch current.token {
        case .symbol(let symbol) where ExpressionParser.levels[level].contains(symbol): symbol
        case .identifier("in") where level == 2: "in"
        default: nil
        }
    }

    private mutating func binary(level: Int) throws(ExpressionError) -> Expression {
        if level == ExpressionParser.levels.count { return try unary() }
        var left = try binary(level: level + 1)
        while let symbol = operatorAt(level: level) {
            let offset = current.offset
            position += 1
            let right = try nested { (parser: inout ExpressionParser) throws(ExpressionError) in try parser.binary(level: level + 1) }
            left = .binary(symbol, left, right, offset: offset)
            if level == 2 { break }
        }
        return left
    }

    private mutating func unary() throws(ExpressionError) -> Expression {
        let offset = current.offset
        for symbol in ["!", "-"] where accept(symbol) {
            return .unary(symbol, try nested { (parser: inout ExpressionParser) throws(ExpressionError) in try parser.unary() }, offset: offset)
        }
        return try postfix()
    }

    private mutating func postfix() throws(ExpressionError) -> Expression {
        var expression = try primary()
        while true {
            let offset = current.offset
            if accept(".") {
                guard case .identifier(let name) = current.token else {
                    throw ExpressionError(offset: current.offset, message: "expected a field name after \".\"")
                }
                position += 1
                expression = .member(expression, name, offset: offset)
            } else if accept("[") {
                let key = try conditional()
                try expect("]")
                expression = .index(expression, key, offset: offset)
            } else {
                return expression
            }
        }
    }

    private mutating func primary() throws(ExpressionError) -> Expression {
        let token = current
        position += 1
        switch token.token {
        case .number(let text):
            if text.contains(".") {
                guard let decimal = Decimal4(text) else { throw ExpressionError(offset: token.offset, message: "a number with more than 4 decimals") }
                return .literal(.decimal(decimal), offset: token.offset)
            }
            guard let integer = Int64(text) else { throw ExpressionError(offset: token.offset, message: "a number too large") }
            return .literal(.int(integer), offset: token.offset)
        case .string(let text): return .literal(.string(text), offset: token.offset)
        case .identifier("true"): return .literal(.bool(true), offset: token.offset)
        case .identifier("false"): return .literal(.bool(false), offset: token.offset)
        case .identifier("null"): return .literal(.null, offset: token.offset)
        case .identifier(let name):
            if accept("(") {
                var arguments: [Expression] = []
                if !accept(")") {
                    repeat { arguments.append(try conditional()) } while accept(",")
                    try expect(")")
                }
                return .call(name, arguments, offset: token.offset)
            }
            return .name(name, offset: token.offset)
        case .symbol("("):
            let inner = try conditional()
            try expect(")")
            return inner
        case .symbol("["):
            var elements: [Expression] = []
            if !accept("]") {
                repeat { elements.append(try conditional()) } while accept(",")
                try expect("]")
            }
            return .list(elements, offset: token.offset)
        default:
            throw ExpressionError(offset: token.offset, message: "expected a value, found \(describe(token.token))")
        }
    }
}
