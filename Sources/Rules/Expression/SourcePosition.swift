/// A place in a policy pack file: 1-based line and column, as an editor shows them.
public struct SourcePosition: Sendable, Hashable, CustomStringConvertible {
    /// The line, from 1.
    public var line: Int
    /// The column, from 1.
    public var column: Int
    /// A position at a 1-based line and column.
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
    /// The pack's file path (or the label it was loaded under).
    public var file: String
    /// Where in the file; nil for an error about the whole file (printed as `1:1`).
    public var position: SourcePosition?
    /// What is wrong, for a person to read.
    public var message: String

    /// An error at a position in a pack file.
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
    /// The errors, in the order found.
    public var errors: [PackError]
    /// A collection of errors.
    public init(_ errors: [PackError]) { self.errors = errors }
    public var description: String { errors.map(\.description).joined(separator: "\n") }
}

/// An error inside an expression, at an offset from the expression's start; the pack loader turns it into a
/// `PackError` with the file position.
struct ExpressionError: Error, Sendable {
    var offset: Int
    var message: String
}
