import ArgumentParser
import Intake
import Ledger
import SkillsDomain

struct Submit: ParsableCommand {
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

    @Option(help: "The source (统一社会信用代码 or jurisdiction code) for CSV rows that do not name one, e.g. a bureau's roster.")
    var source: String?

    @Argument(help: "Files to record, each as one batch.")
    var files: [String]

    func run() throws {
        do {
            let store = try options.open(create: true)
            var failed = false
            for file in files {
                let reader = EventFileReader(path: file, defaultSource: source)
                var outcome: EventFileReader.Outcome?
                let progress = Progress.forFile("submit \(file)", path: file, quiet: options.quiet)
                do {
                    let result = try store.append(operatorName: options.resolvedOperator, cache: .large) { sink in
                        var rows = 0
                        let read = try reader.read { submission in
                            try sink.add(submission)
                            rows += 1
                            progress.update(rows)
                        }
                        outcome = read
                    }
                    progress.finish()
                    for warning in outcome?.warnings ?? [] where !options.quiet { Console.note(warning.description) }
                    report(file: file, result: result)
                } catch {
                    progress.finish()
                    for warning in outcome?.warnings ?? (error as? IntakeError)?.warnings ?? [] where !options.quiet { Console.note(warning.description) }
                    _ = Console.fail(error)
                    failed = true
                }
            }
            if failed { throw ExitCode(2) }
        } catch { throw Console.fail(error) }
    }

    func report(file: String, result: AppendResult) {
        switch options.format {
        case .json:
            Console.out(CanonicalJSONWriter.string(.object([
                JSONMember("file", .string(file)), JSONMember("recorded", .number(String(result.recorded))),
                JSONMember("already_recorded", .number(String(result.alreadyRecorded))),
                JSONMember("digest", .string(result.head.description)),
            ])))
        default:
            Console.out("\(file): \(result.recorded) recorded, \(result.alreadyRecorded) already recorded (已记录 \(result.recorded) 条，重复 \(result.alreadyRecorded) 条); ledger now \(result.head.count) events")
        }
    }
}
