import GRDB
import SkillsDomain

/// What was recorded after a point of the chain (`changes(after:)`): the kinds recorded, the latest place of each,
/// and every worker those events concern. The month-end runs read it to compute only the workers whose outcome can
/// have changed since their last grant (issue 15): a worker's own events name the worker; a reversal concerns the
/// worker of the event it cancels (for a reversed grant: its payee when a person, else the worker of its first
/// evidence), and counts as a change of that event's kind too.
public struct LedgerChanges: Sendable, Equatable {
    /// The place in the chain the changes are counted from (exclusive).
    public var after: Int64
    /// The workers (pseudonyms) concerned.
    public var workers: Set<String> = []
    /// The latest place of each kind recorded after `after`, and of each kind a reversal cancelled there.
    public var latest: [EventKind: Int64] = [:]

    /// Nothing recorded after `after`, yet.
    public init(after: Int64) { self.after = after }

    /// The kinds recorded (or cancelled) after `after`.
    public var kinds: Set<EventKind> { Set(latest.keys) }

    /// Notes that events of `kind` were recorded, the latest at `seq`.
    public mutating func note(_ kind: EventKind, at seq: Int64) {
        latest[kind] = max(latest[kind] ?? seq, seq)
    }

    /// Notes a reversal's target, recorded at `seq` (the reversal's place). Returns the id of an event whose worker
    /// the target concerns when the target itself does not say (a grant to an employer: its first evidence), for
    /// `noteOwner(_:)`.
    public mutating func noteReversed(_ target: StoredEvent, at seq: Int64) -> String? {
        note(target.event.kind, at: seq)
        if let worker = target.event.worker?.token {
            workers.insert(worker)
            return nil
        }
        guard target.event.kind == .subsidyGranted || target.event.kind == .subsidyPaid else { return nil }
        if let payee = target.event.data.text("payee"), PersonRef.isPseudonym(payee) {
            workers.insert(payee)
            return nil
        }
        return target.event.data.list("evidence")?.first
    }

    /// Adds what was noted of a later part of the chain (`changes(after:)` reads a long tail in two parts at once).
    public mutating func formUnion(_ other: LedgerChanges) {
        workers.formUnion(other.workers)
        for (kind, seq) in other.latest { note(kind, at: seq) }
    }

    /// Notes the worker of an event named by `noteReversed(_:at:)`.
    public mutating func noteOwner(_ evidence: StoredEvent) {
        if let worker = evidence.event.worker?.token { workers.insert(worker) }
    }
}

extension LedgerStore {
    /// What was recorded after `seq` (see `LedgerChanges`): one scan of the chain's tail by its primary key, and a
    /// look-up by id for each reversal's target. (Asking SQLite for the kinds grouped and the distinct workers took two
    /// scans, one of them of the whole worker index: 0.85 s after a month's million payments, against 0.16 s for the
    /// tail alone.) A long tail (a month's payments) is read in two halves at once, the later one on a reader of its
    /// own that ends where this read does: after a month's million payments the tail took 0.8 s on one thread of a
    /// grant, while the other core had 0.4 s of work (sorting the granted ids and the grants by evidence).
    public func changes(after seq: Int64) throws -> LedgerChanges {
        try changes(after: seq, twoThreadsFrom: LedgerStore.changesOnTwoThreads)
    }

    /// From how many events after the place `changes(after:)` reads the later half on a second thread.
    static let changesOnTwoThreads: Int64 = 20_000

    func changes(after seq: Int64, twoThreadsFrom threshold: Int64) throws -> LedgerChanges {
        try read { db in
            let last = try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM events") ?? 0
            var changes: LedgerChanges
            if last - seq >= max(threshold, 2) {
                let split = seq + (last - seq) / 2
                let (first, second) = try inTwoRuns(endingAt: last, first: { try LedgerStore.tail(db, after: seq, through: split) },
                                                     second: { db in try LedgerStore.tail(db, after: split, through: last) })
                changes = first
                changes.formUnion(second)
            } else {
                changes = try LedgerStore.tail(db, after: seq, through: last)
            }
            let reversals = try Row.fetchAll(db, sql: """
                SELECT \(LedgerStore.eventColumns) FROM events WHERE seq > ? AND seq <= ? AND kind = 'event.reversed' ORDER BY seq
                """, arguments: [seq, last]).map(LedgerStore.storedEvent)
            for reversal in reversals {
                guard let target = try reversal.event.data.text("target").flatMap({ try event(id: $0, db) }),
                      let evidence = changes.noteReversed(target, at: reversal.seq) else { continue }
                if let owner = try event(id: evidence, db) { changes.noteOwner(owner) }
            }
            return changes
        }
    }

    /// The kinds and workers of the events in (`seq`, `last`], by the table's primary key.
    static func tail(_ db: Database, after seq: Int64, through last: Int64) throws -> LedgerChanges {
        var changes = LedgerChanges(after: seq)
        let rows = try Row.fetchCursor(db, sql: "SELECT seq, kind, worker FROM events WHERE seq > ? AND seq <= ? ORDER BY seq",
                                       arguments: [seq, last])
        var previous: (text: String, kind: EventKind?) = ("", nil)
        while let row = try rows.next() {
            let text: String = row[1]
            if text != previous.text { previous = (text, EventKind(rawValue: text)) }
            if let kind = previous.kind { changes.note(kind, at: row[0]) }
            if let worker: String = row[2] { changes.workers.insert(worker) }
        }
        return changes
    }
}
