import ArgumentParser
import Ledger
import SkillsDomain

struct Backup: ParsableCommand {
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

    @Argument(help: ArgumentHelp("Where to write the copy (must not exist).", valueName: "PATH"))
    var path: String

    @Flag(help: "Verify the copy and check that its digest is the source's at the time of the backup.")
    var check = false

    func run() throws {
        do {
            let store = try options.open()
            let report = try store.backup(to: path)
            var checked: VerifyReport?
            if check { checked = try LedgerStore.checkBackup(at: report.path, expecting: report.digest) }
            if options.format == .json {
                Console.out(CanonicalJSONWriter.string(.object([
                    JSONMember("backup", .string(report.path)), JSONMember("digest", .string(report.digest.description)),
                    JSONMember("checked", .bool(checked != nil)),
                ])))
            } else {
                Console.out("backed up \(report.digest.count) events to \(report.path); digest \(report.digest)"
                    + (checked == nil ? "" : "; the copy verifies and has the same digest (备份校验通过)"))
            }
        } catch { throw Console.fail(error) }
    }
}
