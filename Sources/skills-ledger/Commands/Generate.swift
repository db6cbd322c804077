import ArgumentParser
import Generator
import Reports
import SkillsLedgerCore
import SkillsDomain

struct Generate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic province, or a month's payout file from a ledger's grants, for benchmarks (生成测试数据).",
        discussion: """
            skills-ledger generate --workers N --seed S --out DIR
              writes DIR/workers.csv, training.csv, certificates.csv, events.jsonl, corrections.jsonl (submit them in
              that order) and summary.json: about five events per worker of every kind, valid identifiers, in the
              jurisdictions of the reference packs (420300, 510107, 330382, 620400, 410100). --flat-table also writes
              all-events.csv, every event as a plain row, for comparing with `sqlite3 .import`.
            skills-ledger generate --from-ledger --ledger L --month M --seed S --out DIR
              writes DIR/payments-M.csv (payments layout) paying the month's grants with a known mix of discrepancies,
              the same payments as an hledger journal, and payments-M.mix.json with the classes `reconcile` must find.
            The same arguments always give the same bytes. The data is invented: it contains no real person.
            """
    )

    @OptionGroup var options: LedgerOptions
    @Option(help: "How many workers (about five events each).") var workers: Int?
    @Option(help: "The random seed: the same seed gives the same files.") var seed: UInt64 = 1
    @Option(help: ArgumentHelp("The directory to write into (created if missing).", valueName: "DIR")) var out: String
    @Flag(help: "Also write all-events.csv, every event as a plain row.") var flatTable = false
    @Flag(help: "Write a payout file for the month's grants in --ledger instead of a province.") var fromLedger = false
    @Option(help: ArgumentHelp("With --from-ledger: the month whose grants are paid.", valueName: "YYYY-MM")) var month: String?
    @Option(help: "With --from-ledger: pay the grants of this jurisdiction (and inside it).") var jurisdiction = "national"

    func validate() throws {
        if fromLedger {
            guard month != nil else { throw ValidationError("--from-ledger needs --month YYYY-MM") }
        } else {
            guard let workers, workers > 0 else { throw ValidationError("--workers N (a positive number) is required") }
        }
    }

    func run() async throws {
        do {
            if fromLedger { try await writePayouts() } else { try writeProvince() }
        } catch let error as GeneratorError {
            Console.note("error: \(error)")
            throw ExitCode(2)
        } catch let error as ValidationError { throw error } catch { throw Console.fail(error) }
    }

    func writeProvince() throws {
        let progress = TerminalProgress("generate \(out)", total: workers, unit: "workers", quiet: options.quiet)
        let summary = try ProvinceGenerator(workers: workers!, seed: seed, flatTable: flatTable).write(to: out) { progress.update($0) }
        progress.finish()
        Console.write(GeneratedFilesReport(directory: out, files: .province(summary)), options.format)
    }

    func writePayouts() async throws {
        let period = try PeriodOptions.parse(jurisdiction, month!)
        try await options.run { session in
            let mix = try await PayoutFileForBenchmarks(session).write(month: period.month, jurisdiction: period.jurisdiction, seed: seed, to: out)
            Console.write(GeneratedFilesReport(directory: out, files: .payouts(mix, month: period.month)), options.format)
        }
    }
}
