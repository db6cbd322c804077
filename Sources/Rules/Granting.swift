import Ledger
import SkillsDomain

/// Turns a month's entitlements into `subsidy.granted` events (`grant`): each entitlement once, lapsed ones
/// (more than 12 months old) not at all, and a clawback (negative grant) for each granted entitlement whose evidence
/// was since reversed or revoked. Before granting, it settles changed history (`Settlement`): each entitlement granted
/// before whose amount due changed gets a signed adjustment. Running it twice grants nothing new.
public enum Granting {
    /// An entitlement may be granted in its month or up to this many months later.
    public static let lapseMonths = 12

    /// What a run did. Grants are streamed into the ledger as they are computed, so only their ids are kept (packed,
    /// for the CLI's list) with counts and totals: memory does not grow with an `Event` per grant.
    public struct Result: Sendable {
        /// Ids of the grants made, in recording order.
        public var granted = PackedStrings()
        /// The sum of the grants made, in fen.
        public var grantedTotal = Money.zero
        /// Clawbacks are few (withdrawn evidence): kept whole.
        public var clawbacks: [Event] = []
        /// Entitlements not granted because more than `lapseMonths` old.
        public var lapsed = 0
        /// Entitlements due that were granted by an earlier run (nothing recorded for them).
        public var alreadyGranted = 0
        /// Entitlements due that carry no money (designations such as the talent pool): counted, never granted.
        public var designations = 0
        /// Rules that could not be evaluated for some worker (e.g. division by zero), one line each.
        public var problems: [String] = []
        /// Entitlements due but held back by a public notice or an open objection (`NoticeBook.hold`).
        public var held: [NoticeBook.Hold] = []
        /// Settlement adjustments recorded (补发 positive, 追回 negative): ids, and their signed sum.
        public var adjustments = PackedStrings()
        /// The signed sum of the adjustments, in fen.
        public var adjustmentTotal = Money.zero
        /// Which workers were computed and why (`MonthEndScope`): the counts above cover those workers only.
        public var scope = MonthEndScope.everyone("")
        /// How many workers were computed.
        public var computed = 0

        /// The sum of the clawbacks' amounts (negative), in fen.
        public var clawbackTotal: Money { clawbacks.compactMap { $0.data.money("amount") }.sum() }
    }

    /// `progress` is told the workers computed so far. `runDate` (default: today, UTC) decides whether a public
    /// notice has ended. Only the workers whose outcome can have changed since the jurisdiction's last grant run are
    /// computed (`MonthEndScope`), unless `allWorkers`; `Result.scope` says which.
    public static func grant(_ store: any LedgerStorage, jurisdiction: JurisdictionCode, month: Month, operatorName: String,
                             runDate: LocalDate? = nil, allWorkers: Bool = false, scoped: ((MonthEndScope) -> Void)? = nil,
                             progress: ((Int) -> Void)? = nil) async throws -> Result {
        var attempt = 0
        while true {
            attempt += 1
            do {
                return try await grantOnce(store, jurisdiction: jurisdiction, month: month, operatorName: operatorName, runDate: runDate,
                                           allWorkers: allWorkers || attempt > 3, scoped: scoped, progress: progress)
            } catch is StaleContext {
                continue
            }
        }
    }

