import Ledger
import SkillsDomain

/// Which workers a month-end run computes (issue 15): everyone, or only those whose outcome can have changed since the
/// jurisdiction's last grant run. A worker's outcome depends on their own events, the reversals of them, the packs
/// in force, the closed months, the notices and objections, and the grants made; so after a run that granted,
/// settled and clawed back everything due up to its month, a later run needs only the workers of the events recorded
/// since (`LedgerChanges`), the month's own candidates, and the workers of entitlements still held back by a notice.
/// Anything that can change every worker's outcome (a policy adopted or its adoption reversed, an objection filed or
/// resolved, no earlier run) makes it everyone again. A month closed or reopened since moves only entitlements not
/// granted yet, whose workers are among those already (the months after the last run's, the notices, the changes).
public struct MonthEndScope: Sendable {
    /// The workers computed; nil for everyone.
    public var workers: Set<String>?
    /// Why: one line, English, for the output.
    public var reason: String

    /// Every worker, for `reason`.
    public static func everyone(_ reason: String) -> MonthEndScope { MonthEndScope(workers: nil, reason: reason) }

    /// The kinds whose recording since the last run makes every worker a candidate, and what the output says of each.
    static let widening: [(EventKind, String)] = [
        (.policyAdopted, "a policy was adopted (or an adoption reversed) since the last grant"),
        (.objectionFiled, "an objection was filed (or withdrawn by reversal) since the last grant"),
        (.objectionResolved, "an objection was resolved (or its resolution reversed) since the last grant"),
    ]

    /// The kinds the rules context and the notice book were loaded from: one of them recorded after the load makes
    /// the loaded context stale for a run that computes only some workers.
    static let contextKinds: Set<EventKind> = [
        .policyAdopted, .eventReversed, .subsidyGranted, .periodClosed, .periodReopened, .noticePublished, .objectionFiled, .objectionResolved,
    ]
}

/// The context a run loaded went out of date before its batch opened (another batch recorded a pack, a reversal, a
/// grant, a month's closing or a notice in between): the run starts again with a fresh one.
struct StaleContext: Error {}

extension MonthEndScope {
    /// The part of a grant's scope known before its batch opens: the last run, and the workers it must compute
    /// whatever was recorded since (the candidates of the months after the last run's, and of the months whose
    /// notices list entitlements not granted yet). `everyone` is set when no subset can do.
    struct GrantPlan: Sendable {
        var everyone: String?
        var last: (month: Month, seq: Int64)?
        var workers: Set<String> = []
        /// The ledger's last place when the context was loaded.
        var loadedThrough: Int64 = 0

        /// The scope once the changes since the last run are known (read inside the batch's snapshot).
        func scope(_ changes: LedgerChanges) throws -> MonthEndScope {
            if let everyone { return .everyone(everyone) }
            if changes.latest.contains(where: { MonthEndScope.contextKinds.contains($0.key) && $0.value > loadedThrough }) { throw StaleContext() }
            if let (_, reason) = MonthEndScope.widening.first(where: { changes.latest[$0.0] != nil }) { return .everyone(reason) }
            guard let last else { return .everyone("no earlier grant") }
            return MonthEndScope(workers: workers.union(changes.workers),
                                 reason: "workers changed since the last grant (\(last.month), event #\(last.seq)), "
                                    + "candidates of the months after it, and workers on a notice not granted yet")
        }
    }

    /// Plans a grant of `month` for `jurisdiction`. `allWorkers` asks for everyone (`grant --all-workers`).
    static func plan(_ store: any LedgerStorage, context: RulesContext, book: NoticeBook, jurisdiction: JurisdictionCode, month: Month,
                     loadedThrough: Int64, allWorkers: Bool) async throws -> GrantPlan {
        var plan = GrantPlan(loadedThrough: loadedThrough)
        if allWorkers { plan.everyone = "every worker asked for (--all-workers)"; return plan }
        guard let last = context.lastGrantRun(covering: jurisdiction) else { plan.everyone = "no earlier grant of \(jurisdiction)"; return plan }
        // The computed workers' grants are found through the grants' first evidence (`GrantIndex`).
        guard context.everyGrantNamesEvidence else {
            plan.everyone = "a grant names no evidence"
            return plan
        }
        let granted = context.grantedByEntitlement(of: Set(book.notices.flatMap(\.entitlements)))
        plan.last = last
        if month > last.month {
            plan.workers = try await EntitlementEngine.candidates(store, context: context, jurisdiction: jurisdiction, from: last.month.adding(1),
                                                                       through: month, closedBefore: false)
        }
        // A notice's entitlements were the candidates' of its month (with the months closed before it, in the
        // notice's jurisdiction); one not granted yet may be granted now.
        struct NoticedMonth: Hashable {
            let jurisdiction: String
            let month: Month
        }
        let noticed = Set(book.notices.filter { notice in
            notice.month <= month && month.index - notice.month.index <= Granting.lapseMonths
                && notice.entitlements.contains { (granted[$0]?.net.fen ?? 0) == 0 && !book.isWithdrawn($0) }
        }.map { NoticedMonth(jurisdiction: $0.jurisdiction, month: $0.month) })
        for notice in noticed {
            let noticeJurisdiction = (try? JurisdictionCode(notice.jurisdiction)) ?? jurisdiction
            plan.workers.formUnion(try await EntitlementEngine.candidates(store, context: context, jurisdiction: noticeJurisdiction,
                                                                          from: notice.month, through: notice.month))
        }
        return plan
    }

    /// The workers `entitlements` computes for the settlement adjustments the next grant would record: those with
    /// events recorded since the last grant run (the one place what was granted can stop matching what is due), or
    /// everyone after a policy adoption, when no run covered the jurisdiction yet, or when a grant names no evidence.
    static func settlement(_ store: any LedgerStorage, context: RulesContext, jurisdiction: JurisdictionCode) async throws -> MonthEndScope {
        guard let last = context.lastGrantRun(covering: jurisdiction) else { return .everyone("no grant run of \(jurisdiction) yet") }
        // The computed workers' grants are found through the grants' first evidence (`GrantIndex`), as for `grant`.
        guard context.everyGrantNamesEvidence else { return .everyone("a grant names no evidence") }
        let changes = try await store.changes(after: last.seq)
        if changes.latest[.policyAdopted] != nil { return .everyone("a policy was adopted (or an adoption reversed) since the last grant") }
        return MonthEndScope(workers: changes.workers, reason: "workers changed since the last grant (\(last.month), event #\(last.seq))")
    }
}
