import ArgumentParser
import Ledger
import Reports
import SkillsDomain
import SkillsLedgerCore

struct Init: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a new, empty ledger file (建立台账).")

    @OptionGroup var options: LedgerOptions

    func run() async throws {
        try await options.run(create: true) { session in
            let digest = try await session.ledger.digest()
            Console.out(digest.count == 0 ? "ledger ready at \(options.location)" : "ledger already exists at \(options.location): \(digest.count) events")
        }
    }
}

struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Record events from JSON Lines or CSV files (提交台账记录).",
        discussion: """
            Each file is one batch: all of its events are recorded or none. Events already recorded with identical
            content are skipped, so a file may be submitted twice. CSV layouts (workers, training, certificates) are
            recognised from the header, in English or Chinese; UTF-8 and GB18030 are both read. Every bad row is
            listed with its file, line and field, and the batch is refused with exit code 2.
            """
    )

    @OptionGroup var options: LedgerOptions
    @Option(help: "The source (统一社会信用代码 or jurisdiction code) for CSV rows that do not name one, e.g. a bureau's roster.") var source: String?
    @Argument(help: "Files to record, each as one batch.") var files: [String]

    func run() async throws {
        var failed = false
        try await options.run(create: true) { session in
            for file in files {
                do {
                    Console.write(try await SubmitBatch(session).record(file: file, defaultSource: source), options.format)
                } catch {
                    _ = Console.fail(error)
                    failed = true
                }
            }
        }
        if failed { throw ExitCode(2) }
    }
}

struct Verify: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute the hash chain and check the append-only guards (校验台账).",
        discussion: "Exit 3 names the first event that does not verify. With --digest COUNT:HASH, also proves that the ledger still extends a digest published earlier."
    )

    @OptionGroup var options: LedgerOptions
    @Option(help: ArgumentHelp("A digest published earlier (from `digest`).", valueName: "COUNT:HASH")) var digest: String?

    /// A malformed digest is bad usage, told with `verify`'s own usage line and before the ledger is opened.
    func validate() throws {
        if let digest, LedgerDigest(parsing: digest) == nil {
            throw ValidationError("--digest expects COUNT:HASH (a count and 64 hex digits), as `skills-ledger digest` prints")
        }
    }

    func run() async throws {
        try await options.run { session in
            Console.write(try await Integrity(session).verify(extending: digest.flatMap(LedgerDigest.init(parsing:))), options.format)
        }
    }
}

struct Rebuild: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the grant facts kept beside the chain again from the chain (重建授予索引).",
        discussion: "Month-end runs read each grant's entitlement, amount, month and evidence from a short row kept beside "
            + "the chain (grant_facts), written with the grant. `verify` exits 3 when a row is missing, changed or extra; this "
            + "command then writes them all again from the chain, in one transaction, and says how many were wrong. The chain "
            + "itself is only read: run `verify` again afterwards. On PostgreSQL, run it as the role that owns the tables."
    )

    @OptionGroup var options: LedgerOptions

    func run() async throws {
        try await options.run { session in Console.write(try await Integrity(session).rebuild(), options.format) }
    }
}

struct Digest: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the event count and head hash as COUNT:HASH, for publishing (台账摘要).")

    @OptionGroup var options: ReadOptions

    func run() async throws {
        try await options.run { session in Console.write(try await Integrity(session).digest(), options.format) }
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write every event as JSON Lines that `submit` accepts into a fresh ledger (导出).",
        discussion: "Ids and content are preserved; each line also carries seq, recorded_at and operator. Contains personal data: handle the file accordingly."
    )

    @OptionGroup var options: LedgerOptions
    @Option(name: .shortAndLong, help: "Write to this file instead of stdout.") var output: String?

    func run() async throws {
        try await options.run { session in
            var sink = try OutputSink(path: output)
            try await Integrity(session).export { line in sink.write(line + "\n") }
            try sink.close()
        }
    }
}

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the ledger to a new file with SQLite's online backup, consistent while others write (备份).",
        discussion: """
            The copy is the ledger at one moment; it is written under a temporary name and renamed into place when
            complete, and an existing file is never overwritten. With --check, the copy is then opened, verified in
            full, and its digest compared with the source's at the moment of the copy (the restore check); exit 3 if
            they differ. The copy contains personal data: store it accordingly.
            """
    )

    @OptionGroup var options: LedgerOptions
    @Argument(help: ArgumentHelp("Where to write the copy (must not exist).", valueName: "PATH")) var path: String
    @Flag(help: "Verify the copy and check that its digest is the source's at the time of the backup.") var check = false

    func run() async throws {
        try await options.run { session in Console.write(try await Integrity(session).backup(to: path, check: check), options.format) }
    }
}

struct Reverse: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cancel an event by recording an event.reversed that points at it (冲正); nothing is edited.")

    @OptionGroup var options: LedgerOptions
    @Argument(help: "The id of the event to reverse.") var event: String
    @Option(help: "Why (required; kept in the ledger).") var reason: String
    @Option(help: "The id for the reversal event (default: rev:EVENT).") var id: String?
    @Option(help: "Who reverses it (统一社会信用代码 or jurisdiction code; default: the reversed event's source).") var source: String?
    @Option(help: "The date the reversal takes effect (default: today).") var date: String?

    func validate() throws { try requireReason(reason) }

    func run() async throws {
        try await options.run { session in
            let occurredOn = try date.map { text throws(ValueError) in try LocalDate(parsing: text) }
            let reversal = try await Corrections(session).reverse(event, reason: reason, id: id, source: source, date: occurredOn)
            Console.out(reversal.recorded ? "recorded \(reversal.id): \(event) reversed (已冲正)" : "\(reversal.id) was already recorded")
        }
    }
}

struct Erase: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Erase a person's personal data (name, 公民身份号码) from the registry (个人信息删除, PIPL).",
        discussion: "The chain keeps only the pseudonym, so `verify` still passes and the history stays countable. Free pages are zeroed and the file vacuumed.")

    @OptionGroup var options: LedgerOptions
    @Argument(help: "The person's 公民身份号码.") var id: String
    @Option(help: "Why (required; kept in the registry).") var reason: String

    func run() async throws {
        try await options.run { session in
            let citizen = try CitizenID(id)
            let pseudonym = try await Corrections(session).erase(citizen, reason: reason)
            Console.out("erased the personal data of \(citizen.masked); their events remain under \(pseudonym)")
        }
    }
}

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy a SQLite ledger into an empty PostgreSQL ledger, hashes as stored, so both print the same digest (迁移).",
        discussion: "The source is verified first; the copy is one transaction, verified before it commits. A target that holds anything is refused (exit 2).")

    @Option(help: ArgumentHelp("The SQLite ledger to copy.", valueName: "PATH")) var from: String
    @Option(help: ArgumentHelp("The empty PostgreSQL ledger to copy into.", valueName: "postgres://USER@HOST:PORT/DATABASE")) var to: String
    @Option(help: "Output format: table or json.") var format: ReportFormat = .table
    @Flag(help: "No progress or notes on stderr.") var quiet = false

    func run() async throws {
        do {
            Console.write(try await Migration(observer: ConsoleObserver(quiet: quiet)).migrate(from: LedgerLocation(from), to: LedgerLocation(to)), format)
        } catch { throw Console.fail(error) }
    }
}
