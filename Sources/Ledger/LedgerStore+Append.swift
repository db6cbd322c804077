import Foundation
import GRDB
import SkillsDomain

/// What one batch did: how many events it recorded, how many were there already (identical), and the head after it.
public struct AppendResult: Sendable, Equatable {
    /// How many events this batch recorded.
    public var recorded: Int
    /// How many were recorded already with identical content, and skipped.
    public var alreadyRecorded: Int
    /// The ledger's event count and head hash after the batch.
    public var head: LedgerDigest
    /// Ids of the events this batch recorded, in order, for a batch given as an array (`append(_:operatorName:)`).
    /// A streamed batch (`append(operatorName:_:)`) keeps only the counts: its memory must not grow with the file.
    public var recordedIDs: [String]
}

extension AppendResult {
    /// What another backend's batch did (`LedgerPostgres`); in an extension, so the memberwise init stays.
    package init(recordedCount: Int, alreadyRecorded: Int, head: LedgerDigest, recordedIDs: [String]) {
        self.init(recorded: recordedCount, alreadyRecorded: alreadyRecorded, head: head, recordedIDs: recordedIDs)
    }
}

/// The published form of a ledger's state: how many events, and the hash of the last one.
public struct LedgerDigest: Sendable, Equatable, CustomStringConvertible {
    /// How many events the ledger holds (the last one's `seq`).
    public var count: Int64
    /// The last event's hash, 64 lowercase hex digits; 64 zeros for an empty ledger.
    public var headHash: String

    /// Creates a digest from a count and a head hash as given (not checked).
    public init(count: Int64, headHash: String) {
        self.count = count
        self.headHash = headHash
    }

    /// `COUNT:HASH`, as `digest` prints and `verify --digest` reads.
    public var description: String { "\(count):\(headHash)" }

    /// Reads `COUNT:HASH` as `digest` prints it; nil unless COUNT is a non-negative integer and HASH is 64 hex
    /// digits (upper case is accepted and lowered).
    public init?(parsing text: String) {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let count = Int64(parts[0]), count >= 0, parts[1].utf8.count == 64,
              Data(hex: String(parts[1])) != nil else { return nil }
        self.count = count
        self.headHash = parts[1].lowercased()
    }
}

extension LedgerStore {
    /// Appends a batch atomically: every event is recorded, or none. An id already recorded with identical content is
    /// skipped ("already recorded"); with different content the batch is refused with every conflict listed.
    ///
    /// - Parameters:
    ///   - submissions: the batch, in order.
    ///   - operatorName: who records it (`--operator`, or the OS user), kept in every row and chained.
    ///   - recordedAt: the recording time kept in every row and chained (`Timestamp.now()` unless given).
    /// - Throws: `LedgerError.conflicts` or `.refused` (nothing written), `.busy` when another writer holds the file.
    @discardableResult
    public func append(_ submissions: [Submission], operatorName: String, recordedAt: String = Timestamp.now()) throws -> AppendResult {
        try append(operatorName: operatorName, recordedAt: recordedAt, keepingIDs: true) { sink in
            for submission in submissions { try sink.add(submission) }
        }
    }

    /// Appends what `produce` adds to the sink, in one transaction: streaming input need not be held in memory.
    /// If `produce` throws, nothing is written.
    @discardableResult
    public func append(operatorName: String, recordedAt: String = Timestamp.now(), cache: AppendCache = .standard,
                       _ produce: (inout AppendSink) throws -> Void) throws -> AppendResult {
        try append(operatorName: operatorName, recordedAt: recordedAt, keepingIDs: false, cache: cache, produce)
    }

