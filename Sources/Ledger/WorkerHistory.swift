import GRDB
import SkillsDomain

/// One person's history as the ledger tells it: attributes over time, certificates by occupation and level, explicit
/// credits, and every event with who recorded it. Reversed events are kept and marked, never hidden.
public struct WorkerHistory: Sendable {
    public var pseudonym: String
    public var registry: RegistryEntry?
    public var timeline: [StoredEvent]
    /// Event id → the id of the event.reversed that cancels it.
    public var reversedBy: [String: String]
    /// Certificate number → the certification.revoked event.
    public var revokedCertificates: [String: String]

    public init(pseudonym: String, registry: RegistryEntry?, timeline: [StoredEvent], reversals: [StoredEvent]) {
        self.pseudonym = pseudonym
        self.registry = registry
        self.timeline = timeline
        var reversedBy: [String: String] = [:]
        for reversal in reversals { if let target = reversal.event.data.text("target") { reversedBy[target] = reversal.event.id } }
        self.reversedBy = reversedBy
        var revoked: [String: String] = [:]
        for stored in timeline where stored.event.kind == .certificationRevoked && reversedBy[stored.event.id] == nil {
            if let certificate = stored.event.data.text("certificate") { revoked[certificate] = stored.event.id }
        }
        revokedCertificates = revoked
    }

    /// Whether an event still counts: not reversed.
    public func isInForce(_ event: Event) -> Bool { reversedBy[event.id] == nil }

    /// Certificates in force, by occupation, highest level first.
    public var certificates: [(occupation: String, name: String, level: SkillLevel, certificate: String, awardedOn: LocalDate, eventID: String, inForce: Bool)] {
        timeline.compactMap { stored in
            let event = stored.event
            guard event.kind == .certificationAwarded, let level = event.data.level("level"), let occupation = event.data.text("occupation"),
                  let certificate = event.data.text("certificate") else { return nil }
            let inForce = isInForce(event) && revokedCertificates[certificate] == nil
            return (occupation, event.data.text("occupation_name") ?? "", level, certificate, event.occurredOn, event.id, inForce)
        }.sorted { ($0.occupation, -$0.level.rank, $0.awardedOn) < ($1.occupation, -$1.level.rank, $1.awardedOn) }
    }

    /// The worker's attributes (jurisdiction, employer, insured_since, migrant, frontline) as of a date, from
    /// `worker.registered` and the `worker.changed` events effective on or before it.
    public func attributes(asOf date: LocalDate) -> EventData {
        var result = EventData()
        let changes = timeline.filter { ($0.event.kind == .workerRegistered || $0.event.kind == .workerChanged) && isInForce($0.event) && $0.event.occurredOn <= date }
            .sorted { ($0.event.occurredOn, $0.seq) < ($1.event.occurredOn, $1.seq) }
        for change in changes { for field in change.event.data.fields { result[field.name] = field.value } }
        return result
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
