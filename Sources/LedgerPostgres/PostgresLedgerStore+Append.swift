import Foundation
import Ledger
import PostgresNIO
import SkillsDomain

extension PostgresLedgerStore {
    /// Appends a batch atomically, with SQLite's rules (`LedgerStore.append`): an id already recorded with identical
    /// content is skipped, with other content the batch is refused listing every conflict; a reversal must name an
    /// event that exists and is not reversed; no money in a closed month. The same envelope hashes to the same bytes.
    ///
    /// One transaction: the `chain_head` row is taken `FOR UPDATE` first, so batches from any number of processes
    /// append one after another; events go in chunks of `PostgresAppendBatch.chunkSize` (one lookup of the chunk's ids
    /// and one multi-row INSERT each, instead of a round trip per event).
    @discardableResult
    public func append(_ submissions: [Submission], operatorName: String, recordedAt: String) async throws -> AppendResult {
        try await append(submissions, operatorName: operatorName, recordedAt: recordedAt, alsoWrite: nil)
    }

    /// - Parameter alsoWrite: writes outside the chain that stand or fall with the batch (an access token's row), run
    ///   after the batch is checked and inserted, in its transaction, as SQLite's `append(…alsoWrite:)` does.
    func append(_ submissions: [Submission], operatorName: String, recordedAt: String,
                alsoWrite: ((PostgresConnection) async throws -> Void)?) async throws -> AppendResult {
        try await transaction { connection in
            var batch = PostgresAppendBatch(keyed: keyed, connection: connection, operatorName: operatorName, recordedAt: recordedAt)
            try await batch.load()
            for submission in submissions { try await batch.add(submission) }
            let result = try await batch.finish()
            try await alsoWrite?(connection)
            return result
        }
    }
}

/// One append transaction on PostgreSQL: the chain head it holds, and the chunk of events not yet inserted.
struct PostgresAppendBatch {
    static let chunkSize = 1000

    let keyed: KeyedHash
    let connection: PostgresConnection
    let operatorName: String
    let recordedAt: String
    var seq: Int64 = 0
    var previous = Envelope.genesis
    var recorded = 0
    /// Whether `recordedIDs` is kept: a batch given as an array says which ids it recorded, a streamed one only counts
    /// (as SQLite's: its memory must not grow with the file).
    var keepsIDs = true
    var recordedIDs: [String] = []
    var already = 0
    var conflicts: [LedgerError.Conflict] = []
    var refusals: [String] = []
    var reversedTargets: [String: String] = [:]
    var closedPeriods = ClosedPeriods()
    var pending: [Submission] = []

    init(keyed: KeyedHash, connection: PostgresConnection, operatorName: String, recordedAt: String) {
        self.keyed = keyed
        self.connection = connection
        self.operatorName = operatorName
        self.recordedAt = recordedAt
    }

    var logger: Logger { PostgresLedgerStore.logger }

    /// Takes the chain head: every other batch waits here until this one commits or rolls back.
    mutating func load() async throws {
        for try await (seq, hash) in try await connection.watchedQuery(
            "SELECT seq, hash FROM chain_head FOR UPDATE", logger: logger
        ).decode((Int64, Data).self) {
            self.seq = seq
            self.previous = hash
        }
        // Read once, then kept up to date with the marks this batch records (an earlier chunk's marks are in the table,
        // this chunk's are not inserted yet when its payments are checked).
        closedPeriods = try await PostgresLedgerStore.closedPeriods(connection)
    }

    mutating func add(_ submission: Submission) async throws {
        pending.append(submission)
        if pending.count >= PostgresAppendBatch.chunkSize { try await flush() }
    }

    /// The content a recorded event is compared with when its id comes again.
    typealias Recorded = RecordedContent

