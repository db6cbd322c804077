import Ledger
import SkillsDomain

/// What the engine reads from the ledger besides workers' own events: the adopted packs, every reversal, the closed
/// months and the grants made so far.
public struct RulesContext: Sendable {
    public var policies: PolicySet
    /// The events cancelled by an event.reversed.
    public var inForce: EventsInForce
    public var closed: ClosedPeriods
    /// Every `subsidy.granted` event, by the few fields the engine and the audits read (in recording order).
    public var grants: [GrantRecord]

    /// A grant as the engine needs it, read by projection: its explanation and evidence are never decoded.
    public struct GrantRecord: Sendable {
        public var id: String
        public var entitlement: String?
        public var amount: Money?
        public var period: Month?
        public var jurisdiction: String?
    }

    /// Loads the context in one scan; packs are re-read from the exact text recorded by `policy adopt`. Grants are
    /// projected in SQL, so that the cost does not grow with each month granted as decoding them all did.
    public static func load(_ store: LedgerStore) throws -> RulesContext {
        var adoptions: [String] = []
        var inForce = EventsInForce()
        var grants: [GrantRecord] = []
        try store.forEachRulesInput { row in
            switch row.kind {
            case .policyAdopted: adoptions.append(row.id)
            case .eventReversed: if let target = row.target { inForce.noteReversal(row.id, of: target) }
            default:
                grants.append(GrantRecord(id: row.id, entitlement: row.target, amount: row.amount.flatMap { try? Money(yuan: $0) },
                                          period: row.period.flatMap { try? Month(parsing: $0) }, jurisdiction: row.jurisdiction))
            }
        }
        let closed = try store.read { db in try ClosedPeriods.load(db) }
        return RulesContext(policies: PolicySet(try packs(store, adoptions)), inForce: inForce, closed: closed, grants: grants)
    }

    static func packs(_ store: LedgerStore, _ adoptions: [String]) throws -> [PolicyPack] {
        try adoptions.compactMap { try store.event(id: $0) }.map { stored in
            let data = stored.event.data
            let name = "\(data.text("policy") ?? "?")@\(data.text("version") ?? "?") (adopted as \(stored.event.id))"
            do { return try PackLoader.load(text: data.text("text") ?? "", file: name) } catch {
                throw LedgerError.integrity(IntegrityFailure(seq: stored.seq, eventID: stored.event.id,
                                                             reason: "the adopted pack no longer loads: \(error)"))
            }
        }
    }

    /// The grants in force of one entitlement: how many paid out (positive), the latest of those, and the net.
    public struct GrantedEntry: Sendable {
        public var positiveGrants = 0
        public var latestPositive: String?
        public var net = Money.zero
    }

    /// Grants in force (not reversed), by entitlement id, with clawbacks applied: the net amount granted.
    public var grantedByEntitlement: [String: GrantedEntry] {
        var result: [String: GrantedEntry] = [:]
        for grant in grants where !inForce.isReversed(grant.id) {
            guard let entitlement = grant.entitlement, let amount = grant.amount else { continue }
            result[entitlement, default: GrantedEntry()].net += amount
            if amount.fen > 0 {
                result[entitlement]!.positiveGrants += 1
                result[entitlement]!.latestPositive = grant.id
            }
        }
        return result
    }
}

/// Runs the engine over the ledger's workers.
public enum EntitlementEngine {
    /// Every worker's outcome, one worker at a time (memory stays bounded by the largest worker's history).
    /// With `only`, just those workers (see `candidates`).
    /// With `window`, only entitlements of those months are built and returned (limits still see everything).
    public static func forEachOutcome(_ store: LedgerStore, context: RulesContext, only: Set<String>? = nil,
                                      window: ClosedRange<Month>? = nil, progress: ((Int) -> Void)? = nil,
                                      _ body: (WorkerOutcome) throws -> Void) throws {
        var done = 0
        let run: (String, [StoredEvent]) throws -> Void = { worker, events in
            var engine = WorkerEngine(policies: context.policies, worker: worker, events: events, inForce: context.inForce, window: window)
            try body(engine.run())
            done += 1
            progress?(done)
        }
        if let only { try store.forEachWorker(in: only, run) } else { try store.forEachWorker(run) }
    }

