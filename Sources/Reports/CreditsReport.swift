import Rules
import SkillsDomain

/// A worker's learning account (`credits ID`, 学分银行): the balance and every movement, explicit `credit.earned`
/// events and the credits adopted packs derive from training hours and certificates.
public struct CreditsReport: Report, Sendable {
    /// The worker as shown: the 公民身份号码 while the registry holds it, else the pseudonym.
    public var worker: String
    /// Every movement, in date order: explicit credits and those the packs derive.
    public var movements: [CreditMovement]

    /// The account of `worker` (as shown) with `movements`.
    public init(worker: String, movements: [CreditMovement]) {
        self.worker = worker
        self.movements = movements
    }

    /// The sum of every movement.
    public var balance: Credits { movements.map(\.credits).reduce(Credits.zero, +) }

    public var formats: Set<ReportFormat> { [.table, .json] }

    public func write(_ format: ReportFormat, to emit: (String) -> Void) {
        emit(effectiveFormat(format) == .json ? prettyLine(json) : table + "\n")
    }

    /// `{"worker", "balance", "movements": [{"event", "date", "credits", "source_kind", "rule"}]}` (SPEC.md).
    public var json: JSONValue {
        .object([
            JSONMember("worker", .string(worker)), JSONMember("balance", .string(balance.text)),
            JSONMember("movements", .array(movements.map { movement in
                .object([JSONMember("event", .string(movement.event)), JSONMember("date", .string(movement.date.description)),
                         JSONMember("credits", .string(movement.credits.text)), JSONMember("source_kind", .string(movement.sourceKind)),
                         JSONMember("rule", movement.rule.json)])
            })),
        ])
    }

    /// The balance, then one line per movement; the ID masked.
    public var table: String {
        var table = TextColumns(["date", "event", "credits", "source", "rule"])
        for movement in movements {
            table.add([movement.date.description, movement.event, movement.credits.text, movement.sourceKind, movement.rule ?? "credit.earned"])
        }
        return "学分账户 learning account of \(CitizenID.mask(worker)): balance \(balance.text)\n" + (movements.isEmpty ? "no movements" : table.rendered)
    }
}
