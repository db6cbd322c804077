import Ledger
import SkillsDomain

/// Computes one worker's entitlements, exclusions and credits over their whole history, so that limits hold across
/// years: once per occupation and level, no lower level after a higher one, per-year counts and caps (earliest
/// first), once-in-a-lifetime honours, exclusive subsidies (larger wins). Reversed events and revoked certificates
/// count for nothing.
struct WorkerEngine {
    let policies: PolicySet
    let worker: String
    /// Events in force, in the order things happened (date, then recording order).
    let events: [StoredEvent]
    /// The worker's attributes between the dates of their registration and changes.
    let timeline: AttributeTimeline

    /// The months whose entitlements the caller reads (nil: all). Others still count for limits and still report
    /// problems, but are not built (id, parameters, explanation) nor returned.
    let window: ClosedRange<Month>?
    /// Which of those get their parameters and explanation (the rest carry id, amount and evidence only).
    let explaining: Explaining

    var outcome: WorkerOutcome
    var state = LimitState()

    /// `inForce` tells the reversals (ledger-wide); the worker's own revocations are added to a copy of it.
    init(policies: PolicySet, worker: String, events: [StoredEvent], inForce reversals: EventsInForce, window: ClosedRange<Month>? = nil,
         explaining: Explaining = .all) {
        self.policies = policies
        self.worker = worker
        self.window = window
        self.explaining = explaining
        var inForce = reversals
        for stored in events where stored.event.kind == .certificationRevoked { inForce.note(stored.event) }
        // Most histories are wholly in force and already in date order: kept as given, the array is shared, not
        // copied event by event (checked by index, so that no event is copied to be looked at).
        var kept = events
        if events.indices.contains(where: { !inForce.isInForce(events[$0].event) }) { kept = events.filter { inForce.isInForce($0.event) } }
        if kept.indices.dropFirst().contains(where: { (kept[$0].event.occurredOn, kept[$0].seq) < (kept[$0 - 1].event.occurredOn, kept[$0 - 1].seq) }) {
            kept.sort { ($0.event.occurredOn, $0.seq) < ($1.event.occurredOn, $1.seq) }
        }
        self.events = kept
        timeline = AttributeTimeline(WorkerAttributes(kept, inForce: inForce), worker: worker)
        outcome = WorkerOutcome(worker: worker)
    }

    /// The worker's attributes as of a date, as the `worker` record expressions see (the rule of `WorkerAttributes`).
    func attributes(on date: LocalDate) -> [Value] { timeline.records[timeline.state(on: date)] }

    mutating func run() -> WorkerOutcome {
        // The packs in force for the last epoch and jurisdiction asked about: a worker's events mostly fall in one.
        var last: (epoch: Int, jurisdiction: JurisdictionCode, packs: [PolicyPack])?
        for stored in events {
            let event = stored.event
            if event.kind == .creditEarned, let credits = event.data.credits("credits") {
                outcome.credits.append(CreditMovement(event: event.id, date: event.occurredOn, credits: credits,
                                                      sourceKind: event.data.text("source_kind") ?? "other", rule: nil))
            }
            guard policies.triggerKinds.contains(event.kind) else { continue }
            let attributes = timeline.state(on: event.occurredOn)
            guard let jurisdiction = timeline.jurisdictions[attributes] else { continue }
            let epoch = policies.epoch(of: event.occurredOn)
            let packs: [PolicyPack]
            if let last, last.epoch == epoch, last.jurisdiction == jurisdiction {
                packs = last.packs
            } else {
                packs = policies.inForce(epoch: epoch, on: event.occurredOn, for: jurisdiction)
                last = (epoch, jurisdiction, packs)
            }
            // Records are built only when a pack in force here has a rule on this kind (most events have none).
            guard let layout = Self.layout(of: event.kind, in: packs) else { continue }
            let records = EventRecords(event: layout.record(of: event), worker: timeline.records[attributes])
            credit(stored, packs: packs, records: records)
            entitle(stored, packs: packs, jurisdiction: jurisdiction, records: records)
        }
        return outcome
    }

    func wanted(_ period: Month) -> Bool { window?.contains(period) ?? true }

    /// Whether an entitlement returned gets its parameters and explanation.
    func explains(_ id: String) -> Bool {
        switch explaining {
        case .all: true
        case .notGranted(let granted): !granted.contains(id)
        }
    }

    /// The record layout of the kind's trigger, from the first rule in these packs that it triggers; nil when none.
    static func layout(of kind: EventKind, in packs: [PolicyPack]) -> RecordLayout? {
        for pack in packs {
            if let index = pack.rules.firstIndex(where: { $0.trigger == kind }) { return pack.rules[index].eventLayout }
            if let index = pack.creditRules.firstIndex(where: { $0.trigger == kind }) { return pack.creditRules[index].eventLayout }
        }
        return nil
    }

