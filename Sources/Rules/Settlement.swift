import Ledger
import SkillsDomain

/// Settling changed history (补发 / 追回, SPEC.md): an entitlement granted before is recomputed under the packs and
/// evidence in force now; where what was granted for it (net of earlier adjustments) differs from what it is due, the
/// difference is recorded as a signed `subsidy.granted` in the month being granted, with `adjusts` naming the grant it
/// settles. So after any `grant`, every entitlement's granted total equals its due total.
///
/// The entitlement id hashes rule, payee and evidence (and an accrual's month), never the policy version or the
/// amount: a version adopted later recomputes the *same* entitlement, so the difference attaches to it. A correction
/// by reversal and re-entry makes new evidence, hence a new entitlement: the old one is withdrawn in full (clawback)
/// and the new one granted.
public enum Settlement {
    /// A difference the next grant records for one entitlement.
    public struct Adjustment: Sendable {
        /// The entitlement as computed now (its amount is what is due).
        public var entitlement: Entitlement
        /// The id of the adjustment event.
        public var id: String
        /// The grant it adjusts: the latest grant in force that paid the entitlement out.
        public var adjusts: String
        /// Net granted so far, and due now.
        public var granted: Money
        /// Due now, under the packs and evidence in force (zero for a designation).
        public var due: Money
        /// In Chinese: 补发 or 追回, the entitlement, what was granted and what is due (yuan), the month it is recorded in
        /// and what changed it (the policy version, or the events recorded after the grant).
        public var explanationZH: String
        /// The same in English.
        public var explanationEN: String

        /// Signed: positive arrears (补发), negative recovery (追回).
        public var difference: Money { due - granted }
        /// Chinese, then English: `ZH / EN`.
        public var explanation: String { explanationZH + " / " + explanationEN }
    }

    /// The adjustment a granted entitlement needs in `month`, or nil when what was granted is what is due.
    /// `events` are the worker's events as read (to name those recorded after the latest grant).
    public static func adjustment(_ entitlement: Entitlement, entry: RulesContext.GrantedEntry, month: Month, context: RulesContext,
                                  events: [StoredEvent]) -> Adjustment? {
        let due = entitlement.amount ?? .zero
        guard due != entry.net, let adjusts = entry.latestPositive else { return nil }
        var adjustment = Adjustment(entitlement: entitlement, id: "adj:" + entitlement.id + ":\(entry.adjustmentsRecorded + 1)",
                                    adjusts: adjusts, granted: entry.net, due: due, explanationZH: "", explanationEN: "")
        explain(&adjustment, entry: entry, month: month, changes: changes(since: entry.latestSeq, before: entitlement.date, events: events, context: context))
        return adjustment
    }

    /// What changed the entitlement since its latest grant: the worker's events recorded after it and dated on or
    /// before the entitlement's date, and the reversals recorded after it of such events.
    static func changes(since seq: Int64, before date: LocalDate, events: [StoredEvent], context: RulesContext) -> [String] {
        var result: [String] = []
        for stored in events where stored.event.occurredOn <= date {
            if let reversal = context.inForce.reversedBy[stored.event.id] {
                if (context.reversalSeq[reversal] ?? 0) > seq { result.append(reversal) }
            } else if stored.seq > seq {
                result.append(stored.event.id)
            }
        }
        return result
    }

    static func explain(_ adjustment: inout Adjustment, entry: RulesContext.GrantedEntry, month: Month, changes: [String]) {
        let entitlement = adjustment.entitlement
        let arrears = adjustment.difference.fen > 0
        let magnitude = Money(fen: abs(adjustment.difference.fen)).yuanString
        let now = "\(entitlement.policy)@\(entitlement.version)"
        var causesZH: [String] = [], causesEN: [String] = []
        if let before = entry.latestVersion, before != entitlement.version {
            causesZH.append("政策版本 \(entitlement.policy)@\(before) → \(entitlement.version)")
            causesEN.append("policy version \(entitlement.policy)@\(before) → \(entitlement.version)")
        }
        if !changes.isEmpty {
            let named = changes.prefix(5).joined(separator: ", ") + (changes.count > 5 ? " (+\(changes.count - 5))" : "")
            causesZH.append("发放后记录的事件 \(named)")
            causesEN.append("events recorded after the grant: \(named)")
        }
        if causesZH.isEmpty {
            causesZH.append("按今日台账重新计算")
            causesEN.append("recomputed under today's ledger")
        }
        let granted = entry.firstPeriod.map { first in
            entry.latestPeriod.map { $0 == first ? "\(first)" : "\(first)…\($0)" } ?? "\(first)"
        } ?? "?"
        adjustment.explanationZH = (arrears ? "补发" : "追回") + "：\(entitlement.rule) \(entitlement.period) 月份应享（\(entitlement.id)）"
            + "已发放 \(adjustment.granted.yuanString) 元（\(granted) 发放），按 \(now) 现应发 \(adjustment.due.yuanString) 元，"
            + (arrears ? "补发" : "追回") + " \(magnitude) 元，记入 \(month)；原因：\(causesZH.joined(separator: "；"))"
        adjustment.explanationEN = (arrears ? "arrears" : "recovery") + ": \(entitlement.rule) for \(entitlement.period) (\(entitlement.id))"
            + " was granted \(adjustment.granted.yuanString) yuan (in \(granted)), is due \(adjustment.due.yuanString) yuan under \(now); "
            + "\(magnitude) yuan " + (arrears ? "paid in arrears" : "recovered") + " in \(month); changed by \(causesEN.joined(separator: "; "))"
    }

