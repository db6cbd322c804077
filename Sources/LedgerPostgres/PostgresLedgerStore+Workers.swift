import Foundation
import Ledger
import PostgresNIO
import SkillsDomain

/// The reads the rules engine and reconciliation need, with SQLite's semantics and order (LedgerStore+Read.swift,
/// +Workers.swift, MoneyEvent.swift, WorkerHistory.swift). Text is ordered `COLLATE "C"` (byte order, as SQLite
/// and Swift's `<` order ASCII ids), whatever the database's default collation. Each read is one snapshot; rows are
/// streamed with back-pressure and handed to `body` as they come (grouped per worker where the protocol asks).
extension PostgresLedgerStore {
    // MARK: People

    /// Every event about one person (as worker or payee), in recording order.
    public func events(person pseudonym: String) async throws -> [StoredEvent] {
        try await snapshot { connection in try await Self.events(person: pseudonym, connection) }
    }

    static func events(person pseudonym: String, _ connection: PostgresConnection) async throws -> [StoredEvent] {
        var result: [StoredEvent] = []
        // The JSON cast only chooses the rows (a payee's grants and payments); the events are read from the text.
        for try await columns in try await connection.watchedQuery("""
            SELECT \(unescaped: eventColumns) FROM events WHERE worker = \(pseudonym)
            UNION SELECT \(unescaped: eventColumns) FROM events
                WHERE kind IN ('subsidy.granted', 'subsidy.paid') AND (data::jsonb) ->> 'payee' = \(pseudonym)
            ORDER BY seq
            """, logger: logger).decode(EventColumns.self) {
            result.append(try storedEvent(columns))
        }
        return result
    }

    /// Everything the ledger holds about one person, read in one snapshot: the timeline, the reversals of its
    /// events, the registry entry.
    public func workerHistory(pseudonym: String) async throws -> WorkerHistory {
        try await snapshot { connection in
            let timeline = try await Self.events(person: pseudonym, connection)
            let ids = timeline.map(\.event.id)
            var reversals: [StoredEvent] = []
            if !ids.isEmpty {
                // Through the expression index on reversal targets; in target order, as SQLite looks them up.
                for try await columns in try await connection.watchedQuery("""
                    SELECT \(unescaped: Self.eventColumns) FROM events
                    WHERE kind = 'event.reversed' AND (data::jsonb) ->> 'target' = ANY(\(ids))
                    ORDER BY (data::jsonb) ->> 'target' COLLATE "C", seq
                    """, logger: Self.logger).decode(EventColumns.self) {
                    reversals.append(try Self.storedEvent(columns))
                }
            }
            var registry: RegistryEntry?
            for try await (registered, citizen, name, erasedAt) in try await connection.watchedQuery(
                "SELECT pseudonym, citizen_id, name, erased_at FROM persons WHERE pseudonym = \(pseudonym)", logger: Self.logger
            ).decode((String, String?, String?, String?).self) {
                registry = RegistryEntry(registered: registered, citizenID: citizen, name: name, erasedAt: erasedAt)
            }
            return WorkerHistory(pseudonym: pseudonym, registry: registry, timeline: timeline, reversals: reversals)
        }
    }

    // MARK: Workers

    /// The people with at least one event of these kinds dated within the range (dates compared as text, as SQLite).
    public func workers(withEventsOf kinds: Set<EventKind>, from start: LocalDate?, through end: LocalDate) async throws -> Set<String> {
        guard !kinds.isEmpty else { return [] }
        let kindNames = kinds.map(\.rawValue).sorted()
        let first = start?.description ?? "0000-00-00"
        let last = end.description
        return try await snapshot { connection in
            var result: Set<String> = []
            for try await worker in try await connection.watchedQuery("""
                SELECT DISTINCT worker FROM events
                WHERE worker IS NOT NULL AND kind = ANY(\(kindNames))
                  AND occurred_on COLLATE "C" BETWEEN \(first) AND \(last)
                """, logger: Self.logger).decode(String.self) {
                result.insert(worker)
            }
            return result
        }
    }

    /// Every person's events, one person at a time in pseudonym order, each group in recording order.
    public func forEachWorker(_ body: (String, [StoredEvent]) throws -> Void) async throws {
        try await forEachWorker(among: nil, body)
    }

    /// The events of the given people only, as `forEachWorker` gives them; nobody else's rows are read.
    public func forEachWorker(in candidates: Set<String>, _ body: (String, [StoredEvent]) throws -> Void) async throws {
        guard !candidates.isEmpty else { return }
        try await forEachWorker(among: candidates.sorted(), body)
    }

    /// None: a run reads its histories from the server in pages, on one connection.
    public func concurrentReaders(_ count: Int) async throws -> [any LedgerSnapshot & Sendable] { [] }

    func forEachWorker(among candidates: [String]?, _ body: (String, [StoredEvent]) throws -> Void) async throws {
        try await snapshot { connection in
            let query: PostgresQuery = if let candidates {
                "SELECT \(unescaped: Self.eventColumns) FROM events WHERE worker = ANY(\(candidates)) ORDER BY worker COLLATE \"C\", seq"
            } else {
                "SELECT \(unescaped: Self.eventColumns) FROM events WHERE worker IS NOT NULL ORDER BY worker COLLATE \"C\", seq"
            }
            var current: String?
            var group: [StoredEvent] = []
            for try await columns in try await connection.watchedQuery(query, logger: Self.logger).decode(EventColumns.self) {
                guard let worker = columns.5 else { continue }
                if worker != current {
                    if let current, !group.isEmpty { try body(current, group) }
                    current = worker
                    group.removeAll(keepingCapacity: true)
                }
                group.append(try Self.storedEvent(columns))
            }
            if let current, !group.isEmpty { try body(current, group) }
        }
    }