    /// - Parameter alsoWrite: writes outside the chain that stand or fall with the batch (an access token's row).
    func append(operatorName: String, recordedAt: String, keepingIDs: Bool, cache: AppendCache = .standard,
                alsoWrite: ((Database) throws -> Void)? = nil,
                _ produce: (inout AppendSink) throws -> Void) throws -> AppendResult {
        try refuseWritesAsOf("appending events")
        // Every insert into `events` runs its guard trigger, so SQLite keeps a statement journal (the pages the insert
        // changes, to undo just that insert should the trigger refuse it). Once a batch's statement journal outgrew
        // 64 KiB it went to a temporary file, and from then on every event cost about nine small writes to it: most
        // of submit's system time. In memory it is a copy of the two or three pages each insert touches. Set outside
        // the transaction (SQLite refuses to change it inside one) and put back after, so that `verify`'s large
        // transient indexes still go to disk.
        try? writer.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA temp_store = MEMORY") }
        // Give the batch's page cache back too, whether it was recorded or refused: `reconcile` and `grant` go on to
        // read in the same process, and their peak memory would otherwise carry the cache of a batch that is over.
        defer {
            try? writer.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA temp_store = DEFAULT")
                try LedgerStore.givePageCacheBack(db)
            }
        }
        let result = try mapBusy {
            try writer.write { db in
                // A large batch inserts all over the id and worker indexes; SQLite's default 2 MiB page cache made
                // it read the same pages again and again. Pages are only taken as they are used.
                try db.execute(sql: "PRAGMA cache_size = -\(cache.kibibytes)")
                var batch = AppendBatch(store: self, db: db, operatorName: operatorName, recordedAt: recordedAt)
                batch.keepsIDs = keepingIDs
                var sink = AppendSink(batch: batch)
                try sink.batch!.load()
                try produce(&sink)
                let result = try sink.batch!.finish()
                try alsoWrite?(db)
                return result
            }
        }
        return result
    }
}

/// Where a streaming producer hands events to an open append transaction: SQLite's batch, which takes each event as
/// it comes, or another backend's chunks (PostgreSQL), filled here and handed over every `AppendChunks.size` events.
/// Not a protocol: SQLite's per-event path stays a direct call (submit is benchmarked per event).
public struct AppendSink {
    /// SQLite's batch; nil when the events go to `chunks`.
    var batch: AppendBatch?
    /// Another backend's batch, taking events a chunk at a time.
    let chunks: AppendChunks?

    init(batch: AppendBatch) {
        self.batch = batch
        self.chunks = nil
    }

    /// A sink whose events go to another backend in chunks.
    package init(chunks: AppendChunks) {
        self.batch = nil
        self.chunks = chunks
    }

    /// Adds one event to the open batch: recorded, skipped as already recorded, or noted as a conflict or a refusal
    /// (thrown together when the batch finishes, so that every one is listed).
    public mutating func add(_ submission: Submission) throws {
        if let chunks { try chunks.add(submission) } else { try batch!.add(submission) }
    }

    /// How many events this batch has recorded so far (with chunks: up to the last chunk handed over).
    public var recordedCount: Int { chunks?.recorded ?? batch!.recorded }
}

/// The events of a batch on a backend that inserts a chunk at a time: buffered until `size` are held, then handed to
/// `flush`, which checks and inserts them in the batch's transaction and answers how many the batch has recorded so
/// far. Memory holds one chunk, whatever the length of the batch.
package final class AppendChunks {
    package let size: Int
    private var pending: [Submission] = []
    package private(set) var recorded = 0
    private let flush: ([Submission]) throws -> Int

    package init(size: Int, flush: @escaping ([Submission]) throws -> Int) {
        self.size = size
        self.flush = flush
        pending.reserveCapacity(size)
    }

    func add(_ submission: Submission) throws {
        pending.append(submission)
        guard pending.count >= size else { return }
        let chunk = pending
        pending.removeAll(keepingCapacity: true)
        recorded = try flush(chunk)
    }

    /// The last, partial chunk, for the batch's finish (nothing is held after).
    package func takePending() -> [Submission] {
        defer { pending = [] }
        return pending
    }
}

/// The state of one append transaction.
struct AppendBatch {
    let store: LedgerStore
    let db: Database
    let operatorName: String
    let recordedAt: String
    var seq: Int64 = 0
    var previous = Envelope.genesis
    var recorded = 0
    var keepsIDs = false
    var recordedIDs: [String] = []
    var already = 0
    var conflicts: [LedgerError.Conflict] = []
    var refusals: [String] = []
    let people: BatchPeople
    let statements: BatchStatements
    var reversedTargets: [String: String] = [:]
    var closedPeriods: ClosedPeriods?

    init(store: LedgerStore, db: Database, operatorName: String, recordedAt: String) {
        self.store = store
        self.db = db
        self.operatorName = operatorName
        self.recordedAt = recordedAt
        self.people = BatchPeople(keyed: store.keyed)
        self.statements = BatchStatements(db: db)
    }

