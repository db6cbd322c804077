import Ledger
import Reports
import Rules

/// The compliance checks (`audit budget`, `audit employers`, `/v1/audits/…`): the training-subsidy budget floor and
/// employers' frontline spending, for a year.
public struct Compliance: Sendable {
    /// The ledger, operator and date the operations run with.
    public var session: Session

    /// The operations on `session`'s ledger.
    public init(_ session: Session) { self.session = session }

    /// Each jurisdiction with a `fund.budgeted` report for the year, against the 20% floor.
    public func budget(year: Int) async throws -> BudgetAuditReport {
        BudgetAuditReport(year: year, rows: try await Audits.budget(session.ledger, year: year))
    }

    /// Each employer with an `employer.education-fund` report for the year, against the 60% floor.
    public func employers(year: Int) async throws -> EmployerAuditReport {
        EmployerAuditReport(year: year, rows: try await Audits.employers(session.ledger, year: year))
    }
}
