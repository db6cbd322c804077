import GRDB
import SkillsDomain

extension LedgerStore {
    /// The people with at least one event of these kinds dated within the range, found by a scan that reads three
    /// columns and decodes nothing, so that a month's computation can skip everyone it cannot concern.
    public func workers(withEventsOf kinds: Set<EventKind>, from start: LocalDate?, through end: LocalDate) throws -> Set<String> {
        guard !kinds.isEmpty else { return [] }
        return try read { db in
            var result: Set<String> = []
            let placeholders = kinds.map { _ in "?" }.joined(separator: ",")
            var arguments = StatementArguments(kinds.map(\.rawValue).sorted())
            arguments += [start?.description ?? "0000-00-00", end.description]
            let rows = try String.fetchCursor(db, sql: """
                SELECT worker FROM events
                WHERE worker IS NOT NULL AND kind IN (\(placeholders)) AND occurred_on BETWEEN ? AND ?
                """, arguments: arguments)
            while let worker = try rows.next() { result.insert(worker) }
            return result
        }
    }

    /// Streams the events of the given people only, one person at a time in pseudonym order (as `forEachWorker`),
    /// reading nobody else's rows: one index seek per person, so the cost follows the candidates, not the ledger.
    /// The rows are read in SQLite's bytes (`EventRowReader`).
    public func forEachWorker(in candidates: Set<String>, _ body: (String, [StoredEvent]) throws -> Void) throws {
        guard !candidates.isEmpty else { return }
        try read { db in
            let reader = EventRowReader(try db.cachedStatement(sql: """
                SELECT \(LedgerStore.eventColumns) FROM \(eventsByWorker) WHERE worker = ? ORDER BY seq
                """))
            var group: [StoredEvent] = []
            for worker in candidates.sorted() {
                group.removeAll(keepingCapacity: true)
                reader.statement.setUncheckedArguments([worker])
                reader.expect(worker: worker)
                try reader.forEachRow { group.append(try reader.event()) }
                if !group.isEmpty { try body(worker, group) }
            }
        }
    }

    /// The one scan behind both: all people, or only `candidates` (other rows are skipped before decoding).
    func forEachWorker(among candidates: Set<String>?, _ body: (String, [StoredEvent]) throws -> Void) throws {
        try read { db in
            let reader = EventRowReader(try db.makeStatement(sql: """
                SELECT \(LedgerStore.eventColumns) FROM \(eventsByWorker)
                WHERE worker IS NOT NULL ORDER BY worker, seq
                """))
            var current: String?
            var wanted = false
            var group: [StoredEvent] = []
            try reader.forEachRow {
                guard let worker = reader.worker() else { return }
                if worker != current {
                    if let current, !group.isEmpty { try body(current, group) }
                    current = worker
                    wanted = candidates?.contains(worker) ?? true
                    group.removeAll(keepingCapacity: true)
                }
                if wanted { group.append(try reader.event()) }
            }
            if let current, !group.isEmpty { try body(current, group) }
        }
    }
}