    mutating func load() throws {
        if let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1") {
            seq = row[0]
            previous = row[1]
        }
    }

    mutating func add(_ submission: Submission) throws {
        // Intake checks ids, but events built in code (grant, policy adopt, reconcile) reach the ledger directly:
        // the ledger holds the rule itself, so that whatever it records can be exported and submitted again.
        guard EventID.isValid(submission.event.id) else {
            refusals.append("\(submission.origin): event id \"\(submission.event.id)\" is not 1–64 characters of A-Z a-z 0-9 . _ : -")
            return
        }
        let people = self.people
        let event = submission.event.mappingPeople { person in
            guard case .citizen(let citizen) = person else { return person }
            return .pseudonym(people.pseudonym(for: citizen))
        }
        try checkReferences(event, origin: submission.origin)
        let data = event.data.canonicalBytes
        let envelope = Envelope(seq: seq + 1, id: event.id, kind: event.kind.rawValue, occurredOn: event.occurredOn.description,
                                source: event.source, worker: event.worker?.token, employer: event.employer, data: data,
                                recordedAt: recordedAt, operatorName: operatorName)
        let hash = envelope.hash(previous: previous)
        try statements.insertEvent().run { value in
            try value(1, envelope.seq); try value(2, envelope.id); try value(3, envelope.kind); try value(4, envelope.occurredOn)
            try value(5, envelope.source); try value(6, envelope.worker); try value(7, envelope.employer); try value(8, utf8: data)
            try value(9, recordedAt); try value(10, operatorName); try value(11, blob: previous); try value(12, blob: hash)
        }
        if db.changesCount == 0 {
            try compareWithRecorded(envelope, dataText: String(decoding: data, as: UTF8.self), origin: submission.origin)
            return
        }
        seq += 1
        previous = hash
        recorded += 1
        if event.kind == .subsidyGranted {
            try LedgerStore.writeGrantFacts(seq: seq, id: event.id, data: String(decoding: data, as: UTF8.self),
                                            with: try statements.insertGrantFacts())
        }
        if keepsIDs { recordedIDs.append(event.id) }
        try register(submission, chained: event)
    }

    /// The id exists: identical content is a no-op, anything else a conflict.
    mutating func compareWithRecorded(_ envelope: Envelope, dataText: String, origin: String) throws {
        let row = try Row.fetchOne(db, cachedSQL: "SELECT seq, kind, occurred_on, source, worker, employer, data FROM events WHERE id = ?",
                                   arguments: [envelope.id])!
        let held = RecordedContent(seq: row["seq"], kind: row["kind"], occurredOn: row["occurred_on"], source: row["source"],
                                   worker: row["worker"], employer: row["employer"], data: row["data"])
        if let conflict = held.conflict(with: envelope, dataText: dataText, origin: origin) {
            conflicts.append(conflict)
        } else {
            already += 1
        }
    }

    /// A reversal must name an event that exists and is not reversed already; money may not move in a closed month.
    mutating func checkReferences(_ event: Event, origin: String) throws {
        switch event.kind {
        case .eventReversed:
            guard let target = event.data.text("target") else { return }
            let existing = try Row.fetchOne(db, cachedSQL: "SELECT kind FROM events WHERE id = ?", arguments: [target])
            guard let existing else {
                refusals.append("\(origin): event.reversed names target \(target), which is not in the ledger")
                return
            }
            if existing["kind"] as String == EventKind.eventReversed.rawValue {
                refusals.append("\(origin): \(target) is itself a reversal; reversals cannot be reversed (record the event again under a new id)")
            }
            if let earlier = reversedTargets[target], earlier != event.id {
                refusals.append("\(origin): \(target) is already reversed by \(earlier)")
            } else if try recordedReversal(of: target, other: event.id) != nil {
                refusals.append("\(origin): \(target) is already reversed by \(try recordedReversal(of: target, other: event.id)!)")
            }
            reversedTargets[target] = event.id
        case .subsidyPaid, .subsidyGranted:
            guard let jurisdiction = event.data.text("jurisdiction"), let jurisdictionCode = try? JurisdictionCode(jurisdiction) else { return }
            if closedPeriods == nil { closedPeriods = try ClosedPeriods.load(db) }
            let month = event.kind == .subsidyPaid ? event.occurredOn.yearMonth : (event.data.month("period") ?? event.occurredOn.yearMonth)
            if closedPeriods!.isClosed(jurisdictionCode, month), try !exists(event.id) {
                refusals.append("\(origin): \(month) is closed for \(jurisdiction) (period.closed): \(event.kind.rawValue) \(event.id) " +
                                "cannot be recorded in it; reopen the month first with `skills-ledger reopen --jurisdiction \(jurisdiction) --month \(month) --reason …`")
            }
        case .periodClosed, .periodReopened:
            closedPeriods = nil
        default:
            break
        }
    }

    func exists(_ id: String) throws -> Bool {
        try Row.fetchOne(db, cachedSQL: "SELECT 1 FROM events WHERE id = ?", arguments: [id]) != nil
    }

    func recordedReversal(of target: String, other id: String) throws -> String? {
        // json_extract stays here only to choose the row (through the index on reversal targets).
        try String.fetchOne(db, cachedSQL: """
            SELECT id FROM events WHERE kind = 'event.reversed' AND json_extract(data, '$.target') = ? AND id <> ?
            """, arguments: [target, id])
    }

    /// One person's registration (PostgreSQL sends a chunk's in one statement with the same ON CONFLICT clause).
    static let registerSQL = "INSERT INTO persons (pseudonym, citizen_id, name, seal) VALUES (?, ?, ?, ?)\n" + LedgerStore.registrationConflict

    /// Personal data of a newly recorded event goes to the registry, keyed by pseudonym. Resubmitting an old file
    /// registers nothing, so it cannot bring back what `erase` removed.
    mutating func register(_ submission: Submission, chained: Event) throws {
        for person in submission.event.people {
            guard case .citizen(let citizen) = person else {
                try registerPseudonymOnly(person.token)
                continue
            }
            let pseudonym = people.pseudonym(for: citizen)
            let name = submission.event.worker == person ? submission.personal.name : nil
            if name == nil, people.registered.contains(pseudonym) { continue }
            people.noteRegistered(pseudonym)
            // Most people of a file were registered by an earlier one: the upsert below would compute a seal only
            // to change nothing.
            let held = try Row.fetchOne(statements.registered(), arguments: [pseudonym])
            if let held, held[0] as Bool, name == nil || !held.hasNull(atIndex: 1) {
                continue
            }
            let heldName: String? = held?[1]
            // The seal (see Schema/002_registry_seal.sql) is computed here from the row's columns as they will be: the
            // name already held wins over the one given (as the upsert's COALESCE has it).
            let seal = LedgerStore.registrySeal(keyed: store.keyed, [pseudonym, citizen.value, heldName ?? name, nil, nil])
            try statements.statement(\.register, sql: Self.registerSQL).execute(arguments: [pseudonym, citizen.value, name, seal])
        }
    }

    /// A person named only by pseudonym (an erased person's events, exported and submitted again) still gets a
    /// registry row, marked as holding nothing personal: every person the chain names has one, so that `verify` can
    /// tell a deleted registry row from a person it never had data for.
    mutating func registerPseudonymOnly(_ pseudonym: String) throws {
        guard !people.registered.contains(pseudonym) else { return }
        people.noteRegistered(pseudonym)
        // A grant's payee is a person the ledger registered long ago: their row stands, and its seal need not be
        // computed for an insert that would do nothing.
        guard try !statements.personExists().run({ value in try value(1, pseudonym) }) else { return }
        let seal = LedgerStore.registrySeal(keyed: store.keyed, [pseudonym, nil, nil, recordedAt, LedgerStore.pseudonymOnlyReason])
        try db.execute(cachedSQL: """
            INSERT INTO persons (pseudonym, erased_at, erase_reason, seal) VALUES (?, ?, ?, ?)
            ON CONFLICT (pseudonym) DO NOTHING
            """, arguments: [pseudonym, recordedAt, LedgerStore.pseudonymOnlyReason, seal])
    }

    mutating func finish() throws -> AppendResult {
        if !conflicts.isEmpty { throw LedgerError.conflicts(conflicts) }
        if !refusals.isEmpty { throw LedgerError.refused("batch refused, nothing recorded:\n" + refusals.map { "  " + $0 }.joined(separator: "\n")) }
        return AppendResult(recorded: recorded, alreadyRecorded: already,
                            head: LedgerDigest(count: seq, headHash: previous.hexString), recordedIDs: recordedIDs)
    }
}

