import ArgumentParser
import Reconciliation
import SkillsDomain

struct Reopen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Reopen a closed month so that payments dated in it are accepted again (重新开账).",
        discussion: "Records period.reopened with the reason; the month's earlier close stays in the ledger. Close it again with `reconcile --close`."
    )

    @OptionGroup var options: LedgerOptions

    @Option(help: ArgumentHelp("The jurisdiction (行政区划代码), e.g. 420300.", valueName: "CODE"))
    var jurisdiction: String

    @Option(help: ArgumentHelp("The closed month.", valueName: "YYYY-MM"))
    var month: String

    @Option(help: "Why (required; kept in the ledger).")
    var reason: String

    func run() async throws {
        do {
            let jurisdictionCode = try JurisdictionCode(jurisdiction)
            let reopenedMonth = try Month(parsing: month)
            let reconciler = Reconciler(store: try options.open())
            let eventID = try await reconciler.reopen(jurisdiction: jurisdictionCode, month: reopenedMonth, reason: reason,
                                                operatorName: options.resolvedOperator, on: today())
            Console.out("reopened \(reopenedMonth) for \(jurisdictionCode) (已重新开账): \(eventID)")
        } catch { throw Console.fail(error) }
    }
}