    // MARK: Rules and reconciliation

    /// Pack adoptions and reversals in recording order, then the grants in recording order from the grant facts kept
    /// beside the chain, as SQLite reads them.
    public func forEachRulesInput(_ body: (RulesInputRow) throws -> Void) async throws {
        try await snapshot { connection in
            for try await (seq, id, kindText, data) in try await connection.watchedQuery("""
                SELECT seq, id, kind, data FROM events WHERE kind IN ('policy.adopted', 'event.reversed') ORDER BY seq
                """, logger: Self.logger).decode((Int64, String, String, String).self) {
                guard let kind = EventKind(rawValue: kindText) else { continue }
                guard let input = RulesInputRow(storedSeq: seq, id: id, kind: kind, data: data) else {
                    throw LedgerError.integrity(IntegrityFailure(seq: seq, eventID: id, reason: "the stored data is not a JSON object"))
                }
                try body(input)
            }
            for try await (seq, id, c2, c3, c4, c5, c6, c7, c8, c9) in try await connection.watchedQuery("""
                SELECT \(unescaped: GrantFacts.columns) FROM grant_facts ORDER BY seq
                """, logger: Self.logger).decode((Int64, String, String?, String?, String?, String?, String?, String?, String?, String?).self) {
                try body(GrantFacts.row(seq: seq, id: id, members: [c2, c3, c4, c5, c6, c7, c8, c9]))
            }
        }
    }

    /// The grants and reversals recorded before `cutoff` (a seq), in recording order.
    public func forEachGrantOrReversal(before cutoff: Int64, _ body: (MoneyEvent) throws -> Void) async throws {
        try await forEachMoneyEvent("""
            SELECT seq, id, kind, occurred_on, source, data FROM events
            WHERE kind IN ('subsidy.granted', 'event.reversed') AND seq < \(cutoff) ORDER BY seq
            """, body)
    }

    /// The payments recorded before `cutoff` and dated up to `lastDay`, in matching order: `paid_on`, then
    /// `payment_id` (a payment without one first, as SQLite puts NULL first), then event id; the server sorts.
    public func forEachPayment(through lastDay: LocalDate, before cutoff: Int64, _ body: (MoneyEvent) throws -> Void) async throws {
        try await forEachMoneyEvent("""
            SELECT seq, id, kind, occurred_on, source, data FROM events
            WHERE kind = 'subsidy.paid' AND seq < \(cutoff) AND occurred_on COLLATE "C" <= \(lastDay.description)
            ORDER BY occurred_on COLLATE "C", (data::jsonb) ->> 'payment' COLLATE "C" NULLS FIRST, id COLLATE "C"
            """, body)
    }

    func forEachMoneyEvent(_ query: PostgresQuery, _ body: (MoneyEvent) throws -> Void) async throws {
        try await snapshot { connection in
            for try await (seq, id, kind, occurredOn, source, data) in try await connection.watchedQuery(query, logger: Self.logger)
                .decode((Int64, String, String, String, String, String).self) {
                try body(MoneyEvent(storedSeq: seq, id: id, kind: kind, occurredOn: occurredOn, source: source, data: data))
            }
        }
    }
}

extension PostgresLedgerStore {
    /// What was recorded after `seq` (see `LedgerChanges`), as SQLite's `changes(after:)` reads it.
    public func changes(after seq: Int64) async throws -> LedgerChanges {
        try await snapshot { connection in try await Self.changes(after: seq, connection) }
    }

    static func changes(after seq: Int64, _ connection: PostgresConnection) async throws -> LedgerChanges {
        var changes = LedgerChanges(after: seq)
        for try await (kindText, latest) in try await connection.watchedQuery(
            "SELECT kind, max(seq) FROM events WHERE seq > \(seq) GROUP BY kind", logger: logger
        ).decode((String, Int64).self) {
            if let kind = EventKind(rawValue: kindText) { changes.note(kind, at: latest) }
        }
        for try await worker in try await connection.watchedQuery(
            "SELECT DISTINCT worker FROM events WHERE seq > \(seq) AND worker IS NOT NULL", logger: logger
        ).decode(String.self) {
            changes.workers.insert(worker)
        }
        var reversals: [StoredEvent] = []
        for try await columns in try await connection.watchedQuery(
            "SELECT \(unescaped: eventColumns) FROM events WHERE seq > \(seq) AND kind = 'event.reversed' ORDER BY seq", logger: logger
        ).decode(EventColumns.self) {
            reversals.append(try storedEvent(columns))
        }
        for reversal in reversals {
            guard let targetID = reversal.event.data.text("target"), let target = try await event(id: targetID, connection),
                  let evidence = changes.noteReversed(target, at: reversal.seq) else { continue }
            if let owner = try await event(id: evidence, connection) { changes.noteOwner(owner) }
        }
        return changes
    }
}
