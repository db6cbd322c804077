/// Checks across the fields of one event that the catalogue's per-field types cannot express.
public enum EventChecks {
    /// The problems between the fields of `event`: a training started after its completion, `spent_frontline` above
    /// `spent`, a `fund.budgeted` year other than the event's year or the next, a worker (by 公民身份号码) born after
    /// the event.
    /// - Returns: one `FieldIssue` per problem; none when the event is consistent.
    public static func issues(_ event: Event) -> [FieldIssue] {
        var issues: [FieldIssue] = []
        func issue(_ field: String, _ expected: String, _ found: String) {
            issues.append(FieldIssue(field: field, error: ValueError(expected: expected, found: found)))
        }
        let data = event.data
        switch event.kind {
        case .trainingCompleted:
            if let started = data.date("started_on"), started > event.occurredOn {
                issue("started_on", "a start date on or before the completion date \(event.occurredOn)", started.description)
            }
        case .employerEducationFund:
            if let spent = data.money("spent"), let frontline = data.money("spent_frontline"), frontline > spent {
                issue("spent_frontline", "at most the amount spent (\(spent))", frontline.yuanString)
            }
        case .fundBudgeted:
            if let year = data.integer("year"), year != Int64(event.occurredOn.year), year != Int64(event.occurredOn.year + 1) {
                issue("year", "the budget year of the event (\(event.occurredOn.year)) or the next", String(year))
            }
        default:
            break
        }
        if case .citizen(let citizen)? = event.worker, citizen.birthDate > event.occurredOn {
            issue("worker", "a person born before the event (\(event.occurredOn))", citizen.masked)
        }
        return issues
    }
}
