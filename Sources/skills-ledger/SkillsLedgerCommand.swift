import ArgumentParser

/// `skills-ledger`: the command-line shell over the ledger, rules and reconciliation libraries.
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
            Init.self, Submit.self, Verify.self, Digest.self, WorkerCommand.self, Reverse.self, Export.self, Erase.self,
            PolicyCommand.self, EntitlementsCommand.self, GrantCommand.self, CreditsCommand.self, AuditCommand.self,
            Reconcile.self, Reopen.self, Demo.self, Generate.self, Backup.self,
        ]
    )
}
