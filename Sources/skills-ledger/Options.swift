import ArgumentParser
import Reports
import SkillsDomain
import SkillsLedgerCore

/// Options every command shares: which ledger, which output format, who is operating.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The ledger: a SQLite file, or postgres://USER@HOST[:PORT]/DATABASE (default: $SKILLS_LEDGER, else skills-ledger.sqlite).", valueName: "PATH|URL")) var ledger: String?
    @Option(name: .long, help: "Output format: table (for people) or json; csv, markdown, html, xlsx where a report has them.")
    var format: ReportFormat = .table
    @Option(name: .customLong("operator"), help: "Who runs this command, recorded with every event written (default: the OS user).")
    var operatorName: String?
    @Flag(name: .long, help: "No progress or notes on stderr.") var quiet = false

    var location: LedgerLocation { LedgerLocation(ledger) }

    var resolvedOperator: String { operatorName.flatMap { $0.isEmpty ? nil : $0 } ?? Session.processOwner() }

    /// Opens the ledger (write commands create it when it is missing, and say so) and runs `body` in a session on
    /// it; a failure is printed and becomes SPEC.md's exit code.
    func run(create: Bool = false, _ body: (Session) async throws -> Void) async throws {
        do {
            let location = location
            let (ledger, created) = try await location.openNotingCreation(create: create)
            if created && !quiet { Console.note("created a new ledger at \(location)") }
            try await body(Session(ledger: ledger, operatorName: resolvedOperator, observer: ConsoleObserver(quiet: quiet)))
        } catch let error as ValidationError {
            throw error
        } catch { throw Console.fail(error) }
    }
}

extension ReportFormat: ExpressibleByArgument {}

/// The options of the commands that read (worker, credits, entitlements, audit, digest): the shared ones and `--as-of`.
struct ReadOptions: ParsableArguments {
    @OptionGroup var common: LedgerOptions
    @Option(name: .customLong("as-of"), help: ArgumentHelp("Answer from the ledger as recorded by the end of this day (UTC recording time, not "
        + "the events' dates). Personal data is the registry's of today: erased since stays erased.", valueName: "YYYY-MM-DD"))
    var asOf: String?
    var format: ReportFormat { common.format }

    func validate() throws { if let asOf, LocalDate.parse(asOf) == nil { throw ValidationError("--as-of expects a day YYYY-MM-DD, not \"\(asOf)\"") } }

    /// `LedgerOptions.run` on the ledger as it was recorded by the end of the day (`Session.asOf`), when one is given.
    func run(_ body: (Session) async throws -> Void) async throws {
        try await common.run { session in try await body(session.asOf(asOf.flatMap(LocalDate.parse))) }
    }
}

/// `-o/--output FILE`. `destination` refuses xlsx without it (binary); asked inside `LedgerOptions.run`, before any write.
struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Write the report to this file instead of stdout (required for xlsx).", valueName: "FILE"))
    var output: String?
    func destination(_ format: ReportFormat) throws -> ReportDestination { try ReportDestination(format: format, path: output) }
}

/// `--jurisdiction J --month YYYY-MM`, shared by the month-based commands.
struct PeriodOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Jurisdiction code (行政区划代码, GB/T 2260, 6 or 9 digits), e.g. 420300.", valueName: "CODE")) var jurisdiction: String
    @Option(help: ArgumentHelp("The month.", valueName: "YYYY-MM")) var month: String

    func validate() throws { _ = try parsed() }

    func parsed() throws -> JurisdictionMonth { try PeriodOptions.parse(jurisdiction, month) }

    /// A jurisdiction and month as typed, or a usage error saying what is wrong.
    static func parse(_ jurisdiction: String, _ month: String) throws -> JurisdictionMonth {
        do { return JurisdictionMonth(try JurisdictionCode(jurisdiction), try Month(parsing: month)) } catch {
            throw ValidationError(error.description)
        }
    }
}

/// `--reason TEXT`, required and not blank, for commands that record why.
func requireReason(_ reason: String) throws {
    guard !reason.trimmingSpaces.isEmpty else { throw ValidationError("--reason must say why") }
}

/// `ENTITLEMENT --reason TEXT`, for `object` and `resolve`.
struct ObjectionOptions: ParsableArguments {
    @Argument(help: "The entitlement id, as `notice` and `entitlements` print it.") var entitlement: String
    @Option(help: "Why (required; kept in the ledger).") var reason: String
    func validate() throws { try requireReason(reason) }
}

/// A `YYYY-MM-DD` option; anything else is bad usage.
func parseDate(_ text: String, option: String) throws -> LocalDate {
    do { return try LocalDate(parsing: text) } catch { throw ValidationError("\(option): \(error.description)") }
}
