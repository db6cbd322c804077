import ArgumentParser
import Rules
import SkillsLedgerCore

struct NoticeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "notice", abstract: "Post a month's subsidy list for public notice (公示): record notice.published, print the list masked.",
        discussion: "It runs N working days from --from (counted when a working day): --days, else the largest notice.working_days of the listed packs, else 5. Working days are Monday–Friday minus the --calendar file's holidays, plus its make-up days (调休).")
    @OptionGroup var options: LedgerOptions
    @OptionGroup var period: PeriodOptions
    @Option(help: ArgumentHelp("The notice's first day.", valueName: "YYYY-MM-DD")) var from: String
    @Option(help: "Working days, 1–30 (instead of the packs').") var days: Int?
    @Option(help: ArgumentHelp("Holidays and make-up working days (YAML), e.g. Samples/calendars/2026.yaml.", valueName: "FILE")) var calendar: String?
    @OptionGroup var output: OutputOptions

    func validate() throws { _ = try parseDate(from, option: "--from") }

    func run() async throws {
        let (period, from) = (try period.parsed(), try parseDate(from, option: "--from"))
        try await options.run { session in
            let calendar = try calendar.map { path throws(PackErrors) in try WorkingCalendar.load(path: path) }
            let destination = try output.destination(options.format)
            try destination.write(try await Notices(session).publish(period, from: from, days: days, calendar: calendar), session)
        }
    }
}

struct ObjectCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "object", abstract: "Record an objection (异议) to an entitlement on a notice: grant holds it until resolved.")
    @OptionGroup var options: LedgerOptions
    @OptionGroup var objection: ObjectionOptions

    func run() async throws {
        try await options.run { session in Console.write(try await Notices(session).object(objection.entitlement, reason: objection.reason), options.format) }
    }
}

struct ResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "resolve", abstract: "Resolve the open objections to an entitlement (异议处理): upheld withdraws it, dismissed lets grant go on.")
    @OptionGroup var options: LedgerOptions
    @OptionGroup var objection: ObjectionOptions
    @Flag var outcome: Outcome
    enum Outcome: String, EnumerableFlag {
        case upheld, dismissed
        static func help(for value: Self) -> ArgumentHelp? { value == .upheld ? "成立: the entitlement is withdrawn (clawed back if granted)." : "不成立: the first grant after the notice grants it." }
    }

    func run() async throws {
        try await options.run { session in
            Console.write(try await Notices(session).resolve(objection.entitlement, upheld: outcome == .upheld, reason: objection.reason), options.format)
        }
    }
}
