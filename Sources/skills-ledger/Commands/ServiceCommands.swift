import ArgumentParser
import Logging
import SkillsDomain
import SkillsLedgerCore
import SkillsLedgerService

struct TokenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "token", abstract: "Create, list and revoke the service's access tokens (访问令牌).",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a token and print it once, alone on its line; the ledger keeps only its SHA-256 and records access.granted.")
        @OptionGroup var options: LedgerOptions
        @Option(help: "institution, bureau, finance, auditor or admin.") var role: AccessRole
        @Option(help: "The token's name (1–40 of A-Z a-z 0-9 . _ : -), recorded as NAME (ROLE) with every event it writes.") var name: String
        @Option(help: "An institution's 统一社会信用代码.") var source: String?
        @Option(help: "The jurisdiction of a bureau, finance or auditor token (bureau and auditor: national if omitted).") var jurisdiction: String?

        func run() async throws {
            try await options.run(create: true) { session in
                Console.out(try await Tokens(session).create(role: role, name: name, source: source, jurisdiction: jurisdiction).token)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show every token's name, role, scope, created and last used (never the token).")
        @OptionGroup var options: LedgerOptions

        func run() async throws {
            try await options.run { session in Console.write(try await Tokens(session).list(), options.format) }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a token at once and record access.revoked.")
        @OptionGroup var options: LedgerOptions
        @Argument(help: "The token's name.") var name: String

        func run() async throws {
            try await options.run { session in Console.out("revoked \(name) (已撤销): \(try await Tokens(session).revoke(name: name))") }
        }
    }
}

extension AccessRole: ExpressibleByArgument {}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve the ledger over HTTP to token holders; SIGTERM or SIGINT stops it after the requests in flight (服务).")
    @Option(name: .long, help: ArgumentHelp("The ledger: a SQLite file, or postgres://USER@HOST[:PORT]/DATABASE (default: $SKILLS_LEDGER, else skills-ledger.sqlite).", valueName: "PATH|URL")) var ledger: String?
    @Option(help: "The address to listen on.") var host = "127.0.0.1"
    @Option(help: "The port to listen on.") var port = 8080
    @Option(help: ArgumentHelp("The largest request body taken, in MiB (413 beyond).", valueName: "MIB")) var bodyLimit = 64
    @Option(help: ArgumentHelp("Close a connection that sends nothing for this long.", valueName: "SECONDS")) var idleTimeout = 60
    @Option(help: ArgumentHelp("Answer 408, recording nothing, when a body is still arriving this long after its headers.",
                               valueName: "SECONDS")) var requestTimeout = 120
    @Option(help: ArgumentHelp("Uploads received at once; the next wait up to 10 s for a slot, then 503 with Retry-After.",
                               valueName: "N")) var maxUploads = 8

    func validate() throws {
        guard idleTimeout > 0, requestTimeout > 0, maxUploads > 0 else {
            throw ValidationError("--idle-timeout, --request-timeout and --max-uploads must be positive")
        }
    }

    func run() async throws {
        let limits = ServiceLimits(idleTimeout: .seconds(idleTimeout), requestTimeout: .seconds(requestTimeout), maxUploads: maxUploads)
        let service = LedgerService(location: LedgerLocation(ledger), host: host, port: port, bodyLimitBytes: bodyLimit << 20,
                                    limits: limits, logger: Logger(label: "skills-ledger"))
        do { try await service.run { Console.note("listening on \($0)") } } catch { throw Console.fail(error) }
    }
}
