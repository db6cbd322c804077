import ArgumentParser
import SkillsLedgerCore

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Show one worker's history: timeline, certificates by occupation and level, credits (职工档案).")

    @OptionGroup var options: ReadOptions
    @Argument(help: "The worker's 公民身份号码 (or pseudonym, for an erased person).") var id: String
    @Flag(help: "Show the 公民身份号码 in full instead of masked.") var unmasked = false

    func run() async throws {
        try await options.run { session in Console.write(try await WorkerLookup(session).report(for: id, unmasked: unmasked), options.format) }
    }
}

struct CreditsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credits",
        abstract: "Show a worker's learning account: balance and every movement (学分银行, Shiyan #10).")

    @OptionGroup var options: ReadOptions
    @Argument(help: "The worker's 公民身份号码.") var id: String

    func run() async throws {
        try await options.run { session in Console.write(try await WorkerLookup(session).credits(for: id), options.format) }
    }
}
