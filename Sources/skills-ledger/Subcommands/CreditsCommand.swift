import ArgumentParser
import Ledger
import Reports
import Rules
import SkillsDomain

struct CreditsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credits",
        abstract: "Show a worker's learning account: balance and every movement (学分银行, Shiyan #10).")

    @OptionGroup var options: LedgerOptions

    @Argument(help: "The worker's 公民身份号码.")
    var id: String

    func run() async throws {
        do {
            let store = try options.open()
            let pseudonym = try store.pseudonym(forInput: id)
            let movements = try await LearningAccount.movements(store, worker: pseudonym)
            let balance = movements.map(\.credits).reduce(Credits.zero, +)
            let shownID = try store.registryEntry(pseudonym: pseudonym)?.citizenID ?? pseudonym
            if options.format == .json {
                Console.out(Console.json(.object([
                    JSONMember("worker", .string(shownID)), JSONMember("balance", .string(balance.text)),
                    JSONMember("movements", .array(movements.map { movement in
                        .object([JSONMember("event", .string(movement.event)), JSONMember("date", .string(movement.date.description)),
                                 JSONMember("credits", .string(movement.credits.text)), JSONMember("source_kind", .string(movement.sourceKind)),
                                 JSONMember("rule", movement.rule.map { .string($0) } ?? .null)])
                    })),
                ])))
                return
            }
            var table = TextColumns(["date", "event", "credits", "source", "rule"])
            for movement in movements {
                table.add([movement.date.description, movement.event, movement.credits.text, movement.sourceKind, movement.rule ?? "credit.earned"])
            }
            Console.out("学分账户 learning account of \(CitizenID.mask(shownID)): balance \(balance.text)\n" + (movements.isEmpty ? "no movements" : table.rendered))
        } catch { throw Console.fail(error) }
    }
}

struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Compliance checks (合规检查): the training-subsidy budget floor and employers' frontline spending.",
        discussion: "Exit 1 when a check finds a shortfall.",
        subcommands: [Budget.self, Employers.self]
    )

    struct Budget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each jurisdiction's training-subsidy budget against the floor (Shiyan #30: ≥ 20% of the employment fund), and grants against the budget.")

        @OptionGroup var options: LedgerOptions
        @Option(help: "The year.") var year: Int

        func run() async throws {
            do {
                let rows = try await Audits.budget(try options.open(), year: year)
                if options.format == .json {
                    Console.out(Console.json(.object([JSONMember("year", .number(String(year))), JSONMember("jurisdictions", .array(rows.map { row in
                        .object([JSONMember("jurisdiction", .string(row.jurisdiction)), JSONMember("employment_fund", .string(row.employmentFund.yuanString)),
                                 JSONMember("training_subsidy_budget", .string(row.trainingSubsidyBudget.yuanString)),
                                 JSONMember("ratio", .string(row.ratio.description)), JSONMember("floor", .string(row.floor.description)),
                                 JSONMember("shortfall", .string(row.shortfall.yuanString)), JSONMember("granted", .string(row.granted.yuanString)),
                                 JSONMember("utilisation", .string(row.utilisation.description)), JSONMember("evidence", .string(row.evidence))])
                    }))])))
                } else {
                    var table = TextColumns(["jurisdiction", "employment fund", "training budget", "ratio", "floor", "shortfall", "granted", "utilisation"])
                    for row in rows {
                        table.add([row.jurisdiction, row.employmentFund.yuanString, row.trainingSubsidyBudget.yuanString, row.ratio.description,
                                   row.floor.description, row.shortfall.yuanString, row.granted.yuanString, row.utilisation.description])
                    }
                    Console.out("培训补贴预算 budget floor \(year)\n" + table.rendered)
                }
                if rows.contains(where: { $0.shortfall.fen > 0 }) { throw ExitCode(1) }
            } catch { throw Console.fail(error) }
        }
    }

    struct Employers: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Each employer's frontline share of the employee education fund against the floor (≥ 60%).")

        @OptionGroup var options: LedgerOptions
        @Option(help: "The year.") var year: Int

        func run() async throws {
            do {
                let rows = try await Audits.employers(try options.open(), year: year)
                if options.format == .json {
                    Console.out(Console.json(.object([JSONMember("year", .number(String(year))), JSONMember("employers", .array(rows.map { row in
                        .object([JSONMember("employer", .string(row.employer)), JSONMember("spent", .string(row.spent.yuanString)),
                                 JSONMember("spent_frontline", .string(row.spentFrontline.yuanString)), JSONMember("ratio", .string(row.ratio.description)),
                                 JSONMember("floor", .string(row.floor.description)), JSONMember("shortfall", .string(row.shortfall.yuanString)),
                                 JSONMember("evidence", .string(row.evidence))])
                    }))])))
                } else {
                    var table = TextColumns(["employer", "spent", "frontline", "ratio", "floor", "shortfall"])
                    for row in rows {
                        table.add([row.employer, row.spent.yuanString, row.spentFrontline.yuanString, row.ratio.description, row.floor.description, row.shortfall.yuanString])
                    }
                    Console.out("职工教育经费一线使用 frontline share \(year)\n" + table.rendered)
                }
                if rows.contains(where: { $0.shortfall.fen > 0 }) { throw ExitCode(1) }
            } catch { throw Console.fail(error) }
        }
    }
}
