import ArgumentParser
import Ledger
import Reports
import Rules
import SkillsDomain

struct PolicyCommand: ParsableCommand {
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

        @Argument(help: "Policy pack files (YAML).")
        var files: [String]

        func run() async throws {
            do {
                let store = try options.open(create: true)
                let result = try await PolicyAdoption.adopt(paths: files, store: store, operatorName: options.resolvedOperator)
                for pack in result.adopted {
                    Console.out("adopted \(pack.id) \(pack.version) (\(pack.jurisdiction), from \(pack.effectiveFrom)) sha256 \(pack.sha256.prefix(16))…")
                }
                if result.alreadyAdopted > 0 { Console.out("\(result.alreadyAdopted) pack version(s) were already adopted") }
            } catch let errors as PackErrors {
                Console.note(errors.description)
                Console.note("refused: nothing adopted")
                throw ExitCode(2)
            } catch { throw Console.fail(error) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the adopted policy packs and their rules.")

        @OptionGroup var options: LedgerOptions

        func run() async throws {
            do {
                let context = try await RulesContext.load(try options.open())
                if options.format == .json {
                    let packs: [JSONValue] = context.policies.packs.map { pack in
                        .object([JSONMember("policy", .string(pack.id)), JSONMember("version", .string(pack.version)),
                                 JSONMember("jurisdiction", .string(pack.jurisdiction.value)), JSONMember("title", .string(pack.title)),
                                 JSONMember("effective_from", .string(pack.effectiveFrom.description)), JSONMember("sha256", .string(pack.sha256)),
                                 JSONMember("rules", .array(pack.rules.map { .string($0.id) } + pack.creditRules.map { .string($0.id) }))])
                    }
                    Console.out(Console.json(.object([JSONMember("policies", .array(packs))])))
                    return
                }
                var table = TextColumns(["policy", "version", "jurisdiction", "from", "title", "rules"])
                for pack in context.policies.packs {
                    table.add([pack.id, pack.version, pack.jurisdiction.value, pack.effectiveFrom.description, pack.title,
                               (pack.rules.map(\.id) + pack.creditRules.map(\.id)).joined(separator: ", ")])
                }
                Console.out(context.policies.packs.isEmpty ? "no policy packs adopted yet: `skills-ledger policy adopt Samples/policies/*.yaml`" : table.rendered)
            } catch { throw Console.fail(error) }
        }
    }
}
