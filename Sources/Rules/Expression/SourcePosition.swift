/// A place in a policy pack file: 1-based line and column, as an editor shows them.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }

    /// The position `offset` characters further along the same line.
    public func advanced(by offset: Int) -> SourcePosition { SourcePosition(line: line, column: column + offset) }
}

/// An error in a policy pack: the file, the position and what is wrong (as `file:line:column: message`).
public struct PackError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var position: SourcePosition?
    public var message: String

    public init(file: String, position: SourcePosition?, message: String) {
        self.file = file
        self.position = position
        self.message = message
    }

    public var description: String {
        "\(file):\(position.map { "\($0.line):\($0.column)" } ?? "1:1"): error: \(message)"
    }
}

/// All the errors found in one or more packs.
public struct PackErrors: Error, Sendable, CustomStringConvertible {
    public var errors: [PackError]
    public init(_ errors: [PackError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// An error inside an expression, at an offset from the expression's start; the pack loader turns it into a
/// `PackError` with the file position.
struct ExpressionError: Error, Sendable {
    var offset: Int
    var message: String
}
