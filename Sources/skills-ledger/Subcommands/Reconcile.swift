import ArgumentParser
import Foundation
import Intake
import Ledger
import Reconciliation
import Reports
import SkillsDomain

struct Reconcile: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load the bank's payout file and reconcile a month's grants and payments; optionally close the month (月度对账).",
        discussion: """
            The payout file (payment_id,payee,amount,paid_on,grant,bank_ref; English or Chinese headers; UTF-8 or
            GB18030) is recorded as subsidy.paid events, all or nothing; loading it again changes nothing. Then every
            grant of the jurisdiction due up to the month that is not fully paid is matched with every payment of the
            month. Exit 0 when every line balances, 1 when there are discrepancies, 2 on bad input (nothing written).
            A closed month is reported as it stood when it was closed; payments dated in it are refused until
            `skills-ledger reopen`.
            """
    )

    @OptionGroup var options: LedgerOptions

    @Option(help: ArgumentHelp("The jurisdiction (行政区划代码), e.g. 420300.", valueName: "CODE"))
    var jurisdiction: String

    @Option(help: ArgumentHelp("The month to reconcile.", valueName: "YYYY-MM"))
    var month: String

    @Option(help: ArgumentHelp("The bank's payout file for the month (without it, the payments already in the ledger).", valueName: "FILE"))
    var payments: String?

    @Flag(help: "Close the month after reconciling: record period.closed with the report's digest.")
    var close = false

    @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to this file instead of stdout.", valueName: "FILE"))
    var output: String?

    @Flag(help: "Show 公民身份号码 in full in the table, markdown and html formats.")
    var unmasked = false

    func run() async throws {
        do {
            let jurisdictionCode = try JurisdictionCode(jurisdiction)
            let reconciledMonth = try Month(parsing: month)
            let store = try options.open()
            let reconciler = Reconciler(store: store)
            if let payments {
                let progress = Progress.forFile("reconcile: recording \(payments)", path: payments, quiet: options.quiet)
                let recording = try await reconciler.recordPayments(file: payments, jurisdiction: jurisdictionCode, month: reconciledMonth,
                                                              operatorName: options.resolvedOperator, progress: progress.update)
                progress.finish()
                note(recording, file: payments)
            }
            // Matching reads the ledger's grants and payments in one pass that reports no rows: elapsed time only.
            let ticker = ElapsedTicker("reconcile \(jurisdictionCode) \(reconciledMonth): matching", quiet: options.quiet)
            defer { ticker.finish() }
            var report = try await reconciler.reconcile(jurisdiction: jurisdictionCode, month: reconciledMonth)
            ticker.finish()
            if close { report.closedBy = try await closeMonth(report, reconciler) }
            try write(report, store: store)
            if report.hasDiscrepancies { throw ExitCode(1) }
        } catch { throw Console.fail(error) }
    }

    func note(_ recording: PaymentRecording, file: String) {
        guard !options.quiet else { return }
        for warning in recording.warnings { Console.note(warning.description) }
        Console.note("\(file): \(recording.rows) payments, \(recording.result.recorded) recorded, \(recording.result.alreadyRecorded) already recorded (\(recording.encoding))")
    }

    /// Closes the month; the report then says by which event.
    func closeMonth(_ report: ReconciliationReport, _ reconciler: Reconciler) async throws -> PeriodClose {
        switch try await reconciler.close(report, operatorName: options.resolvedOperator, on: today()) {
        case .closed(let close):
            if !options.quiet { Console.note("closed \(report.month) for \(report.jurisdiction) (已结账): \(close.eventID), report digest \(close.reportDigest)") }
            return close
        case .alreadyClosed(let close):
            if !options.quiet { Console.note("\(report.month) was already closed for \(report.jurisdiction) by \(close.eventID) on \(close.closedOn); nothing recorded") }
            return close
        }
    }

    /// People's formats show a few payees, looked up one by one; JSON and CSV show every payee, looked up a chunk of
    /// lines at a time as they are written. Neither loads the whole registry.
    func write(_ report: ReconciliationReport, store: LedgerStore) throws {
        let format = ReportFormat(rawValue: options.format.rawValue) ?? .table
        let shown = ReconciliationRenderer.payeesShown(in: report, format: format)
        let identities = try shown.map { try store.identities(of: $0) } ?? [:]
        let masking = IdentifierMasking(identities: identities, masked: format.masksByDefault && !unmasked)
        var sink = try OutputSink(path: output)
        try ReconciliationRenderer(report, masking: masking).render(format, resolving: { payees in
            shown == nil ? try store.identities(of: payees) : [:]
        }) { sink.write($0) }
        try sink.close()
        if let output, !options.quiet { Console.note("wrote \(output)") }
    }
}
