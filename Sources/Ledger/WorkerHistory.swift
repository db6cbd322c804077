import GRDB
import SkillsDomain

/// One person's history as the ledger tells it: attributes over time, certificates by occupation and level, explicit
/// credits, and every event with who recorded it. Reversed events are kept and marked, never hidden.
public struct WorkerHistory: Sendable {
    /// The pseudonym that stands for the person in the chain.
    public var pseudonym: String
    /// The person's registry entry (name, 公民身份号码, erasure); nil when the registry has none.
    public var registry: RegistryEntry?
    /// Every event about the person, reversed ones included, in recording order.
    public var timeline: [StoredEvent]
    /// What is in force: the reversals of the timeline's events and the revocations among them.
    public var inForce: EventsInForce

    /// Event id → the id of the event.reversed that cancels it.
    public var reversedBy: [String: String] { inForce.reversedBy }

    /// Builds a history from a person's events and the reversals recorded against them; revocations among the
    /// timeline's events are noted too, so that `isInForce(_:)` answers for certificates.
    public init(pseudonym: String, registry: RegistryEntry?, timeline: [StoredEvent], reversals: [StoredEvent]) {
        self.pseudonym = pseudonym
        self.registry = registry
        self.timeline = timeline
        var inForce = EventsInForce()
        for reversal in reversals { inForce.note(reversal.event) }
        for stored in timeline where stored.event.kind == .certificationRevoked { inForce.note(stored.event) }
        self.inForce = inForce
    }

    /// Whether an event still counts: not reversed (and a certificate's award, not revoked).
    public func isInForce(_ event: Event) -> Bool { inForce.isInForce(event) }

    /// Certificates in force, by occupation, highest level first.
    public var certificates: [(occupation: String, name: String, level: SkillLevel, certificate: String, awardedOn: LocalDate, eventID: String, inForce: Bool)] {
        timeline.compactMap { stored in
            let event = stored.event
            guard event.kind == .certificationAwarded, let level = event.data.level("level"), let occupation = event.data.text("occupation"),
                  let certificate = event.data.text("certificate") else { return nil }
            let inForce = isInForce(event)
            return (occupation, event.data.text("occupation_name") ?? "", level, certificate, event.occurredOn, event.id, inForce)
        }.sorted { ($0.occupation, -$0.level.rank, $0.awardedOn) < ($1.occupation, -$1.level.rank, $1.awardedOn) }
    }

    /// The worker's attributes (jurisdiction, employer, insured_since, migrant, frontline) as of a date, by the rule
    /// of `WorkerAttributes`.
    public func attributes(asOf date: LocalDate) -> EventData {
        WorkerAttributes(timeline, inForce: inForce).attributes(on: date)
    }

    /// Explicit `credit.earned` events in force, summed.
    public var explicitCredits: Credits {
        timeline.filter { $0.event.kind == .creditEarned && isInForce($0.event) }.compactMap { $0.event.data.credits("credits") }
            .reduce(Credits.zero, +)
    }
}

extension LedgerStore {
    /// Everything the ledger holds about one person.
    public func workerHistory(pseudonym: String) throws -> WorkerHistory {
        let timeline = try events(person: pseudonym)
        let ids = Set(timeline.map(\.event.id))
        let reversals = try reversalsTargeting(ids)
        return WorkerHistory(pseudonym: pseudonym, registry: try registryEntry(pseudonym: pseudonym), timeline: timeline, reversals: reversals)
    }

    /// The `event.reversed` events that cancel any of `ids`.
    public func reversalsTargeting(_ ids: Set<String>) throws -> [StoredEvent] {
        guard !ids.isEmpty else { return [] }
        return try read { db in
            var result: [StoredEvent] = []
            for id in ids.sorted() {
                // json_extract stays here only to choose the row (through the index on reversal targets).
                if let row = try Row.fetchOne(db, sql: """
                    SELECT \(LedgerStore.eventColumns) FROM events
                    WHERE kind = 'event.reversed' AND json_extract(data, '$.target') = ?
                    """, arguments: [id]) {
                    result.append(try LedgerStore.storedEvent(row))
                }
            }
            return result
        }
    }
}