    static func grantOnce(_ store: any LedgerStorage, jurisdiction: JurisdictionCode, month: Month, operatorName: String,
                          runDate: LocalDate?, allWorkers: Bool, scoped: ((MonthEndScope) -> Void)?,
                          progress: ((Int) -> Void)?) async throws -> Result {
        let loadedThrough = try await store.digest().count
        let context = try await RulesContext.load(store)
        let book = try await NoticeBook.load(store, inForce: context.inForce)
        let notices = NoticeCheck(book: book, policies: context.policies, runDate: runDate ?? LocalDate.today())
        let plan = try await MonthEndScope.plan(store, context: context, book: book, jurisdiction: jurisdiction, month: month,
                                                loadedThrough: loadedThrough, allWorkers: allWorkers)
        // Built on threads of their own while the batch opens and reads what changed since the last run (at a million
        // grants each is a sort of a million keys): which entitlements were granted, for `Explaining`, and, unless
        // every worker is computed, the grants by their evidence.
        let grantedIDs = BackgroundValue(name: "skills-ledger granted") { context.grantedEntitlementIDs }
        let grantIndex = plan.everyone == nil ? BackgroundValue(name: "skills-ledger grant index") { GrantIndex(context) } : nil
        // Entitlements of later months than any grant made or asked cannot be granted nor withdrawn: not built.
        let latest = max(month, context.grants.latestPeriod ?? month)
        var result = Result()
        // Where a refusal says the grant came from: one string for every grant of the run.
        let origin = "grant \(jurisdiction) \(month)"
        var current = EntitlementIDs()
        // When only some workers are computed, the keys of their events tell which grants may be theirs.
        var computedEvents: [EventKey] = []
        // The workers are read as the ledger was before this batch while the grants stream into it.
        _ = try await store.appendReadingSnapshot(operatorName: operatorName, recordedAt: Timestamp.now(), cache: .standard) { sink, reader in
            let scope = try plan.scope(plan.last.map { try reader.changes(after: $0.seq) } ?? LedgerChanges(after: 0))
            result.scope = scope
            scoped?(scope)
            // Everyone: every entitlement's entry. Some workers: the entries of their entitlements alone, found through
            // the grants' evidence (the entries of a million grants take hundreds of megabytes and seconds).
            let everyEntry = scope.workers == nil ? context.grantedByEntitlement : [:]
            let index = scope.workers == nil ? nil : grantIndex?.value ?? GrantIndex(context)
            func entry(_ entitlement: Entitlement) -> RulesContext.GrantedEntry? { index.map { $0.entry(for: entitlement) } ?? everyEntry[entitlement.id] }
            // A granted entitlement is only compared with what was granted: it is not explained again (`Explaining`).
            let window = Month(index: 0)...latest
            try EntitlementEngine.forEachOutcome(reader, context: context, only: scope.workers, window: window,
                                                 explaining: .notGranted(grantedIDs.value), progress: progress) { outcome in
                result.computed += 1
                if scope.workers != nil { for stored in outcome.events { computedEvents.append(EventKey(stored.event.id)) } }
                result.problems += outcome.problems
                for entitlement in outcome.entitlements where jurisdiction.contains(entitlement.jurisdiction) {
                    // An upheld objection withdraws it like reversed evidence: never granted, clawed back below if it was.
                    if notices.isWithdrawn(entitlement) { continue }
                    let granted = entry(entitlement)
                    let net = granted?.net.fen ?? 0
                    // Only granted entitlements can need a clawback: the set of current ones is kept for those alone.
                    if net > 0 { current.insert(entitlement.id) }
                    let period = EntitlementEngine.effectivePeriod(entitlement, jurisdiction: jurisdiction, context: context, isGranted: net != 0)
                    guard period <= month else { continue }
                    guard let amount = entitlement.amount else { result.designations += 1; continue }
                    if let granted, net != 0 {
                        result.alreadyGranted += 1
                        try settle(entitlement, entry: granted, outcome: outcome, context: context, month: month, jurisdiction: jurisdiction,
                                   origin: origin, sink: &sink, result: &result)
                        continue
                    }
                    guard month.index - period.index <= lapseMonths else { result.lapsed += 1; continue }
                    if let hold = notices.hold(entitlement) { result.held.append(hold); continue }
                    let explained = EntitlementEngine.explained(entitlement, of: outcome, context: context, window: window)
                    let event = grantEvent(explained, amount: amount, jurisdiction: jurisdiction, month: month, round: granted?.grantsRecorded ?? 0)
                    try sink.add(Submission(event: event, origin: origin))
                    result.granted.append(event.id)
                    result.grantedTotal += amount
                }
            }
            // A worker not computed has nothing recorded since the last run: their grants stand.
            var withdrawn: [(String, RulesContext.GrantedEntry)] = []
            func consider(_ entitlementID: String, _ entry: RulesContext.GrantedEntry) {
                if entry.net.fen > 0 && !current.contains(entitlementID) { withdrawn.append((entitlementID, entry)) }
            }
            if let index { index.forEachEntry(evidencedBy: computedEvents, skipping: current, consider) } else { everyEntry.forEach(consider) }
            for (_, entry) in withdrawn.sorted(by: { $0.0 < $1.0 }) {
                guard let originalID = entry.latestPositive, let original = try reader.event(id: originalID),
                      let grantJurisdiction = original.event.data.text("jurisdiction"),
                      (try? JurisdictionCode(grantJurisdiction)).map(jurisdiction.contains) ?? false
                else { continue }
                // A key may match another worker's event: the grant's first evidence must be a computed worker's.
                if let workers = scope.workers {
                    guard let first = original.event.data.list("evidence")?.first, let evidence = try reader.event(id: first),
                          let worker = evidence.event.worker?.token, workers.contains(worker) else { continue }
                }
                let event = clawback(of: original, net: entry.net, jurisdiction: jurisdiction, month: month)
                try sink.add(Submission(event: event, origin: origin))
                result.clawbacks.append(event)
            }
        }
        return result
    }