    /// What a pack's expressions read, from records already built once for the event (several rules read the same
    /// event).
    func frame(_ eventRecord: [Value], worker: [Value], pack: PolicyPack, date: LocalDate) -> Frame {
        Frame(event: eventRecord, worker: worker, params: pack.parameterValues(on: date))
    }

    mutating func credit(_ stored: StoredEvent, packs: [PolicyPack], records: EventRecords) {
        for pack in packs {
            for rule in pack.creditRules where rule.trigger == stored.event.kind {
                let frame = frame(records.event, worker: records.worker, pack: pack, date: stored.event.occurredOn)
                do {
                    if let condition = rule.condition, try condition.evaluate(frame) != .bool(true) { continue }
                    guard case .credits(let credits) = try rule.credits.evaluate(frame), credits.tenths != 0 else { continue }
                    let sourceKind = stored.event.kind == .trainingCompleted ? "course" : stored.event.kind == .certificationAwarded ? "certificate" : "other"
                    outcome.credits.append(CreditMovement(event: stored.event.id, date: stored.event.occurredOn, credits: credits,
                                                          sourceKind: sourceKind, rule: "\(pack.id)/\(rule.id)"))
                } catch {
                    outcome.problems.append("\(pack.id)/\(rule.id) on \(stored.event.id): \(error)")
                }
            }
        }
    }

    /// Evaluates every money or designation rule the event triggers, then settles exclusive groups.
    mutating func entitle(_ stored: StoredEvent, packs: [PolicyPack], jurisdiction: JurisdictionCode, records: EventRecords) {
        var candidates: [Candidate] = []
        for pack in packs {
            for rule in pack.rules where rule.trigger == stored.event.kind {
                do {
                    if rule.accrual != nil {
                        try accrue(stored, rule: rule, pack: pack)
                    } else if let candidate = try evaluate(rule, pack: pack, stored: stored, jurisdiction: jurisdiction, records: records) {
                        candidates.append(candidate)
                    }
                } catch {
                    outcome.problems.append("\(pack.id)/\(rule.id) on \(stored.event.id): \(error)")
                }
            }
        }
        settle(candidates)
    }
}

/// A worker's attributes as `WorkerAttributes` gives them on a date, made once per worker for every number of
/// changes that can apply: the changes in force are in date order, so those on or before a date are the first few,
/// and an event reads its worker's record and jurisdiction after a few date comparisons, without going through the
/// registration's fields or parsing a jurisdiction code again.
struct AttributeTimeline {
    /// The dates of the registration and changes in force, in order.
    let dates: [LocalDate]
    /// The `worker` record when the first `n` changes apply.
    let records: [[Value]]
    /// The jurisdiction when the first `n` changes apply: the last effective event that states one wins.
    let jurisdictions: [JurisdictionCode?]

    init(_ registration: WorkerAttributes, worker: String) {
        let changes = registration.changes
        let first = changes.firstIndex { $0.event.kind == .workerRegistered }
        dates = changes.map(\.event.occurredOn)
        var records: [[Value]] = [], jurisdictions: [JurisdictionCode?] = []
        for applying in 0...changes.count {
            var record = [Value](repeating: .null, count: WorkerLayout.names.count)
            record[WorkerLayout.id] = .string(worker)
            var code: String?
            func apply(_ event: Event) {
                for field in event.data.fields {
                    if let slot = WorkerLayout.slot(field.name) { record[slot] = Value(field.value) }
                }
                code = event.data.text("jurisdiction") ?? code
            }
            // Before the registration's own date, the registration's attributes hold (`forEachEffective`).
            if let first, first >= applying { apply(changes[first].event) }
            for change in changes[..<applying] { apply(change.event) }
            records.append(record)
            jurisdictions.append(code.flatMap { try? JurisdictionCode($0) })
        }
        self.records = records
        self.jurisdictions = jurisdictions
    }

    /// How many changes apply on a date.
    func state(on date: LocalDate) -> Int {
        var applying = 0
        while applying < dates.count, dates[applying] <= date { applying += 1 }
        return applying
    }
}

/// Which entitlements the engine explains (parameters used and the sentence in both languages): building them is most
/// of the work of an entitlement, and a caller that only compares amounts does not read them.
public enum Explaining: Sendable {
    /// Every entitlement returned (`entitlements`, a worker's page, settlement's adjustments, which show the
    /// parameters).
    case all
    /// Those not granted yet (`grant`: a granted one is only compared with what was granted; the rare one granted
    /// and clawed back to nothing that is due again is explained again before it is granted, `Granting`).
    case notGranted(GrantedEntitlements)
}

/// The records of one event and of the worker on its date, built once for all the rules that read them.
struct EventRecords {
    var event: [Value]
    var worker: [Value]
}

/// A rule that would pay for an event, before exclusive groups are settled.
struct Candidate {
    var rule: Rule
    var entitlement: Entitlement
    var trigger: Event
}
