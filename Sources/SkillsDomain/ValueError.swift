/// A value that does not have the form its field needs: says what was expected and what was found. Intake adds the
/// file, line and field around it.
public struct ValueError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the field needs, worded to follow "expected": `a date YYYY-MM-DD`.
    public var expected: String
    /// The text found, empty when the field was missing (`description` cuts it to 60 characters).
    public var found: String
    /// A problem that does not make the value unusable (for example an early 统一社会信用代码 whose check character fails).
    public var isWarning: Bool

    /// A problem: `expected` what, `found` what; a warning when `isWarning`.
    public init(expected: String, found: String, isWarning: Bool = false) {
        self.expected = expected
        self.found = found
        self.isWarning = isWarning
    }

    public var description: String {
        let shown = found.count > 60 ? String(found.prefix(57)) + "…" : found
        return "expected \(expected), found \(shown.isEmpty ? "nothing" : "\"\(shown)\"")"
    }
}
