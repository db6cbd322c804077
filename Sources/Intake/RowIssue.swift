import SkillsDomain

/// A problem with one row of an input file: the file, the line (the header is line 1), the field and what was
/// expected. Warnings (for example an early 统一社会信用代码 whose check fails) do not refuse the batch.
public struct RowIssue: Sendable, Equatable, CustomStringConvertible {
    /// The file, as the user named it.
    public var file: String
    /// The line the row starts on, the header being line 1 (0 for a file that cannot be opened).
    public var line: Int
    /// The field at fault, nil when the whole row or file is (a wrong column count, a line that is not JSON). Event
    /// files name it as the header does (`结业日期 (completed_on)`); payout files by the layout's name (`paid_on`).
    public var field: String?
    /// What is wrong, usually `expected …, found "…"`.
    public var message: String
    /// True for a problem that does not refuse the batch.
    public var isWarning: Bool

    /// An issue at `file:line`, in `field` when one is at fault.
    public init(file: String, line: Int, field: String?, message: String, isWarning: Bool = false) {
        self.file = file
        self.line = line
        self.field = field
        self.message = message
        self.isWarning = isWarning
    }

    init(file: String, line: Int, _ issue: FieldIssue) {
        self.init(file: file, line: line, field: issue.field, message: issue.error.description, isWarning: issue.error.isWarning)
    }

    /// `file:line: field F: message` (line numbers count the header as line 1, as an editor shows them).
    public var description: String {
        "\(file):\(line): \(isWarning ? "warning: " : "")\(field.map { "field \($0): " } ?? "")\(message)"
    }
}

/// Why a whole file could not be taken: unreadable, an unknown layout, or rows with errors (all of them listed).
public struct IntakeError: Error, Sendable, CustomStringConvertible {
    /// The file refused, as the user named it.
    public var file: String
    /// The problems that refuse it, the first `maximumListed` of them.
    public var issues: [RowIssue]
    /// How many issues were found in all (the list may be cut at `maximumListed`).
    public var total: Int
    /// The warnings found in the refused file, for the caller to show beside the refusal (not in `description`).
    public var warnings: [RowIssue]

    /// The most issues (and, separately, warnings) kept for listing; `total` still counts every issue.
    public static let maximumListed = 1_000

    /// A refusal listing `issues`; `total` is their count unless more were found than listed.
    public init(file: String, issues: [RowIssue], total: Int? = nil, warnings: [RowIssue] = []) {
        self.file = file
        self.issues = issues
        self.total = total ?? issues.count
        self.warnings = warnings
    }

    /// A refusal with one problem, by default of the whole file (line 1, no field).
    public init(file: String, line: Int = 1, field: String? = nil, message: String) {
        self.init(file: file, issues: [RowIssue(file: file, line: line, field: field, message: message)])
    }

    public var description: String {
        var lines = ["\(file): refused, nothing recorded: \(total) problem(s)"]
        lines += issues.map { "  " + $0.description }
        if total > issues.count { lines.append("  … and \(total - issues.count) more") }
        return lines.joined(separator: "\n")
    }
}
