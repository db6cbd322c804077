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
    let registration: WorkerAttributes

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
        var kept = events.filter { inForce.isInForce($0.event) }
        kept.sort { ($0.event.occurredOn, $0.seq) < ($1.event.occurredOn, $1.seq) }
        self.events = kept
        registration = WorkerAttributes(kept, inForce: inForce)
        outcome = WorkerOutcome(worker: worker)
    }

    /// The worker's attributes as of a date, as the `worker` record expressions see (the rule of `WorkerAttributes`).
    func attributes(on date: LocalDate) -> [Value] {
        var result = [Value](repeating: .null, count: WorkerLayout.names.count)
        result[WorkerLayout.id] = .string(worker)
        registration.forEachEffective(on: date) { event in
            for field in event.data.fields {
                if let slot = WorkerLayout.slot(field.name) { result[slot] = Value(field.value) }
            }
        }
        return result
    }

    /// `attributes(on:)["jurisdiction"]` without building the record: the last effective event that states a
    /// jurisdiction wins.
    func jurisdictionCode(on date: LocalDate) -> String? {
        var result: String?
        registration.forEachEffective(on: date) { event in result = event.data.text("jurisdiction") ?? result }
        return result
    }

    mutating func run() -> WorkerOutcome {
        for stored in events {
            let event = stored.event
            if event.kind == .creditEarned, let credits = event.data.credits("credits") {
                outcome.credits.append(CreditMovement(event: event.id, date: event.occurredOn, credits: credits,
                                                      sourceKind: event.data.text("source_kind") ?? "other", rule: nil))
            }
            guard policies.triggerKinds.contains(event.kind) else { continue }
            guard let code = jurisdictionCode(on: event.occurredOn), let jurisdiction = try? JurisdictionCode(code) else { continue }
            let packs = policies.inForce(on: event.occurredOn, for: jurisdiction)
            // Records are built only when a pack in force here has a rule on this kind (most events have none).
            guard let layout = Self.layout(of: event.kind, in: packs) else { continue }
            let records = EventRecords(event: layout.record(of: event), worker: attributes(on: event.occurredOn))
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
