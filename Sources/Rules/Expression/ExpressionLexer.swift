/// The tokens of the rule expression language, a small subset of CEL's syntax.
enum Token: Equatable, Sendable {
    case number(String)
    case string(String)
    case identifier(String)
    case symbol(String)
    case end
}

struct LocatedToken: Sendable {
    var token: Token
    var offset: Int
}

/// Splits an expression into tokens; offsets count characters from the expression's start.
enum ExpressionLexer {
    static let maximumLength = 4_000
    static let symbols = ["&&", "||", "==", "!=", "<=", ">=", "<", ">", "+", "-", "*", "/", "%", "!", "(", ")", "[", "]", ",", ".", "?", ":"]

    static func tokens(_ text: String) throws(ExpressionError) -> [LocatedToken] {
        guard text.count <= maximumLength else {
            throw ExpressionError(offset: 0, message: "an expression longer than \(maximumLength) characters")
        }
        let characters = Array(text)
        var result: [LocatedToken] = []
        var index = 0
        while index < characters.count {
            let character = characters[index]
            if character.isWhitespace { index += 1; continue }
            let start = index
            if character.isNumber && character.isASCII {
                while index < characters.count, (characters[index].isASCII && characters[index].isNumber) || characters[index] == "." {
                    index += 1
                }
                let text = String(characters[start..<index])
                guard text.filter({ $0 == "." }).count <= 1, !text.hasSuffix(".") else {
                    throw ExpressionError(offset: start, message: "a malformed number \(text)")
                }
                result.append(LocatedToken(token: .number(text), offset: start))
            } else if character == "\"" || character == "'" {
                index += 1
                var value = ""
                while index < characters.count, characters[index] != character {
                    if characters[index] == "\\", index + 1 < characters.count { index += 1 }
                    value.append(characters[index])
                    index += 1
                }
                guard index < characters.count else { throw ExpressionError(offset: start, message: "a string that does not end") }
                index += 1
                result.append(LocatedToken(token: .string(value), offset: start))
            } else if character.isLetter || character == "_" {
                while index < characters.count, characters[index].isLetter || characters[index].isNumber || characters[index] == "_" { index += 1 }
                result.append(LocatedToken(token: .identifier(String(characters[start..<index])), offset: start))
            } else if let symbol = symbols.first(where: { matches($0, characters, at: index) }) {
                index += symbol.count
                result.append(LocatedToken(token: .symbol(symbol), offset: start))
            } else {
                throw ExpressionError(offset: start, message: "an unexpected character \(character)")
            }
        }
        result.append(LocatedToken(token: .end, offset: characters.count))
        return result
    }

    static func matches(_ symbol: String, _ characters: [Character], at index: Int) -> Bool {
        let symbolCharacters = Array(symbol)
        guard index + symbolCharacters.count <= characters.count else { return false }
        return (0..<symbolCharacters.count).allSatisfy { characters[index + $0] == symbolCharacters[$0] }
    }
}