    /// Checks and chains the pending chunk, inserts it in one statement, then registers its people.
    mutating func flush() async throws {
        try connection.ensureOpen()
        let chunk = pending
        pending = []
        guard !chunk.isEmpty else { return }
        var recorded = try await recordedEvents(ids: chunk.map(\.event.id).filter(EventID.isValid))
        var rows: [RawEvent] = []
        var registrations = Registrations()
        let held = try await heldReferences(of: chunk)
        for submission in chunk {
            guard EventID.isValid(submission.event.id) else {
                refusals.append("\(submission.origin): event id \"\(submission.event.id)\" is not 1–64 characters of A-Z a-z 0-9 . _ : -")
                continue
            }
            let keyed = self.keyed
            let event = submission.event.mappingPeople { person in
                guard case .citizen(let citizen) = person else { return person }
                return .pseudonym(keyed.pseudonym(of: citizen.value))
            }
            try checkReferences(event, origin: submission.origin, recorded: recorded, held: held)
            let data = event.data.canonicalBytes
            let dataText = String(decoding: data, as: UTF8.self)
            let envelope = Envelope(seq: seq + 1, id: event.id, kind: event.kind.rawValue, occurredOn: event.occurredOn.description,
                                    source: event.source, worker: event.worker?.token, employer: event.employer, data: data,
                                    recordedAt: recordedAt, operatorName: operatorName)
            if let held = recorded[event.id] {
                compare(envelope, dataText: dataText, with: held, origin: submission.origin)
                continue
            }
            let hash = envelope.hash(previous: previous)
            rows.append(RawEvent(envelope, prevHash: previous, hash: hash))
            recorded[event.id] = Recorded(seq: envelope.seq, kind: envelope.kind, occurredOn: envelope.occurredOn, source: envelope.source,
                                          worker: envelope.worker, employer: envelope.employer, data: dataText)
            seq += 1
            previous = hash
            self.recorded += 1
            if keepsIDs { recordedIDs.append(event.id) }
            if event.kind == .periodClosed || event.kind == .periodReopened,
               let jurisdiction = event.data.storedText("jurisdiction"), let period = event.data.storedText("period") {
                closedPeriods.mark(jurisdiction: jurisdiction, period: period, closed: event.kind == .periodClosed)
            }
            registrations.note(submission, keyed: keyed)
        }
        // A batch already refused is rolled back whole: inserting the rest would only be work thrown away.
        guard conflicts.isEmpty && refusals.isEmpty else { return }
        try await insert(rows)
        try await register(registrations)
    }

    /// The recorded content of those of `ids` the ledger holds.
    func recordedEvents(ids: [String]) async throws -> [String: Recorded] {
        var result: [String: Recorded] = [:]
        guard !ids.isEmpty else { return result }
        let rows = try await connection.watchedQuery("""
            SELECT id, seq, kind, occurred_on, source, worker, employer, data FROM events WHERE id = ANY(\(ids))
            """, logger: logger)
        for try await (id, seq, kind, occurredOn, source, worker, employer, data) in rows.decode(
            (String, Int64, String, String, String, String?, String?, String).self) {
            result[id] = Recorded(seq: seq, kind: kind, occurredOn: occurredOn, source: source, worker: worker, employer: employer, data: data)
        }
        return result
    }

    /// The id exists: identical content is a no-op, anything else a conflict (the same comparison as SQLite's).
    mutating func compare(_ envelope: Envelope, dataText: String, with held: Recorded, origin: String) {
        if let conflict = held.conflict(with: envelope, dataText: dataText, origin: origin) {
            conflicts.append(conflict)
        } else {
            already += 1
        }
    }

    /// A reversal must name an event that exists and is not reversed already; money may not move in a closed month.
    /// `recorded` holds this chunk's ids (recorded before, or earlier in the chunk); earlier chunks are in the table.
    mutating func checkReferences(_ event: Event, origin: String, recorded: [String: Recorded], held: HeldReferences) throws {
        switch event.kind {
        case .eventReversed:
            guard let target = event.data.text("target") else { return }
            guard let targetKind = recorded[target]?.kind ?? held.kinds[target] else {
                refusals.append("\(origin): event.reversed names target \(target), which is not in the ledger")
                return
            }
            if targetKind == EventKind.eventReversed.rawValue {
                refusals.append("\(origin): \(target) is itself a reversal; reversals cannot be reversed (record the event again under a new id)")
            }
            if let earlier = reversedTargets[target], earlier != event.id {
                refusals.append("\(origin): \(target) is already reversed by \(earlier)")
            } else if let earlier = held.reversals[target]?.first(where: { $0 != event.id }) {
                refusals.append("\(origin): \(target) is already reversed by \(earlier)")
            }
            reversedTargets[target] = event.id
        case .subsidyPaid, .subsidyGranted:
            guard let jurisdiction = event.data.text("jurisdiction"), let jurisdictionCode = try? JurisdictionCode(jurisdiction) else { return }
            let month = event.kind == .subsidyPaid ? event.occurredOn.yearMonth : (event.data.month("period") ?? event.occurredOn.yearMonth)
            if closedPeriods.isClosed(jurisdictionCode, month), recorded[event.id] == nil {
                refusals.append("\(origin): \(month) is closed for \(jurisdiction) (period.closed): \(event.kind.rawValue) \(event.id) " +
                                "cannot be recorded in it; reopen the month first with `skills-ledger reopen --jurisdiction \(jurisdiction) --month \(month) --reason …`")
            }
        default:
            break
        }
    }

