import Foundation
import Reports

/// Where a command's report goes (`--output`): stdout or a file for the text formats, a file for a workbook (xlsx),
/// which is binary and so never goes to stdout. Made before the command reads or writes anything, so that a refused
/// destination leaves the ledger as it was.
///
/// ```swift
/// let destination = try ReportDestination(format: .xlsx, path: "march.xlsx")
/// try destination.write(try await MonthEnd(session, period).entitlements(), session)
/// ```
public struct ReportDestination: Sendable {
    /// The format asked for.
    public let format: ReportFormat
    /// The file written, or nil for stdout.
    public let path: String?

    /// `format` to `path` (stdout when nil). Refused: xlsx without a path, and a path whose folder cannot be
    /// written (found now, not after `reconcile` has recorded the payout file).
    public init(format: ReportFormat, path: String?) throws(OperationError) {
        guard format != .xlsx || path != nil else {
            throw .badRequest("--format xlsx writes an Excel workbook, which is binary: name the file with --output FILE.xlsx")
        }
        if let path {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            guard FileManager.default.isWritableFile(atPath: folder) else { throw .badRequest("cannot write \(path): \(folder) is not a folder this user can write to") }
        }
        (self.format, self.path) = (format, path)
    }

    /// Writes `report`: a workbook when xlsx was asked for and the report is a sheet, else its text; a file written
    /// is noted ("wrote FILE").
    public func write(_ report: some Report, _ session: Session) throws {
        if let path, report.effectiveFormat(format) == .xlsx, let sheet = report as? any SheetReport {
            try sheet.writeXLSX(to: path)
        } else {
            var sink = try OutputSink(path: path)
            report.write(format) { sink.write($0) }
            try sink.close()
        }
        if let path { session.observer.note("wrote \(path)") }
    }
}
