import Foundation
import Ledger
import PostgresNIO
import SkillsDomain

/// Where a view as of a day stops, and what it needs to stop there.
struct AsOfBound: Sendable {
    /// The day asked for and the view's last event (0 when nothing was recorded by the end of the day).
    var ceiling: LedgerCeiling
    /// The ledger it is a view of: it owns the connections and must outlive the view.
    var ledger: PostgresLedgerStore
    /// The ledger's `events` table, qualified by its schema, as a SQL string literal (`'"public".events'`).
    var eventsLiteral: String
    /// The schema of the ledger's tables, quoted as an identifier (`"public"`).
    var schema: String
}

extension PostgresLedgerStore {
    /// The ledger as it was recorded up to the end of `day` (UTC recording time): SQLite's `view(asOf:)` on
    /// PostgreSQL. The view shares this store's connections; every read of it stops at the last event recorded by
    /// the end of `day`, and its registry holds only the people those events name, as they are now.
    ///
    /// ```swift
    /// let march = try await ledger.asOf(LocalDate.parse("2026-03-31")!)
    /// try await march.digest()    // the COUNT:HASH that was current at the end of 31 March
    /// ```
    ///
    /// How no read can miss the bound: as on SQLite, the bound is made once, by name, not in each query. Every read
    /// of this store runs in `snapshot`, and in a view each snapshot first creates two TEMP views, `events` and
    /// `persons`, bounded at the ceiling. PostgreSQL searches the session's temporary schema before any other for
    /// relations, so `FROM events` in any query (and in any read added later) means the bounded view. The snapshot
    /// always ends in ROLLBACK, which drops the TEMP views with it: the pooled connection goes back to the pool as
    /// it came, and nothing the view did can persist. Writes never reach the server: `transaction` refuses them.
    ///
    /// Chosen over a `seq <= ceiling` in every query (a read that forgot it would show the present) and over views
    /// in a permanent schema selected by `SET LOCAL search_path` (a schema change that ledgers created before it lack,
    /// and a CREATE privilege the service role should not have). What it needs: the TEMP privilege on the database
    /// (PUBLIC has it by default) and a primary, not a hot standby (a standby refuses CREATE TEMP VIEW).
    public func asOf(_ day: LocalDate) async throws -> any LedgerStorage {
        // Of a view, as SQLite: the ceiling is found within the view's events, and the new view is of the ledger.
        let ledger = bound?.ledger ?? self
        let outer = bound
        let (seq, place) = try await snapshot { connection in
            let seq = try await Self.lastSeq(recordedBy: day, connection)
            if let outer { return (seq, (outer.schema, outer.eventsLiteral)) }
            return (seq, try await Self.placeOfEvents(connection))
        }
        let view = AsOfBound(ceiling: LedgerCeiling(asOf: day, lastSeq: seq), ledger: ledger, eventsLiteral: place.1, schema: place.0)
        return PostgresLedgerStore(location: "\(ledger.location) as of \(day)", client: client, running: running,
                                   pseudonymKey: pseudonymKey, bound: view)
    }

    /// The last event of the longest prefix of the chain recorded by the end of `day` (SQLite's `lastSeq`: the event
    /// before the first one stamped after the day, or the last event when there is none).
    static func lastSeq(recordedBy day: LocalDate, _ connection: PostgresConnection) async throws -> Int64 {
        var firstAfter: Int64?
        for try await seq in try await connection.watchedQuery("""
            SELECT seq FROM events WHERE substr(recorded_at, 1, 10) COLLATE "C" > \(day.description) ORDER BY seq LIMIT 1
            """, logger: logger).decode(Int64.self) {
            firstAfter = seq
        }
        if let firstAfter { return firstAfter - 1 }
        var last: Int64 = 0
        for try await seq in try await connection.watchedQuery("SELECT coalesce(max(seq), 0)::bigint FROM events", logger: logger).decode(Int64.self) {
            last = seq
        }
        return last
    }

    /// The schema of the ledger's `events` table as an identifier, and the table as a string literal.
    static func placeOfEvents(_ connection: PostgresConnection) async throws -> (String, String) {
        var place = ("", "")
        for try await row in try await connection.watchedQuery("""
            SELECT quote_ident(n.nspname), quote_literal(quote_ident(n.nspname) || '.events')
            FROM pg_class AS c JOIN pg_namespace AS n ON n.oid = c.relnamespace WHERE c.oid = 'events'::regclass
            """, logger: logger).decode((String, String).self) {
            place = row
        }
        return place
    }

    /// The TEMP views that bound a snapshot at the ceiling (SQLite's `boundedViews`): a registry entry belongs to the
    /// view when an event of the prefix names its person, as worker or as payee.
    static func boundedViews(_ bound: AsOfBound) -> [String] {
        let (schema, ceiling) = (bound.schema, bound.ceiling.seq)
        return [
            "CREATE TEMP VIEW events AS SELECT * FROM \(schema).events WHERE seq <= \(ceiling)",
            "CREATE TEMP VIEW grant_facts AS SELECT * FROM \(schema).grant_facts WHERE seq <= \(ceiling)",
            """
            CREATE TEMP VIEW persons AS SELECT * FROM \(schema).persons AS p
                WHERE EXISTS (SELECT 1 FROM \(schema).events AS e WHERE e.worker = p.pseudonym AND e.seq <= \(ceiling))
                   OR EXISTS (SELECT 1 FROM \(schema).events AS e WHERE e.kind IN ('subsidy.granted', 'subsidy.paid')
                              AND (e.data::jsonb) ->> 'payee' = p.pseudonym AND e.seq <= \(ceiling))
            """,
        ]
    }

    /// A snapshot of a view as of a day: REPEATABLE READ (not READ ONLY: a read-only transaction may not create even
    /// TEMP views), the bounded views created first, and always rolled back.
    func boundedSnapshot<T: Sendable>(_ bound: AsOfBound, _ body: (PostgresConnection) async throws -> T) async throws -> T {
        try await PostgresLedgerStore.mapServerErrors(location: location) {
            try await client.withConnection { connection in
                _ = try await connection.watchedQuery("BEGIN ISOLATION LEVEL REPEATABLE READ", logger: Self.logger).collect()
                do {
                    for statement in Self.boundedViews(bound) {
                        _ = try await connection.watchedQuery(PostgresQuery(unsafeSQL: statement), logger: Self.logger).collect()
                    }
                    let value = try await body(connection)
                    await connection.rollBackIfOpen()
                    return value
                } catch {
                    await connection.rollBackIfOpen()
                    throw error
                }
            }
        }
    }

    /// The `events` table as `verify` names it to find its triggers: the ledger's own, even in a view (where the
    /// name `events` means the bounded TEMP view, which has none).
    var eventsTable: String { bound?.eventsLiteral ?? "'events'" }

    /// Refuses a write through a view as of a day, before anything is sent, as SQLite does.
    func refuseWritesAsOf(_ what: String) throws {
        guard let bound else { return }
        throw LedgerStore.refusalAsOf(bound.ledger.location, bound.ceiling, what)
    }
}
