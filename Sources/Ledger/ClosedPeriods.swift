import GRDB
import SkillsDomain

/// Which months are closed for which jurisdictions, from the `period.closed` and `period.reopened` events.
public struct ClosedPeriods: Sendable {
    var state: [String: Bool] = [:]

    static let members: [StaticString] = ["jurisdiction", "period"]

    /// No month closed anywhere: where a backend starts before it reads the marks in recording order.
    package init() {}

    /// Applies one mark read in recording order (or recorded in the batch being appended): the last mark wins.
    package mutating func mark(jurisdiction: String, period: String, closed: Bool) {
        state[jurisdiction + " " + period] = closed
    }

    /// Reads the marks in recording order; each mark's jurisdiction and period come from its stored data.
    static func load(_ db: Database) throws -> ClosedPeriods {
        var result = ClosedPeriods()
        let rows = try Row.fetchCursor(db, sql: """
            SELECT seq, id, kind, data FROM events WHERE kind IN ('period.closed', 'period.reopened') ORDER BY seq
            """)
        while let row = try rows.next() {
            guard let values = try row.storedFields(atIndex: 3, keys: ClosedPeriods.members), let jurisdiction = values[0], let period = values[1] else {
                throw LedgerError.integrity(IntegrityFailure(seq: row[0], eventID: row[1],
                                                             reason: "a stored period mark has no jurisdiction or period"))
            }
            result.mark(jurisdiction: jurisdiction, period: period, closed: (row[2] as String) == EventKind.periodClosed.rawValue)
        }
        return result
    }

    /// Whether the month is closed for the jurisdiction: the last `period.closed` or `period.reopened` mark for it was
    /// a close. A month never marked is open. The jurisdiction is matched by its exact code (a city's close does not close
    /// its districts).
    public func isClosed(_ jurisdiction: JurisdictionCode, _ month: Month) -> Bool {
        state[jurisdiction.value + " " + month.description] ?? false
    }
}
