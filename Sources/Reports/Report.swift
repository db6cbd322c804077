import SkillsDomain

/// A typed result that can be written in the formats people and programs ask for. Both front ends (the CLI and the
/// service) write results through this one interface, so a result reads the same wherever it is asked for.
///
/// ```swift
/// let report = CreditsReport(worker: "420303198610101192", movements: movements)
/// print(report.rendered(.json), terminator: "")
/// ```
public protocol Report {
    /// The formats this report has besides `table`; any other format asked for is written as `table`.
    var formats: Set<ReportFormat> { get }

    /// Writes the whole output in `format`, final line break included, in pieces as they are ready.
    func write(_ format: ReportFormat, to emit: (String) -> Void)
}

extension Report {
    /// The whole output in `format` as one string.
    public func rendered(_ format: ReportFormat) -> String {
        var text = ""
        write(format) { text += $0 }
        return text
    }

    /// The format actually written when `format` is asked for.
    public func effectiveFormat(_ format: ReportFormat) -> ReportFormat {
        formats.contains(format) ? format : .table
    }
}

/// The pretty JSON of a report's value and a line break, as every `--format json` writes it.
func prettyLine(_ value: JSONValue) -> String { CanonicalJSONWriter.pretty(value) + "\n" }

/// The compact (canonical) JSON of a receipt and a line break: one line per batch, easy for scripts to read.
func compactLine(_ value: JSONValue) -> String { CanonicalJSONWriter.string(value) + "\n" }

extension Optional where Wrapped == String {
    /// `null` for nil, else the string: the JSON shapes write missing values as null.
    var json: JSONValue { map { .string($0) } ?? .null }
}