/// The statements a batch runs for every event, kept at hand: `cachedStatement(sql:)` hashes the whole SQL text on
/// every call to find the statement again.
///
/// The inserts every event makes, and the look-up of a payee, are bound and stepped through SQLite's C interface
/// (`SteppedStatement`): at a month's first grant, a million times each, GRDB's boxed arguments cost about as much as
/// SQLite's insert of the grant's facts.
final class BatchStatements {
    let db: Database
    var registeredStatement: Statement?
    var register: Statement?
    var insertEventStatement: SteppedStatement?
    var insertGrantFactsStatement: SteppedStatement?
    var personExistsStatement: SteppedStatement?

    init(db: Database) { self.db = db }

    func statement(_ slot: ReferenceWritableKeyPath<BatchStatements, Statement?>, sql: String) throws -> Statement {
        if let statement = self[keyPath: slot] { return statement }
        let statement = try db.cachedStatement(sql: sql)
        self[keyPath: slot] = statement
        return statement
    }

    /// A statement of this batch's own (not GRDB's shared cache: it is bound directly).
    func stepped(_ slot: ReferenceWritableKeyPath<BatchStatements, SteppedStatement?>, sql: String) throws -> SteppedStatement {
        if let statement = self[keyPath: slot] { return statement }
        let statement = SteppedStatement(try db.makeStatement(sql: sql))
        self[keyPath: slot] = statement
        return statement
    }

