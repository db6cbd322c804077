import Foundation
import ArgumentParser
import Reconciliation
import SkillsLedgerCore

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
    @OptionGroup var period: PeriodOptions
    @Option(help: ArgumentHelp("The bank's payout file for the month (without it, the payments already in the ledger).", valueName: "FILE"))
    var payments: String?
    @Flag(help: "Close the month after reconciling: record period.closed with the report's digest.") var close = false
    @OptionGroup var output: OutputOptions
    @Flag(help: "Show 公民身份号码 in full in the table, markdown and html formats.") var unmasked = false

    func run() async throws {
        let period = try period.parsed()
        var discrepancies = false
        try await options.run { session in
            let (payouts, destination) = (Payouts(session, period), try output.destination(options.format))
            if let payments { _ = try await payouts.recordPayments(file: payments) }
            var report = try await payouts.reconcile()
            if close { report.closedBy = try await payouts.close(report) }
            try await payouts.write(report, to: destination, unmasked: unmasked)
            discrepancies = report.hasDiscrepancies
        }
        if discrepancies { throw ExitCode(1) }
    }
}

struct Reopen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reopen a closed month so that payments dated in it are accepted again (重新开账).",
        discussion: "Records period.reopened with the reason; the month's earlier close stays in the ledger. Close it again with `reconcile --close`."
    )

    @OptionGroup var options: LedgerOptions
    @OptionGroup var period: PeriodOptions
    @Option(help: "Why (required; kept in the ledger).") var reason: String

    func run() async throws {
        let period = try period.parsed()
        try await options.run { session in
            let eventID = try await Payouts(session, period).reopen(reason: reason)
            Console.out("reopened \(period.month) for \(period.jurisdiction) (已重新开账): \(eventID)")
        }
    }
}

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a fresh ledger from Samples/ and run a whole month end to end: adopt, submit, verify, entitlements, grant, reconcile, close (演示).",
        discussion: "Uses ./skills-ledger-demo.sqlite (rebuilt each run) unless --ledger names a path that does not exist yet.")

    @Option(name: .long, help: ArgumentHelp("Where to build the demo ledger (must not exist).", valueName: "PATH")) var ledger: String?
    @Option(help: ArgumentHelp("The samples folder.", valueName: "DIR")) var samples = "Samples"
    @Option(help: "The jurisdiction whose month is run.") var jurisdiction = "420300"
    @Option(help: ArgumentHelp("The month to grant, reconcile and close.", valueName: "YYYY-MM")) var month = "2026-03"

    func run() async throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: samples + "/policies", isDirectory: &isFolder), isFolder.boolValue else {
            throw ValidationError("--samples: there is no \(samples)/policies folder here (\(FileManager.default.currentDirectoryPath)): "
                + "run the demo from the repository's folder, or name its Samples folder with --samples DIR")
        }
        let path: String
        do { path = try SkillsLedgerCore.Demo.freshLedgerPath(ledger) } catch { throw ValidationError("\(error)") }
        let period = try PeriodOptions.parse(jurisdiction, month)
        do {
            let session = Session(ledger: try await LedgerLocation(path).open(create: true), operatorName: "demo")
            let demo = SkillsLedgerCore.Demo(session, samples: samples, period: period)
            _ = try await demo.run { title, body in
                Console.out(title.map { "\n" + $0 + "\n" + String(repeating: "─", count: 60) + "\n" + body } ?? body)
            }
            Console.out("\nThe demo ledger is \(path). Try: skills-ledger worker --ledger \(path) <公民身份号码>, or --format html on reconcile.")
        } catch { throw Console.fail(error) }
    }
}

