import SkillsDomain

/// A worker's registration attributes (jurisdiction, employer, insured_since, migrant, frontline) over time, from
/// their `worker.registered` and `worker.changed` events in force: the one rule that the `worker` command and the
/// rules engine both read.
///
/// On a date, the attributes are those of every registration and change effective on or before it (a change from its
/// `occurred_on`), applied in the order things happened, ties in recording order, a later field replacing an earlier
/// one. A date before the worker's first registration sees that registration: a roster entry describes the worker
/// even for facts dated before it was keyed in. Reversed events count for nothing.
public struct WorkerAttributes: Sendable {
    /// The registrations and changes in force, by `occurred_on`, then recording order.
    public let changes: [StoredEvent]

    /// From any of the worker's events (other kinds are left out) and what is in force.
    public init(_ events: some Sequence<StoredEvent>, inForce: EventsInForce) {
        changes = events.filter { ($0.event.kind == .workerRegistered || $0.event.kind == .workerChanged) && inForce.isInForce($0.event) }
            .sorted { ($0.event.occurredOn, $0.seq) < ($1.event.occurredOn, $1.seq) }
    }

    /// Calls `body` with each event whose fields make the attributes on `date`, in the order they apply.
    @inlinable
    public func forEachEffective(on date: LocalDate, _ body: (Event) -> Void) {
        if let first = changes.first(where: { $0.event.kind == .workerRegistered }), first.event.occurredOn > date {
            body(first.event)
        }
        for change in changes where change.event.occurredOn <= date { body(change.event) }
    }

    /// The attributes on `date`, as the events' data holds them.
    public func attributes(on date: LocalDate) -> EventData {
        var result = EventData()
        forEachEffective(on: date) { event in
            for field in event.data.fields { result[field.name] = field.value }
        }
        return result
    }
}
