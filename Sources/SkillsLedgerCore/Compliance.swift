import Ledger
import Reports
import Rules
import SkillsDomain

/// The compliance checks (`audit budget`, `audit employers`, `/v1/audits/…`): the training-subsidy budget floor and
/// employers' frontline spending, for a year.
public struct Compliance: Sendable {
    /// The ledger, operator and date the operations run with.
    public var session: Session

    /// The operations on `session`'s ledger.
    public init(_ session: Session) { self.session = session }

    /// Each jurisdiction with a `fund.budgeted` report for the year, against the 20% floor.
    /// - Parameter scope: only the jurisdictions inside this one (a service token's), or all when nil.
    public func budget(year: Int, within scope: JurisdictionCode? = nil) async throws -> BudgetAuditReport {
        let rows = try await Audits.budget(session.ledger, year: year)
        guard let scope else { return BudgetAuditReport(year: year, rows: rows) }
        return BudgetAuditReport(year: year, rows: rows.filter { row in (try? JurisdictionCode(row.jurisdiction)).map(scope.contains) ?? false })
    }

    /// Each employer with an `employer.education-fund` report for the year, against the 60% floor.
    public func employers(year: Int) async throws -> EmployerAuditReport {
        EmployerAuditReport(year: year, rows: try await Audits.employers(session.ledger, year: year))
    }
}
