import ArgumentParser
import Ledger
import Reports
import Rules
import SkillsDomain

/// `--jurisdiction J --month YYYY-MM`, shared by the month-based commands.
struct PeriodOptions: ParsableArguments {
    @Option(help: "Jurisdiction code (GB/T 2260, 6 or 9 digits).")
    var jurisdiction: String

    @Option(help: ArgumentHelp("The month.", valueName: "YYYY-MM"))
    var month: String

    func parsed() throws -> (JurisdictionCode, Month) {
        do { return (try JurisdictionCode(jurisdiction), try Month(parsing: month)) } catch {
            throw ValidationError(error.description)
        }
    }
}

struct EntitlementsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entitlements",
        abstract: "List what the adopted policies owe for a jurisdiction and month, with explanations (dry run; 应享补贴).")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var period: PeriodOptions

    func run() async throws {
        let (jurisdiction, month) = try period.parsed()
        do {
            let store = try options.open()
            let progress = Progress("entitlements \(jurisdiction) \(month)", unit: "workers", quiet: options.quiet)
            defer { progress.finish() }
            let (entitlements, problems) = try await EntitlementEngine.entitlements(store, jurisdiction: jurisdiction, month: month) { done, total in
                progress.total = total
                progress.update(done)
            }
            progress.finish()
            for problem in problems where !options.quiet { Console.note("warning: \(problem)") }
            let report = EntitlementReport(jurisdiction: jurisdiction.value, month: month, entitlements: entitlements, identities: try store.identities(of: entitlements.flatMap { [$0.payee, $0.worker] }))
            switch options.format {
            case .json: report.writeJSON { print(String(decoding: $0, as: UTF8.self), terminator: "") }
            case .csv: Console.out(report.csv)
            default: Console.out(report.table)
            }
        } catch { throw Console.fail(error) }
    }
}

struct GrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Record the month's entitlements as subsidy.granted events, and clawbacks for withdrawn ones (核定).",
        discussion: "Running it twice grants nothing new. Entitlements older than 12 months have lapsed and are reported, not granted.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var period: PeriodOptions

    func run() async throws {
        let (jurisdiction, month) = try period.parsed()
        do {
            let store = try options.open()
            // Grant computes every worker; the registry's size is the estimate of how many there are, for the ETA.
            let progress = Progress("grant \(jurisdiction) \(month)", unit: "workers", quiet: options.quiet)
            if progress.enabled { progress.total = try store.registeredPeople() }
            defer { progress.finish() }
            let result = try await Granting.grant(store, jurisdiction: jurisdiction, month: month, operatorName: options.resolvedOperator,
                                            progress: progress.update)
            progress.finish()
            for problem in result.problems where !options.quiet { Console.note("warning: \(problem)") }
            if options.format == .json {
                writeJSON(result, jurisdiction: jurisdiction, month: month)
            } else {
                Console.out("\(jurisdiction) \(month): granted \(result.granted.count) (\(result.grantedTotal.yuanString) 元), clawbacks \(result.clawbacks.count) (\(result.clawbackTotal.yuanString) 元), already granted \(result.alreadyGranted), lapsed \(result.lapsed)")
            }
        } catch { throw Console.fail(error) }
    }

    /// The summary as `Console.json` prints it, with the list of grant ids written in chunks rather than built as a
    /// tree of a million strings.
    func writeJSON(_ result: Granting.Result, jurisdiction: JurisdictionCode, month: Month) {
        let head = Console.json(.object([
            JSONMember("jurisdiction", .string(jurisdiction.value)), JSONMember("month", .string(month.description)),
            JSONMember("granted", .number(String(result.granted.count))), JSONMember("granted_total", .string(result.grantedTotal.yuanString)),
            JSONMember("clawbacks", .number(String(result.clawbacks.count))), JSONMember("clawback_total", .string(result.clawbackTotal.yuanString)),
            JSONMember("already_granted", .number(String(result.alreadyGranted))), JSONMember("lapsed", .number(String(result.lapsed))),
        ]))
        var chunk = String(head.dropLast(2)) + ",\n  \"grants\": "
        let total = result.granted.count + result.clawbacks.count
        if total == 0 { Console.out(chunk + "[]\n}"); return }
        chunk += "[\n"
        var index = 0
        func element(_ id: String) {
            index += 1
            chunk += "    " + CanonicalJSONWriter.string(.string(id)) + (index < total ? ",\n" : "\n")
            if chunk.utf8.count > 65_536 { print(chunk, terminator: ""); chunk = "" }
        }
        for id in result.granted { element(id) }
        for clawback in result.clawbacks { element(clawback.id) }
        Console.out(chunk + "  ]\n}")
    }
}
