import Foundation
import Intake
import Ledger
import Reconciliation
import Reports
import SkillsDomain

/// Finance's month (`reconcile`, `reopen`, `/v1/payouts`, `/v1/reconciliations`, `/v1/periods`): record the bank's
/// payout file, reconcile the month's grants and payments, close and reopen it.
public struct Payouts: Sendable {
    /// The ledger, operator and date the operations run with.
    public var session: Session
    /// The jurisdiction and month worked on.
    public var period: JurisdictionMonth
    var jurisdiction: JurisdictionCode { period.jurisdiction }
    var month: Month { period.month }

    /// The operations on `period` in `session`'s ledger.
    public init(_ session: Session, _ period: JurisdictionMonth) { (self.session, self.period) = (session, period) }

    var reconciler: Reconciler { Reconciler(store: session.ledger) }

    /// Records the payout file's rows as `subsidy.paid` events, all or nothing; loading it again changes nothing.
    public func recordPayments(file path: String) async throws -> PaymentRecording {
        let progress = session.observer.fileProgress("reconcile: recording \(path)", path: path)
        defer { progress.finish() }
        let recording = try await reconciler.recordPayments(file: path, jurisdiction: jurisdiction, month: month,
                                                            operatorName: session.operatorName, progress: progress.update)
        progress.finish()
        for warning in recording.warnings { session.observer.note(warning.description) }
        session.observer.note("\(path): \(recording.rows) payments, \(recording.result.recorded) recorded, \(recording.result.alreadyRecorded) already recorded (\(recording.encoding))")
        return recording
    }

    /// Matches every grant due up to the month that is not fully paid with every payment of the month. A closed
    /// month is reported as it stood when it was closed.
    public func reconcile() async throws -> ReconciliationReport {
        // Matching reads the ledger's grants and payments in one pass that reports no rows: elapsed time only.
        let ticker = session.observer.ticker("reconcile \(jurisdiction) \(month): matching")
        defer { ticker.finish() }
        return try await reconciler.reconcile(jurisdiction: jurisdiction, month: month)
    }

    /// Closes the month with the report's digest (`period.closed`); a month closed already is left as it is.
    public func close(_ report: ReconciliationReport) async throws -> PeriodClose {
        switch try await reconciler.close(report, operatorName: session.operatorName, on: session.today) {
        case .closed(let close):
            session.observer.note("closed \(report.month) for \(report.jurisdiction) (已结账): \(close.eventID), report digest \(close.reportDigest)")
            return close
        case .alreadyClosed(let close):
            session.observer.note("\(report.month) was already closed for \(report.jurisdiction) by \(close.eventID) on \(close.closedOn); nothing recorded")
            return close
        }
    }

    /// Reopens a closed month (`period.reopened` with the reason), so that payments dated in it are accepted again.
    /// - Returns: the id of the event recorded.
    public func reopen(reason: String) async throws -> String {
        try await reconciler.reopen(jurisdiction: jurisdiction, month: month, reason: reason, operatorName: session.operatorName, on: session.today)
    }

    /// Writes `report` to `destination`: text as `write(_:format:unmasked:to:)` does, or every line as a workbook.
    public func write(_ report: ReconciliationReport, to destination: ReportDestination, unmasked: Bool) async throws {
        let ledger = session.ledger
        if destination.format == .xlsx, let path = destination.path {
            let renderer = ReconciliationRenderer(report, masking: IdentifierMasking(masked: false))
            try await renderer.writeXLSX(to: path) { payees in try await ledger.identities(of: payees) }
        } else {
            var sink = try OutputSink(path: destination.path)
            try await write(report, format: destination.format, unmasked: unmasked) { sink.write($0) }
            try sink.close()
        }
        if let path = destination.path { session.observer.note("wrote \(path)") }
    }

    /// The renderer of a report, with the registry looked up only for the payees the format shows: people's formats
    /// a few discrepancies, one by one; JSON and CSV every payee, a chunk of lines at a time as they are written.
    public func write(_ report: ReconciliationReport, format: ReportFormat, unmasked: Bool, to emit: (String) -> Void) async throws {
        let renderer = try await renderer(report, format: format, unmasked: unmasked)
        guard ReconciliationRenderer.payeesShown(in: report, format: format) == nil else { return renderer.render(format, to: emit) }
        let ledger = session.ledger
        try await renderer.render(format, resolving: { payees in try await ledger.identities(of: payees) }, to: emit)
    }

    /// The renderer of `report` in `format`: for people's formats (and the service's pages, which show what `.html`
    /// shows) it knows the identities of the payees listed; JSON and CSV look theirs up as they are written.
    public func renderer(_ report: ReconciliationReport, format: ReportFormat, unmasked: Bool = false) async throws -> ReconciliationRenderer {
        var identities: [String: String] = [:]
        if let shown = ReconciliationRenderer.payeesShown(in: report, format: format) {
            identities = try await session.ledger.identities(of: Array(shown))
        }
        return ReconciliationRenderer(report, masking: IdentifierMasking(identities: identities, masked: format.masksByDefault && !unmasked))
    }
}