    /// One worker's outcome.
    public static func outcome(_ store: LedgerStore, context: RulesContext, worker: String) throws -> WorkerOutcome {
        let own = try store.events(person: worker).filter { $0.event.worker?.token == worker }
        var engine = WorkerEngine(policies: context.policies, worker: worker, events: own, inForce: context.inForce)
        return engine.run()
    }

    /// The month an entitlement falls in for a jurisdiction: its own month, or, if that month was closed before it
    /// was granted (late evidence), the first open month after it.
    public static func effectivePeriod(_ entitlement: Entitlement, jurisdiction: JurisdictionCode, context: RulesContext,
                                       granted: Set<String>) -> Month {
        var month = entitlement.period
        guard !granted.contains(entitlement.id) else { return month }
        var steps = 0
        while context.closed.isClosed(jurisdiction, month) && steps < 600 {
            month = month.adding(1)
            steps += 1
        }
        return month
    }

    /// The workers whose entitlements can fall in a month: those with a triggering event in it (or in the closed
    /// months just before it, whose late entitlements land in it), and everyone with an accruing event before its end.
    /// Limits still see each candidate's whole history; the others cannot have anything in that month.
    public static func candidates(_ store: LedgerStore, context: RulesContext, jurisdiction: JurisdictionCode, month: Month) throws -> Set<String> {
        let first = firstMonth(context: context, jurisdiction: jurisdiction, month: month)
        let rules = context.policies.packs.flatMap(\.rules)
        let triggers = Set(rules.filter { $0.accrual == nil }.map(\.trigger))
        let accruing = Set(rules.filter { $0.accrual != nil }.map(\.trigger))
        return try store.workers(withEventsOf: triggers, from: first.firstDay, through: month.lastDay)
            .union(store.workers(withEventsOf: accruing, from: nil, through: month.lastDay))
    }

    /// The earliest month whose entitlements can land in `month`: the closed months just before it carry theirs over.
    static func firstMonth(context: RulesContext, jurisdiction: JurisdictionCode, month: Month) -> Month {
        var first = month
        while context.closed.isClosed(jurisdiction, first.adding(-1)) && month.index - first.index < 600 { first = first.adding(-1) }
        return first
    }

    /// The entitlements arising in a month for a jurisdiction (SPEC.md `entitlements`), sorted by payee and rule.
    /// `progress` is told the workers computed so far and how many the month concerns.
    public static func entitlements(_ store: LedgerStore, jurisdiction: JurisdictionCode, month: Month,
                                    progress: ((_ done: Int, _ total: Int) -> Void)? = nil) throws -> (entitlements: [Entitlement], problems: [String]) {
        let context = try load(store)
        let granted = Set(context.grantedByEntitlement.keys)
        var result: [Entitlement] = []
        var problems: [String] = []
        let candidates = try candidates(store, context: context, jurisdiction: jurisdiction, month: month)
        let window = firstMonth(context: context, jurisdiction: jurisdiction, month: month)...month
        let total = candidates.count
        try forEachOutcome(store, context: context, only: candidates, window: window, progress: progress.map { report in { report($0, total) } }) { outcome in
            problems += outcome.problems
            for entitlement in outcome.entitlements where jurisdiction.contains(entitlement.jurisdiction)
                && effectivePeriod(entitlement, jurisdiction: jurisdiction, context: context, granted: granted) == month {
                result.append(entitlement)
            }
        }
        return (result.sorted { ($0.payee, $0.rule, $0.id) < ($1.payee, $1.rule, $1.id) }, problems)
    }

    static func load(_ store: LedgerStore) throws -> RulesContext { try RulesContext.load(store) }
}
