import Ledger
import Reports
import Rules
import SkillsDomain

/// A month's entitlements (dry run) and grants for a jurisdiction (`entitlements`, `grant`, `/v1/entitlements`,
/// `/v1/grants`).
public struct MonthEnd: Sendable {
    /// The ledger, operator and date the operations run with.
    public var session: Session
    /// The jurisdiction and month worked on.
    public var period: JurisdictionMonth
    var jurisdiction: JurisdictionCode { period.jurisdiction }
    var month: Month { period.month }

    /// The operations on `period` in `session`'s ledger.
    public init(_ session: Session, _ period: JurisdictionMonth) { (self.session, self.period) = (session, period) }

    /// What the adopted policies owe for the month, with explanations; rules that could not be evaluated are noted.
    public func entitlements() async throws -> EntitlementReport {
        let ledger = session.ledger
        let context = try await RulesContext.load(ledger)
        let progress = session.observer.progress("entitlements \(jurisdiction) \(month)", unit: "workers")
        defer { progress.finish() }
        let (entitlements, problems) = try await EntitlementEngine.entitlements(ledger, context: context, jurisdiction: jurisdiction, month: month) { done, total in
            progress.total = total
            progress.update(done)
        }
        progress.finish()
        for problem in problems { session.observer.note("warning: \(problem)") }
        let adjustments = try await pendingAdjustments(context)
        let identities = try await ledger.identities(of: (entitlements + adjustments.map(\.entitlement)).flatMap { [$0.payee, $0.worker] })
        return EntitlementReport(jurisdiction: jurisdiction.value, month: month, entitlements: entitlements, identities: identities,
                                 adjustments: adjustments)
    }

    /// The settlement adjustments (补发 / 追回) the next `grant` of the month would record: computed for the workers
    /// with events recorded since the jurisdiction's last grant run (everyone after a policy adoption).
    func pendingAdjustments(_ context: RulesContext) async throws -> [Settlement.Adjustment] {
        guard let scope = try await Settlement.scope(session.ledger, context: context, jurisdiction: jurisdiction, month: month) else { return [] }
        let progress = session.observer.progress("settlement \(jurisdiction) \(month)", unit: "workers")
        defer { progress.finish() }
        if progress.isShown {
            if let workers = scope.workers { progress.total = workers.count } else { progress.total = try await session.ledger.registeredPeople() }
        }
        return try await Settlement.pending(session.ledger, context: context, scope: scope, jurisdiction: jurisdiction, month: month,
                                            progress: progress.update)
    }

    /// Records the month's entitlements as grants, and clawbacks for withdrawn ones. Running it twice grants nothing new.
    /// `runDate` (default: the session's today) decides whether public notices have ended (SPEC.md "Public notice").
    /// Only the workers whose outcome can have changed since the jurisdiction's last grant are computed, unless
    /// `allWorkers` (`MonthEndScope`).
    public func grant(on runDate: LocalDate? = nil, allWorkers: Bool = false) async throws -> GrantReport {
        let ledger = session.ledger
        // The registry's size is the estimate of how many workers there are, for the ETA of a run over everyone.
        let progress = session.observer.progress("grant \(jurisdiction) \(month)", unit: "workers")
        defer { progress.finish() }
        if progress.isShown { progress.total = try await ledger.registeredPeople() }
        let result = try await Granting.grant(ledger, jurisdiction: jurisdiction, month: month, operatorName: session.operatorName,
                                              runDate: runDate ?? session.today, allWorkers: allWorkers,
                                              scoped: { scope in if let workers = scope.workers { progress.total = workers.count } },
                                              progress: progress.update)
        progress.finish()
        for problem in result.problems { session.observer.note("warning: \(problem)") }
        return GrantReport(jurisdiction: jurisdiction, month: month, result: result)
    }
}