    func insertEvent() throws -> SteppedStatement {
        try stepped(\.insertEventStatement, sql: """
            INSERT INTO events (seq, id, kind, occurred_on, source, worker, employer, data, recorded_at, operator, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING
            """)
    }

    /// The grant facts of a grant just inserted (`LedgerStore.writeGrantFacts`).
    func insertGrantFacts() throws -> SteppedStatement {
        try stepped(\.insertGrantFactsStatement, sql: LedgerStore.insertGrantFactsSQL)
    }

    /// Whether the registry has a row for a pseudonym.
    func personExists() throws -> SteppedStatement {
        try stepped(\.personExistsStatement, sql: "SELECT 1 FROM persons WHERE pseudonym = ?")
    }

    /// Whether the registry holds the person's ID number, and the name it holds.
    func registered() throws -> Statement {
        try statement(\.registeredStatement, sql: "SELECT citizen_id IS NOT NULL, name FROM persons WHERE pseudonym = ?")
    }
}

/// The people of one batch: each citizen's pseudonym (a worker appears in several events of a file, and the chain and
/// the registry need the same one), and who is registered already. Both are bounded, emptied when full, so that a
/// file of a million people keeps flat memory; forgetting only costs a recomputation or a harmless repeat upsert.
final class BatchPeople {
    static let capacity = 1 << 16
    let keyed: KeyedHash
    private var pseudonyms: [String: String] = [:]
    private(set) var registered: Set<String> = []

    init(keyed: KeyedHash) { self.keyed = keyed }

    func pseudonym(for citizen: CitizenID) -> String {
        if let known = pseudonyms[citizen.value] { return known }
        let pseudonym = keyed.pseudonym(of: citizen.value)
        if pseudonyms.count >= BatchPeople.capacity { pseudonyms.removeAll(keepingCapacity: true) }
        pseudonyms[citizen.value] = pseudonym
        return pseudonym
    }

    func noteRegistered(_ pseudonym: String) {
        if registered.count >= BatchPeople.capacity { registered.removeAll(keepingCapacity: true) }
        registered.insert(pseudonym)
    }
}

extension Row {
    static func fetchOne(_ db: Database, cachedSQL sql: String, arguments: StatementArguments) throws -> Row? {
        try Row.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension String {
    static func fetchOne(_ db: Database, cachedSQL sql: String, arguments: StatementArguments) throws -> String? {
        try String.fetchOne(db.cachedStatement(sql: sql), arguments: arguments)
    }
}

extension Database {
    func execute(cachedSQL sql: String, arguments: StatementArguments) throws {
        try cachedStatement(sql: sql).execute(arguments: arguments)
    }
}