    /// The `subsidy.granted` event that records an adjustment in `month`.
    static func event(_ adjustment: Adjustment, jurisdiction: JurisdictionCode, month: Month) -> Event {
        let entitlement = adjustment.entitlement
        return Event(id: adjustment.id, kind: .subsidyGranted, occurredOn: month.lastDay,
                     source: jurisdiction.isNational ? "national" : jurisdiction.value, data: EventData([
            ("rule", .text(entitlement.rule)), ("policy", .text(entitlement.policy)), ("version", .text(entitlement.version)),
            ("period", .month(month)), ("payee", Granting.payeeValue(entitlement.payee)), ("amount", .money(adjustment.difference)),
            ("evidence", .list(entitlement.evidence)), ("explanation", .text(String(adjustment.explanation.prefix(2_000)))),
            ("entitlement", .text(entitlement.id)), ("jurisdiction", .text(jurisdiction.value)), ("adjusts", .text(adjustment.adjusts)),
        ]))
    }

    /// The adjustments the next `grant` of `month` would record for `jurisdiction` (the dry run `entitlements` lists
    /// them): computed for the workers `MonthEndScope.settlement` names, and only when the jurisdiction has grants to
    /// settle.
    public static func pending(_ store: any LedgerStorage, jurisdiction: JurisdictionCode, month: Month,
                               progress: ((Int) -> Void)? = nil) async throws -> [Adjustment] {
        let context = try await RulesContext.load(store)
        guard let scope = try await scope(store, context: context, jurisdiction: jurisdiction, month: month) else { return [] }
        return try await pending(store, context: context, scope: scope, jurisdiction: jurisdiction, month: month, progress: progress)
    }

    /// Which workers `pending` computes: nil when the jurisdiction has no grant up to `month` (nothing to settle).
    public static func scope(_ store: any LedgerStorage, context: RulesContext, jurisdiction: JurisdictionCode,
                             month: Month) async throws -> MonthEndScope? {
        let grants = context.grants
        let within = grants.jurisdictionNumbers(within: jurisdiction)
        let hasGrants = grants.indices.contains { position in
            grants.periods[position] != GrantTable.unreadable32 && Int(grants.periods[position]) <= month.index && within[Int(grants.jurisdictions[position])]
        }
        guard hasGrants else { return nil }
        return try await MonthEndScope.settlement(store, context: context, jurisdiction: jurisdiction)
    }

    /// The same with the context and scope known.
    public static func pending(_ store: any LedgerStorage, context: RulesContext, scope: MonthEndScope, jurisdiction: JurisdictionCode,
                               month: Month, progress: ((Int) -> Void)? = nil) async throws -> [Adjustment] {
        var result: [Adjustment] = []
        /// Whether the entitlement needs an adjustment (added to `result`).
        func settle(_ entitlement: Entitlement, _ events: [StoredEvent], _ entry: RulesContext.GrantedEntry?) -> Bool {
            guard let entry, entry.net.fen != 0,
                  let adjustment = adjustment(entitlement, entry: entry, month: month, context: context, events: events)
            else { return false }
            result.append(adjustment)
            return true
        }
        let window = Month(index: 0)...month
        if let workers = scope.workers {
            // A few workers: each entitlement's grants are found through its evidence (`GrantIndex`, as `grant` finds
            // them), so each worker is settled as it is computed and nothing is held but the adjustments. Granted
            // entitlements are computed unexplained (`Explaining`); the few an adjustment lists are explained
            // afterwards, one computation per worker, because the list prints their parameters.
            guard !workers.isEmpty else { return [] }
            let index = GrantIndex(context)
            var eventsOf: [String: [StoredEvent]] = [:]
            try await EntitlementEngine.forEachOutcome(store, context: context, only: workers, window: window,
                                                       explaining: .notGranted(context.grantedEntitlementIDs), progress: progress) { outcome in
                for entitlement in outcome.entitlements where jurisdiction.contains(entitlement.jurisdiction)
                    && settle(entitlement, outcome.events, index.entry(for: entitlement)) {
                    eventsOf[entitlement.worker] = outcome.events
                }
            }
            let explained = EntitlementEngine.explained(eventsOf, context: context, window: window)
            for index in result.indices {
                if let full = explained[result[index].entitlement.id] { result[index].entitlement = full }
            }
        } else {
            let grantedByEntitlement = context.grantedByEntitlement
            try await EntitlementEngine.forEachOutcome(store, context: context, window: window, progress: progress) { outcome in
                for entitlement in outcome.entitlements where jurisdiction.contains(entitlement.jurisdiction) {
                    _ = settle(entitlement, outcome.events, grantedByEntitlement[entitlement.id])
                }
            }
        }
        return result.sorted { ($0.entitlement.payee, $0.entitlement.period, $0.id) < ($1.entitlement.payee, $1.entitlement.period, $1.id) }
    }
}
