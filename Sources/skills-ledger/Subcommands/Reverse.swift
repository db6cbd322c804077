import ArgumentParser
import Ledger
import SkillsDomain

struct Reverse: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cancel an event by recording an event.reversed that points at it (冲正); nothing is edited.")

    @OptionGroup var options: LedgerOptions

    @Argument(help: "The id of the event to reverse.")
    var event: String

    @Option(help: "Why (required; kept in the ledger).")
    var reason: String

    @Option(help: "The id for the reversal event (default: rev:EVENT).")
    var id: String?

    @Option(help: "Who reverses it (统一社会信用代码 or jurisdiction code; default: the reversed event's source).")
    var source: String?

    @Option(help: "The date the reversal takes effect (default: today).")
    var date: String?

    func run() throws {
        do {
            let store = try options.open()
            guard let target = try store.event(id: event) else {
                throw LedgerError.refused("no event with id \(event) in \(options.ledgerPath)")
            }
            guard !reason.trimmingSpaces.isEmpty else { throw ValidationError("--reason must say why") }
            let reversalID = id ?? (event.count <= 60 ? "rev:" + event : "rev:" + String(event.suffix(60)))
            let occurredOn = try date.map { text throws(ValueError) in try LocalDate(parsing: text) } ?? today()
            var warnings: [FieldIssue] = []
            let sourceCode = try source.map { text throws(ValueError) in try EventDecoder.validateSource(text, warnings: &warnings) } ?? target.event.source
            let reversal = Event(id: reversalID, kind: .eventReversed, occurredOn: occurredOn, source: sourceCode,
                                 data: EventData([("target", .text(event)), ("reason", .text(reason.trimmingSpaces))]))
            let result = try store.append([Submission(event: reversal, origin: "reverse")], operatorName: options.resolvedOperator)
            Console.out(result.recorded == 1 ? "recorded \(reversalID): \(event) reversed (已冲正)" : "\(reversalID) was already recorded")
        } catch let error as ValidationError { throw error } catch { throw Console.fail(error) }
    }
}

func today() -> LocalDate {
    LocalDate.parse(String(Timestamp.now().prefix(10)))!
}

struct Erase: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Erase a person's personal data (name, 公民身份号码) from the registry (个人信息删除, PIPL).",
        discussion: "The chain keeps only the pseudonym, so `verify` still passes and the history stays countable. Free pages are zeroed and the file vacuumed.")

    @OptionGroup var options: LedgerOptions

    @Argument(help: "The person's 公民身份号码.")
    var id: String

    @Option(help: "Why (required; kept in the registry).")
    var reason: String

    func run() throws {
        do {
            let citizen = try CitizenID(id)
            let store = try options.open()
            if let pseudonym = try store.erase(citizen: citizen, reason: reason) {
                Console.out("erased the personal data of \(citizen.masked); their events remain under \(pseudonym)")
            } else {
                Console.note("no personal data for \(citizen.masked) in the registry (never recorded, or erased already)")
                throw ExitCode(1)
            }
        } catch { throw Console.fail(error) }
    }
}