    /// What the table holds (earlier batches, and earlier chunks of this one) about the events the chunk's reversals
    /// name: each target's kind, and the reversals already recorded of it in recording order. Two statements a chunk,
    /// not two a reversal: at 1,000,000 workers the one-by-one look-up of reversals took 50 s of the server's time,
    /// because inside the batch's own transaction the planner has no statistics for the rows it is adding.
    struct HeldReferences {
        var kinds: [String: String] = [:]
        var reversals: [String: [String]] = [:]
    }

    func heldReferences(of chunk: [Submission]) async throws -> HeldReferences {
        var held = HeldReferences()
        let targets = Array(Set(chunk.compactMap { $0.event.kind == .eventReversed ? $0.event.data.text("target") : nil })).sorted()
        guard !targets.isEmpty else { return held }
        for try await (id, kind) in try await connection.watchedQuery(
            "SELECT id, kind FROM events WHERE id = ANY(\(targets))", logger: logger).decode((String, String).self) {
            held.kinds[id] = kind
        }
        for try await (target, id) in try await connection.watchedQuery("""
            SELECT (data::jsonb) ->> 'target', id FROM events WHERE kind = 'event.reversed' AND (data::jsonb) ->> 'target' = ANY(\(targets))
            ORDER BY seq
            """, logger: logger).decode((String, String).self) {
            held.reversals[target, default: []].append(id)
        }
        return held
    }

    /// One multi-row INSERT for the chunk: the same statement `migrate` copies with.
    func insert(_ rows: [RawEvent]) async throws {
        try await PostgresLedgerStore.insert(rows, into: connection)
    }

    /// Moves the head to the batch's last event and says what the batch did; throws (rolling back) if refused.
    mutating func finish() async throws -> AppendResult {
        try connection.ensureOpen()
        try await flush()
        if !conflicts.isEmpty { throw LedgerError.conflicts(conflicts) }
        if !refusals.isEmpty { throw LedgerError.refused("batch refused, nothing recorded:\n" + refusals.map { "  " + $0 }.joined(separator: "\n")) }
        if recorded > 0 {
            _ = try await connection.watchedQuery("UPDATE chain_head SET seq = \(seq), hash = \(previous)", logger: logger).collect()
        }
        return AppendResult(recordedCount: recorded, alreadyRecorded: already,
                            head: LedgerDigest(count: seq, headHash: previous.hexString), recordedIDs: recordedIDs)
    }
}

extension PostgresLedgerStore {
    /// The `period.closed` and `period.reopened` marks in recording order, the last for a month winning.
    static func closedPeriods(_ connection: PostgresConnection) async throws -> ClosedPeriods {
        var result = ClosedPeriods()
        let rows = try await connection.watchedQuery("""
            SELECT seq, id, kind, data FROM events WHERE kind IN ('period.closed', 'period.reopened') ORDER BY seq
            """, logger: logger)
        for try await (seq, id, kindText, dataText) in rows.decode((Int64, String, String, String).self) {
            guard let kind = EventKind(rawValue: kindText), let data = try? EventDecoder.decodeStoredData(dataText, kind: kind),
                  let jurisdiction = data.storedText("jurisdiction"), let period = data.storedText("period") else {
                throw LedgerError.integrity(IntegrityFailure(seq: seq, eventID: id, reason: "a stored period mark has no jurisdiction or period"))
            }
            result.mark(jurisdiction: jurisdiction, period: period, closed: kind == .periodClosed)
        }
        return result
    }
}

extension EventData {
    /// A member as its stored JSON string (a month as `YYYY-MM`, a code as written), as SQLite's reader picks it.
    func storedText(_ name: String) -> String? {
        if case .string(let text) = self[name]?.json { text } else { nil }
    }
}
