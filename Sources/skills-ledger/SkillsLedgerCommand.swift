import ArgumentParser
import Foundation

/// `skills-ledger`: the command-line shell over the application layer (SkillsLedgerCore). Each command parses its
/// arguments, calls one use case, writes the result through Reports and exits with SPEC.md's code.
@main
struct SkillsLedgerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "skills-ledger",
        abstract: "A tamper-evident ledger of workers' training, skill certificates and credits (职业技能台账), with subsidy rules and payout reconciliation.",
        discussion: """
            Exit codes: 0 ok, 1 findings (discrepancies, shortfalls), 2 bad input or usage, 3 ledger integrity failure.
            The ledger file is --ledger PATH, or SKILLS_LEDGER, or ./skills-ledger.sqlite.
            """,
        subcommands: [
            Init.self, Submit.self, Verify.self, Rebuild.self, Digest.self, WorkerCommand.self, Reverse.self, Export.self, Erase.self,
            PolicyCommand.self, EntitlementsCommand.self, GrantCommand.self, CreditsCommand.self, AuditCommand.self,
            Reconcile.self, Reopen.self, NoticeCommand.self, ObjectCommand.self, ResolveCommand.self, Demo.self, Generate.self, Backup.self, Migrate.self, TokenCommand.self, Serve.self,
        ]
    )

    /// Runs the command with SPEC.md's exit codes: bad usage exits 2, like bad input. ArgumentParser's own `main()`
    /// exits 64 (EX_USAGE) for an unknown option, a missing argument or a `ValidationError`.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var command = command as? any AsyncParsableCommand { try await command.run() } else { try command.run() }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
