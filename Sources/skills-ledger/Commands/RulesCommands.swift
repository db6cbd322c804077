import ArgumentParser
import Reports
import Rules
import SkillsLedgerCore

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "policy",
        abstract: "Adopt policy packs into the ledger and list what is in force (政策).",
        subcommands: [Adopt.self, List.self]
    )

    struct Adopt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Check policy packs (YAML) and record them in the ledger (policy.adopted), with their full text.",
            discussion: "A pack with an error is refused with file, line and column; nothing is recorded. Adopting the same version again is a no-op; a new version applies from its effective date.")

        @OptionGroup var options: LedgerOptions
        @Argument(help: "Policy pack files (YAML).") var files: [String]

        func run() async throws {
            try await options.run(create: true) { session in
                do {
                    let result = try await Policies(session).adopt(files: files)
                    for pack in result.adopted {
                        Console.out("adopted \(pack.id) \(pack.version) (\(pack.jurisdiction), from \(pack.effectiveFrom)) sha256 \(pack.sha256.prefix(16))…")
                    }
                    if result.alreadyAdopted > 0 { Console.out("\(result.alreadyAdopted) pack version(s) were already adopted") }
                } catch let errors as PackErrors {
                    Console.note(errors.description)
                    Console.note("refused: nothing adopted")
                    throw ExitCode(2)
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the adopted policy packs and their rules.")

        @OptionGroup var options: LedgerOptions

        func run() async throws {
            try await options.run { session in Console.write(try await Policies(session).list(), options.format) }
        }
    }
}

struct EntitlementsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "entitlements",
        abstract: "List what the adopted policies owe for a jurisdiction and month, with explanations (dry run; 应享补贴).")

    @OptionGroup var options: ReadOptions
    @OptionGroup var period: PeriodOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let period = try period.parsed()
        try await options.run { session in try output.destination(options.format).write(try await MonthEnd(session, period).entitlements(), session) }
    }
}

struct GrantCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "grant",
        abstract: "Record the month's entitlements as subsidy.granted events, and clawbacks for withdrawn ones (核定).",
        discussion: "Running it twice grants nothing new. Entitlements older than 12 months have lapsed and are reported, not granted. What a public notice or an open objection holds is reported, and granted by a later grant. After the jurisdiction's first grant, only the workers whose outcome can have changed are computed (events recorded since the last grant, the months after it, notices not yet granted); its counts of already granted, lapsed and held back cover those workers, as its second line says.")

    @OptionGroup var options: LedgerOptions
    @OptionGroup var period: PeriodOptions
    @Option(help: ArgumentHelp("The run date public notices must have ended before (default: today).", valueName: "YYYY-MM-DD")) var on: String?
    @Flag(help: "Compute every worker, not only those changed since the last grant (the same grants; complete counts).") var allWorkers = false

    func validate() throws { _ = try on.map { try parseDate($0, option: "--on") } }

    func run() async throws {
        let (period, runDate) = (try period.parsed(), try on.map { try parseDate($0, option: "--on") })
        try await options.run { session in
            Console.write(try await MonthEnd(session, period).grant(on: runDate, allWorkers: allWorkers), options.format)
        }
    }
}

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Compliance checks (合规检查): the training-subsidy budget floor and employers' frontline spending.",
        discussion: "Exit 1 when a check finds a shortfall.",
        subcommands: [Budget.self, Employers.self]
    )

    struct Budget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each jurisdiction's training-subsidy budget against the floor (Shiyan #30: ≥ 20% of the employment fund), and grants against the budget.")

        @OptionGroup var options: ReadOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The year.") var year: Int

        func run() async throws { try await AuditCommand.run(options, output) { try await Compliance($0).budget(year: year) } }
    }

    struct Employers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each employer's frontline share of the employee education fund against the floor (≥ 60%).")

        @OptionGroup var options: ReadOptions
        @OptionGroup var output: OutputOptions
        @Option(help: "The year.") var year: Int

        func run() async throws { try await AuditCommand.run(options, output) { try await Compliance($0).employers(year: year) } }
    }

    /// Writes the audit; exit 1 when any row falls short of its floor.
    static func run<Row>(_ options: ReadOptions, _ output: OutputOptions, _ audit: (Session) async throws -> AuditReport<Row>) async throws {
        var shortfall = false
        try await options.run { session in
            let (destination, report) = (try output.destination(options.format), try await audit(session))
            try destination.write(report, session)
            shortfall = report.hasShortfall
        }
        if shortfall { throw ExitCode(1) }
    }
}