    /// The public-notice check the grant loop makes for each entitlement (SPEC.md "Public notice"), kept apart from
    /// the loop so that the loop's other checks stay independent of it.
    struct NoticeCheck {
        let book: NoticeBook
        let policies: PolicySet
        let runDate: LocalDate

        func isWithdrawn(_ entitlement: Entitlement) -> Bool { book.isWithdrawn(entitlement.id) }

        func hold(_ entitlement: Entitlement) -> NoticeBook.Hold? {
            book.hold(entitlement.id, noticeDays: policies.noticeDays(for: entitlement), on: runDate)
        }
    }

    /// Records the settlement adjustment a granted entitlement needs, if any.
    static func settle(_ entitlement: Entitlement, entry: RulesContext.GrantedEntry, outcome: WorkerOutcome, context: RulesContext,
                       month: Month, jurisdiction: JurisdictionCode, origin: String, sink: inout AppendSink, result: inout Result) throws {
        guard let adjustment = Settlement.adjustment(entitlement, entry: entry, month: month, context: context, events: outcome.events)
        else { return }
        try sink.add(Submission(event: Settlement.event(adjustment, jurisdiction: jurisdiction, month: month), origin: origin))
        result.adjustments.append(adjustment.id)
        result.adjustmentTotal += adjustment.difference
    }

    static func payeeValue(_ payee: String) -> FieldValue {
        PersonRef.isPseudonym(payee) ? .person(.pseudonym(payee)) : .text(payee)
    }
    static func grantEvent(_ entitlement: Entitlement, amount: Money, jurisdiction: JurisdictionCode, month: Month, round: Int) -> Event {
        let id = "grant:" + entitlement.id + (round > 0 ? ":\(round + 1)" : "")
        return Event(id: id, kind: .subsidyGranted, occurredOn: month.lastDay, source: jurisdiction.isNational ? "national" : jurisdiction.value, data: EventData([
            ("rule", .text(entitlement.rule)), ("policy", .text(entitlement.policy)), ("version", .text(entitlement.version)),
            ("period", .month(month)), ("payee", payeeValue(entitlement.payee)), ("amount", .money(amount)),
            ("evidence", .list(entitlement.evidence)), ("explanation", .text(explanation(entitlement.explanation))),
            ("entitlement", .text(entitlement.id)), ("jurisdiction", .text(jurisdiction.value)),
        ]))
    }

    /// A grant keeps at most 2,000 characters of its explanation. An explanation of at most 2,000 bytes of UTF-8 has
    /// at most as many characters, and is kept whole without walking its characters (every grant's, at month end).
    static func explanation(_ text: String) -> String {
        text.utf8.count <= 2_000 ? text : String(text.prefix(2_000))
    }

    static func clawback(of grant: StoredEvent, net: Money, jurisdiction: JurisdictionCode, month: Month) -> Event {
        let data = grant.event.data
        let explanation = "追回：\(grant.event.id) 的依据已被冲正或撤销 / clawback: the evidence of \(grant.event.id) was reversed or revoked"
        return Event(id: "claw:" + String(grant.event.id.dropFirst("grant:".count).prefix(58)), kind: .subsidyGranted, occurredOn: month.lastDay,
                     source: grant.event.source, data: EventData([
            ("rule", data["rule"] ?? .text("")), ("policy", data["policy"] ?? .text("")), ("version", data["version"] ?? .text("")),
            ("period", .month(month)), ("payee", data["payee"] ?? .text("")), ("amount", .money(-net)),
            ("evidence", data["evidence"] ?? .list([])), ("explanation", .text(explanation)),
            ("entitlement", data["entitlement"] ?? .text("")), ("jurisdiction", .text(jurisdiction.value)), ("clawback_of", .text(grant.event.id)),
        ]))
    }
}

/// Many short strings (grant ids) in one byte buffer: about their length each, instead of a heap string apiece.
public struct PackedStrings: RandomAccessCollection, Sendable {
    var bytes: [UInt8] = []
    var ends: [Int] = []

    /// An empty list.
    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { ends.count }

    public subscript(position: Int) -> String {
        let start = position == 0 ? 0 : ends[position - 1]
        return String(decoding: bytes[start..<ends[position]], as: UTF8.self)
    }

    /// Adds a string at the end.
    public mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
        ends.append(bytes.count)
    }
}
