import Foundation
import GRDB
import SkillsDomain

/// Where a view of the ledger as of a day ends: the day asked for, and the last event recorded by its end.
public struct LedgerCeiling: Sendable, Equatable, CustomStringConvertible {
    /// The day (UTC, the calendar of recording times) the view answers as of.
    public var day: LocalDate
    /// The view's last event; 0 when nothing was recorded by the end of `day`.
    public var seq: Int64

    /// `as of 2026-03-31 (seq 179)`.
    public var description: String { "as of \(day) (seq \(seq))" }
}

extension LedgerCeiling {
    /// A ceiling found by another backend (`LedgerPostgres`); in an extension, so the memberwise init stays.
    package init(asOf day: LocalDate, lastSeq seq: Int64) {
        self.init(day: day, seq: seq)
    }
}

extension LedgerStore {
    /// The ledger as it was recorded up to the end of `day`: a read-only `LedgerStore` on its own connection in which
    /// the table `events` ends at the last event recorded by then, and the registry holds only the people those
    /// events name.
    ///
    /// ```swift
    /// let march = try ledger.view(asOf: LocalDate.parse("2026-03-31")!)
    /// try march.digest()            // the COUNT:HASH that was current at the end of 31 March
    /// ```
    ///
    /// The bound is made once, in SQLite, not in each query: the view's connection has two TEMP views named
    /// `events` and `persons`, which SQLite resolves before the tables of the same name, so every read of this
    /// store (and any read added later) sees only the prefix: `SELECT … FROM events` means `… WHERE seq <= ceiling`.
    /// Writes through it are refused (`LedgerError.refused`), and SQLite would refuse them too (the connection is
    /// read-only and `events` is a view there).
    ///
    /// What it can show of personal data: the registry has no history. The view holds the entries of the people
    /// named by the prefix, as they are now: a person erased since stays erased, a name given later shows.
    public func view(asOf day: LocalDate) throws -> LedgerStore {
        let seq = try read { db in try LedgerStore.lastSeq(recordedBy: day, db) }
        return try bounded(LedgerCeiling(day: day, seq: seq))
    }

    /// A read-only store on a connection of its own whose tables end at `ceiling` (see `view(asOf:)`).
    func bounded(_ ceiling: LedgerCeiling) throws -> LedgerStore {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(TimeInterval(LedgerStore.busyTimeoutSeconds))
        configuration.prepareDatabase { db in
            try db.execute(sql: LedgerStore.boundedViews(ceiling: ceiling.seq))
        }
        let queue = try mapBusy { try DatabaseQueue(path: path, configuration: configuration) }
        return LedgerStore(path: path, writer: queue, pseudonymKey: pseudonymKey, ceiling: ceiling)
    }

    /// `count` read-only stores on connections of their own, each ending at the last event this store reads now:
    /// however much is appended meanwhile (by another process; a batch of this one is not committed while its
    /// snapshot is read), they read the same events as this store and as each other. SQLite gives every connection
    /// its own page cache and statements, so they read on separate threads without waiting for one another.
    public func concurrentReaders(_ count: Int) throws -> [any LedgerSnapshot & Sendable] { try boundedReaders(count) }

    func boundedReaders(_ count: Int) throws -> [LedgerStore] {
        let seq = try read { db in try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM events") ?? 0 }
        let ceiling = LedgerCeiling(day: self.ceiling?.day ?? LocalDate.today(), seq: seq)
        return try (0..<count).map { _ in try bounded(ceiling) }
    }

    /// The last event of the longest prefix of the chain recorded by the end of `day`: the event before the first
    /// one whose recording time (UTC) falls after that day, or the last event when there is none.
    ///
    /// Recording times come from the clock of whoever appended (`Timestamp.now()`), so they normally grow with
    /// `seq`. Were a clock ever set back between batches, the chain's order would still be the truth of what came
    /// first: the view then ends before the first event stamped after `day`, and leaves out any later event that
    /// carries an earlier time. It never shows an event whose own time is after the day, and it is always a prefix
    /// of the chain (so its digest is one the ledger really had).
    static func lastSeq(recordedBy day: LocalDate, _ db: Database) throws -> Int64 {
        if let first = try Int64.fetchOne(db, sql: """
            SELECT seq FROM events WHERE substr(recorded_at, 1, 10) > ? ORDER BY seq LIMIT 1
            """, arguments: [day.description]) {
            return first - 1
        }
        return try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM events") ?? 0
    }

    /// The TEMP views that bound a connection at `ceiling` (see `view(asOf:)`). A registry entry belongs to the view
    /// when an event of the prefix names its person, as worker or as payee (the rules of `verify`'s registry check).
    static func boundedViews(ceiling: Int64) -> String {
        """
        CREATE TEMP VIEW events AS SELECT * FROM main.events WHERE seq <= \(ceiling);
        CREATE TEMP VIEW grant_facts AS SELECT * FROM main.grant_facts WHERE seq <= \(ceiling);
        CREATE TEMP VIEW persons AS SELECT * FROM main.persons AS p
            WHERE EXISTS (SELECT 1 FROM main.events AS e WHERE e.worker = p.pseudonym AND e.seq <= \(ceiling))
               OR EXISTS (SELECT 1 FROM main.events AS e WHERE e.kind IN ('subsidy.granted', 'subsidy.paid')
                          AND json_extract(e.data, '$.payee') = p.pseudonym AND e.seq <= \(ceiling));
        """
    }

    /// The table a query names to read one person's events through the worker index: forced on the ledger
    /// itself, chosen by SQLite in a view (an `INDEXED BY` cannot name a view's table, and the view still reads
    /// through that index).
    var eventsByWorker: String { ceiling == nil ? "events INDEXED BY events_by_worker" : "events" }

    /// Refuses a write through a view as of a day, before anything is touched.
    func refuseWritesAsOf(_ what: String) throws {
        guard let ceiling else { return }
        throw LedgerStore.refusalAsOf(path, ceiling, what)
    }

    /// The refusal of a write through a view as of a day (shared with `LedgerPostgres`, so both say the same).
    package static func refusalAsOf(_ location: String, _ ceiling: LedgerCeiling, _ what: String) -> LedgerError {
        .refused("the ledger \(location) \(ceiling) is a read-only view of its past: \(what) writes, so it runs "
            + "on the ledger itself, not as of a day")
    }
}
