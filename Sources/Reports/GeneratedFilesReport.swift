import Generator
import SkillsDomain

/// What `generate` wrote: a synthetic province (rows per file), or a month's payout file (payments, grants and the
/// classes `reconcile` must find in it).
public struct GeneratedFilesReport: Report, Sendable {
    /// The two things `generate` makes.
    public enum Files: Sendable {
        /// A synthetic province: events per kind and rows per file.
        case province(ProvinceSummary)
        /// A payout file for `month`: its payments, the grants they pay and the classes `reconcile` must find.
        case payouts(PayoutGenerator.Mix, month: Month)
    }

    /// The folder written into.
    public var directory: String
    /// What was written.
    public var files: Files

    /// The report of `files` written into `directory`.
    public init(directory: String, files: Files) {
        self.directory = directory
        self.files = files
    }

    public var formats: Set<ReportFormat> { [.table, .json] }

    public func write(_ format: ReportFormat, to emit: (String) -> Void) {
        switch (files, effectiveFormat(format)) {
        case (.province(let summary), .json): emit(prettyLine(summary.json))
        case (.payouts(let mix, _), .json): emit(prettyLine(mix.json))
        case (.province(let summary), _):
            emit("\(directory): \(summary.workers) workers, \(summary.events) events (seed \(summary.seed))\n")
            for file in ProvinceGenerator.submitOrder { emit("  \(file): \(summary.rowsByFile[file] ?? 0) rows\n") }
        case (.payouts(let mix, let month), _):
            emit("\(directory)/payments-\(month).csv: \(mix.payments) payments for \(mix.grants) grants; expected classes: "
                + mix.expectedClasses.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n")
        }
    }
}
