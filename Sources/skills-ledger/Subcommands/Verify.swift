import ArgumentParser
import Ledger
import SkillsDomain

struct Verify: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Recompute the hash chain and check the append-only guards (校验台账).",
        discussion: "Exit 3 names the first event that does not verify. With --digest COUNT:HASH, also proves that the ledger still extends a digest published earlier."
    )

    @OptionGroup var options: LedgerOptions

    @Option(help: ArgumentHelp("A digest published earlier (from `digest`).", valueName: "COUNT:HASH"))
    var digest: String?

    /// A malformed digest is bad usage, told with `verify`'s own usage line and before the ledger is opened.
    func validate() throws {
        if let digest, LedgerDigest(parsing: digest) == nil {
            throw ValidationError("--digest expects COUNT:HASH (a count and 64 hex digits), as `skills-ledger digest` prints")
        }
    }

    func run() throws {
        do {
            let store = try options.open()
            let report: VerifyReport
            if let digest {
                guard let published = LedgerDigest(parsing: digest) else { preconditionFailure("checked by validate()") }
                report = try store.verify(extending: published)
            } else {
                let progress = Progress("verify", unit: "events", quiet: options.quiet)
                if progress.enabled { progress.total = Int(try store.digest().count) }
                report = try store.verify { checked in progress.update(Int(checked)) }
                progress.finish()
            }
            if options.format == .json {
                Console.out(CanonicalJSONWriter.string(.object([
                    JSONMember("ok", .bool(true)), JSONMember("events", .number(String(report.eventsChecked))),
                    JSONMember("digest", .string(report.digest.description)),
                ])))
            } else {
                Console.out("ok: \(report.eventsChecked) events verified (校验通过); digest \(report.digest)")
            }
        } catch let error as ValidationError {
            throw error
        } catch { throw Console.fail(error) }
    }
}

struct Digest: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print the event count and head hash as COUNT:HASH, for publishing (台账摘要).")

    @OptionGroup var options: LedgerOptions

    func run() throws {
        do {
            let digest = try options.open().digest()
            if options.format == .json {
                Console.out(CanonicalJSONWriter.string(.object([
                    JSONMember("count", .number(String(digest.count))), JSONMember("head", .string(digest.headHash)),
                    JSONMember("digest", .string(digest.description)),
                ])))
            } else {
                Console.out(digest.description)
            }
        } catch { throw Console.fail(error) }
    }
}
