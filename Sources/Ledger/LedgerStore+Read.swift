import Foundation
import GRDB
import SkillsDomain

/// An event as the ledger holds it: people under their pseudonyms, with its place in the chain and who recorded it when.
public struct StoredEvent: Sendable {
    /// The event's place in the chain: 1 for the first event, one more for each after.
    public var seq: Int64
    /// The event as recorded, people named by pseudonym.
    public var event: Event
    /// When it was recorded: UTC, ISO 8601 to the second (`Timestamp`), not the day it happened.
    public var recordedAt: String
    /// Who recorded it (`--operator`, or the OS user); chained with the event.
    public var operatorName: String
}

extension StoredEvent {
    /// An event read back by another backend (`LedgerPostgres`); in an extension, so the memberwise init stays.
    package init(storedSeq seq: Int64, event: Event, recordedAt: String, operatorName: String) {
        self.init(seq: seq, event: event, recordedAt: recordedAt, operatorName: operatorName)
    }
}

/// One row of what the rules engine reads besides workers' events, never decoded whole: a pack adoption (its id), a
/// reversal (its target, picked from its data) or a grant (entitlement in `target`, amount, period, jurisdiction, …),
/// read from its row of grant facts beside the chain (`GrantFacts`).
public struct RulesInputRow: Sendable, Equatable {
    /// The event's place in the chain.
    public var seq: Int64 = 0
    /// The event's id.
    public var id: String
    /// `policy.adopted`, `event.reversed` or `subsidy.granted`.
    public var kind: EventKind
    /// A grant's entitlement id, or the id of the event a reversal cancels; nil for an adoption.
    public var target: String?
    /// A grant's amount as stored: a yuan string with two decimals, negative for a clawback or a recovery (追回).
    public var amount: String?
    /// A grant's month, `YYYY-MM`.
    public var period: String?
    /// A grant's GB/T 2260 jurisdiction code, as stored.
    public var jurisdiction: String?
    /// A grant's policy version, and for a settlement adjustment or a clawback the grant it adjusts or withdraws.
    public var version: String?
    /// For a settlement adjustment (补发/追回), the grant it settles: the latest grant in force that paid the
    /// entitlement out (`Settlement.Adjustment.adjusts`).
    public var adjusts: String?
    /// For a clawback, the id of the grant it withdraws.
    public var clawbackOf: String?
    /// A grant's first piece of evidence (an event of the worker it concerns), so that a month-end run computing
    /// only some workers can tell whose grant it is.
    public var firstEvidence: String?

    init(id: String, kind: EventKind) {
        self.id = id
        self.kind = kind
    }

    /// What a grant's data gives (`target` is its entitlement), and a reversal's.
    static let grantMembers: [StaticString] = ["entitlement", "amount", "period", "jurisdiction", "version", "adjusts", "clawback_of", "evidence"]
    static let reversalMembers: [StaticString] = ["target"]

    /// A row read by another backend (`LedgerPostgres`): the members of its stored data picked by the same reader
    /// (`StoredDataReader.Fields`) and assigned as `forEachRulesInput` does.
    /// - Returns: nil when the data is not one JSON object.
    package init?(storedSeq seq: Int64, id: String, kind: EventKind, data: String) {
        self.init(id: id, kind: kind)
        self.seq = seq
        guard kind != .policyAdopted else { return }
        var data = data
        guard let values = data.withUTF8({ StoredDataReader.Fields(UnsafeRawBufferPointer($0), keys: kind == .subsidyGranted ? Self.grantMembers : Self.reversalMembers)?.values }) else {
            return nil
        }
        assign(values)
    }

    /// Sets the members from the values read for `grantMembers` or `reversalMembers`.
    mutating func assign(_ values: [String?]) {
        target = values[0]
        if kind == .subsidyGranted {
            amount = values[1]
            period = values[2]
            jurisdiction = values[3]
            (version, adjusts, clawbackOf) = (values[4], values[5], values[6])
            firstEvidence = values[7].flatMap(Self.firstID)
        }
    }

    /// The first string of a stored list of event ids (`["a","b"]`: canonical JSON, ids never escaped).
    static func firstID(_ list: String) -> String? {
        guard let open = list.firstIndex(of: "\"") else { return nil }
        let start = list.index(after: open)
        guard let close = list[start...].firstIndex(of: "\"") else { return nil }
        return String(list[start..<close])
    }
}

/// A person's entry in the personal-data registry.
public struct RegistryEntry: Sendable, Equatable {
    /// The pseudonym that stands for the person in the chain (`ps_` + 32 hex digits).
    public var pseudonym: String
    /// The 公民身份号码; nil once erased, or for a person the registry only knows by pseudonym.
    public var citizenID: String?
    /// The person's name (姓名); nil once erased or when no event gave one.
    public var name: String?
    /// When the personal data was erased (a recording time, `Timestamp`); nil while it is held.
    public var erasedAt: String?
}

extension RegistryEntry {
    /// A registry row read by another backend (`LedgerPostgres`); in an extension, so the memberwise init stays.
    package init(registered pseudonym: String, citizenID: String?, name: String?, erasedAt: String?) {
        self.init(pseudonym: pseudonym, citizenID: citizenID, name: name, erasedAt: erasedAt)
    }
}

extension Row {
    /// Members of the stored `data` in column `index`, picked from SQLite's bytes in place by the one reader of
    /// stored data (`StoredDataReader.Fields`); nil when the column is NULL or not one JSON object.
    func storedFields(atIndex index: Int, keys: [StaticString]) throws -> [String?]? {
        try withUnsafeData(atIndex: index) { data in
            data.flatMap { data in data.withUnsafeBytes { StoredDataReader.Fields($0, keys: keys)?.values } }
        }
    }
}

extension LedgerStore {
    static let eventColumns = "seq, id, kind, occurred_on, source, worker, employer, data, recorded_at, operator"

    static func storedEvent(_ row: Row) throws -> StoredEvent {
        try storedEvent(seq: row[0], id: row[1], kind: EventKind(rawValue: row[2]),
                        fastDate: try row.withUnsafeData(atIndex: 3) { data in data?.withUnsafeBytes(StoredDataReader.date(bytes:)) },
                        dateText: { row[3] }, source: row[4], worker: row[5], employer: row[6],
                        fastData: { kind in try row.withUnsafeData(atIndex: 7) { data in data?.withUnsafeBytes { StoredDataReader.read(bytes: $0, kind: kind) } } },
                        dataText: { row[7] }, recordedAt: row[8], operatorName: row[9])
    }

    /// An event from its columns, however they were read (a GRDB row, or SQLite's bytes by `EventRowReader`). Date
    /// and data are read from the bytes in place (`fastDate`, `fastData`); only what is unusual is made a String and
    /// given to the full parsers, which say what is wrong.
    static func storedEvent(seq: Int64, id: String, kind: EventKind?, fastDate: LocalDate?, dateText: () -> String?, source: String,
                            worker: String?, employer: String?, fastData: (EventKind) throws -> EventData?, dataText: () -> String?,
                            recordedAt: String, operatorName: String) throws -> StoredEvent {
        guard let kind, let occurredOn = fastDate ?? LocalDate.parse(dateText() ?? "") else {
            throw LedgerError.integrity(IntegrityFailure(seq: seq, eventID: id, reason: "a stored kind or date is not valid"))
        }
        let data: EventData
        // The trusted reader covers canonical data; anything else gets the full decoder, which says what is wrong.
        do {
            if let fast = try fastData(kind) {
                data = fast
            } else {
                data = try EventDecoder.decodeStoredData(dataText() ?? "", kind: kind)
            }
        } catch {
            throw LedgerError.integrity(IntegrityFailure(seq: seq, eventID: id, reason: "stored data does not read back: \(error)"))
        }
        let event = Event(id: id, kind: kind, occurredOn: occurredOn, source: source, worker: worker.map { .pseudonym($0) },
                          employer: employer, data: data)
        return StoredEvent(seq: seq, event: event, recordedAt: recordedAt, operatorName: operatorName)
    }

    /// Streams events in recording order, optionally only some kinds, without loading the ledger into memory.
    public func forEachEvent(kinds: Set<EventKind>? = nil, _ body: (StoredEvent) throws -> Void) throws {
        try read { db in
            var sql = "SELECT \(LedgerStore.eventColumns) FROM events"
            var arguments: StatementArguments = []
            if let kinds {
                sql += " WHERE kind IN (" + kinds.map { _ in "?" }.joined(separator: ",") + ")"
                arguments = StatementArguments(kinds.map(\.rawValue).sorted())
            }
            sql += " ORDER BY seq"
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() { try body(LedgerStore.storedEvent(row)) }
        }
    }

    /// Pack adoptions and reversals in recording order, then the grants in recording order (see `RulesInputRow`): a
    /// reversal's target is picked from its stored data, a grant's members come from the grant facts kept beside the
    /// chain (`GrantFacts`), a short row each instead of the event's whole data with its explanation.
    public func forEachRulesInput(_ body: (RulesInputRow) throws -> Void) throws {
        try read { db in
            try LedgerStore.forEachAdoptionOrReversal(db, body)
            let next = try LedgerStore.keptGrantFacts(db)
            while let grant = try next() { try body(grant) }
        }
    }

    /// The same with the grants' rows lent as SQLite's bytes (`GrantFactBytes`): no string is made of them.
    public func forEachRulesInput(_ body: (RulesInputRow) throws -> Void, grants: (GrantFactBytes) throws -> Void) throws {
        try read { db in
            try LedgerStore.forEachAdoptionOrReversal(db, body)
            try LedgerStore.forEachGrantFactBytes(db, grants)
        }
    }

    /// The same with the later half of the grants read at the same time on a reader of its own, from
    /// `threshold` grants on: a month-end run loads a grant per entitlement ever paid before it computes anyone (a
    /// million at a million workers, about two seconds on one thread while the other core waits). The reader ends
    /// where this read does, so both halves are the grants this read sees; the split is found by counting the rows,
    /// which reads no member of them.
    public func forEachRulesInput(_ body: (RulesInputRow) throws -> Void, grants: (GrantFactBytes) throws -> Void,
                                  later: @escaping @Sendable (GrantFactBytes) throws -> Void) throws {
        try forEachRulesInput(body, grants: grants, later: later, twoThreadsFrom: LedgerStore.grantFactsOnTwoThreads)
    }

    func forEachRulesInput(_ body: (RulesInputRow) throws -> Void, grants: (GrantFactBytes) throws -> Void,
                           later: @escaping @Sendable (GrantFactBytes) throws -> Void, twoThreadsFrom threshold: Int) throws {
        try read { db in
            try LedgerStore.forEachAdoptionOrReversal(db, body)
            let count = try Int.fetchOne(db, sql: "SELECT count(*) FROM grant_facts") ?? 0
            guard count >= max(threshold, 2),
                  let split = try Int64.fetchOne(db, sql: "SELECT seq FROM grant_facts ORDER BY seq LIMIT 1 OFFSET ?", arguments: [count / 2]),
                  let last = try Int64.fetchOne(db, sql: "SELECT max(seq) FROM grant_facts")
            else { return try LedgerStore.forEachGrantFactBytes(db, grants) }
            // The second run is waited for whatever the first does: `later` is not called once this returns.
            _ = try inTwoRuns(endingAt: last, first: { try LedgerStore.forEachGrantFactBytes(db, before: split, grants) },
                              second: { db in try LedgerStore.forEachGrantFactBytes(db, from: split, later) })
        }
    }

    /// Runs `first` on the calling thread while `second` runs at the same time on a reader of its own whose tables end
    /// at `last` (the last event the caller's read sees), and returns both results; `second` is waited for whatever
    /// `first` does, so neither outlives this call.
    func inTwoRuns<First, Second: Sendable>(endingAt last: Int64, first: () throws -> First,
                                            second: @escaping @Sendable (Database) throws -> Second) throws -> (First, Second) {
        let reader = try bounded(LedgerCeiling(day: ceiling?.day ?? LocalDate.today(), seq: last))
        let background = BackgroundResult { try reader.read(second) }
        let firstResult = Result { try first() }
        let secondResult = Result { try background.value() }
        return (try firstResult.get(), try secondResult.get())
    }

    /// From how many grants `forEachRulesInput(_:grants:later:)` reads the later half on a second thread.
    static let grantFactsOnTwoThreads = 20_000

    /// Pack adoptions and reversals in recording order: a reversal's target picked from its stored data.
    static func forEachAdoptionOrReversal(_ db: Database, _ body: (RulesInputRow) throws -> Void) throws {
        let rows = try Row.fetchCursor(db, sql: """
            SELECT seq, id, kind, data FROM events WHERE kind IN ('policy.adopted', 'event.reversed') ORDER BY seq
            """)
        while let row = try rows.next() {
            guard let kind = EventKind(rawValue: row[2]) else { continue }
            var input = RulesInputRow(id: row[1], kind: kind)
            input.seq = row[0]
            if kind == .eventReversed {
                guard let values = try row.storedFields(atIndex: 3, keys: RulesInputRow.reversalMembers) else {
                    throw LedgerError.integrity(IntegrityFailure(seq: row[0], eventID: input.id, reason: "the stored data is not a JSON object"))
                }
                input.assign(values)
            }
            try body(input)
        }
    }

    /// How many people the personal-data registry holds (an estimate of the workers, for progress).
    public func registeredPeople() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM persons") ?? 0 }
    }

    /// Every event about one person (as worker or payee), in recording order.
    public func events(person pseudonym: String) throws -> [StoredEvent] {
        try read { db in
            try Row.fetchAll(db, sql: LedgerStore.personEventsSQL, arguments: [pseudonym, pseudonym]).map(LedgerStore.storedEvent)
        }
    }

    /// The events of a person: theirs through the worker index, and the grants and payments naming them as payee
    /// through the payee index (`events_by_payee`, whose expression and condition these are: json_extract only
    /// chooses the rows).
    static let personEventsSQL = """
        SELECT \(eventColumns) FROM events WHERE worker = ?
        UNION SELECT \(eventColumns) FROM events
            WHERE kind IN ('subsidy.granted', 'subsidy.paid') AND json_extract(data, '$.payee') = ?
        ORDER BY seq
        """

    public func event(id: String) throws -> StoredEvent? {
        try read { db in try event(id: id, db) }
    }

    func event(id: String, _ db: Database) throws -> StoredEvent? {
        try Row.fetchOne(db, sql: "SELECT \(LedgerStore.eventColumns) FROM events WHERE id = ?", arguments: [id]).map(LedgerStore.storedEvent)
    }

    /// The registry entry behind a pseudonym.
    public func registryEntry(pseudonym: String) throws -> RegistryEntry? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT pseudonym, citizen_id, name, erased_at FROM persons WHERE pseudonym = ?",
                             arguments: [pseudonym]).map { RegistryEntry(pseudonym: $0[0], citizenID: $0[1], name: $0[2], erasedAt: $0[3]) }
        }
    }

    /// Pseudonym → 公民身份号码 for everyone still in the registry (erased people are absent and stay pseudonymous).
    public func identities() throws -> [String: String] {
        try read { db in
            var result: [String: String] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT pseudonym, citizen_id FROM persons WHERE citizen_id IS NOT NULL")
            while let row = try rows.next() { result[row[0]] = row[1] }
            return result
        }
    }

    /// Pseudonym → 公民身份号码 for just these people (those a report prints, a chunk at a time), so that memory follows
    /// the report, not the registry. As `identities()` has them: erased people and organisations are absent.
    public func identities(of pseudonyms: some Sequence<String>) throws -> [String: String] {
        try lookUpIdentities(pseudonyms)
    }

    func lookUpIdentities(_ pseudonyms: some Sequence<String>, twoThreadsFrom threshold: Int = LedgerStore.identitiesOnTwoThreads) throws -> [String: String] {
        // In key order, so that consecutive searches walk the same pages of the registry's index.
        let wanted = Set(pseudonyms).filter(PersonRef.isPseudonym).sorted()
        guard wanted.count >= threshold else { return try lookUpIdentities(sorted: wanted[...]) }
        // A month's report at a million workers names about 90,000 people, one search each (a few tenths of a second
        // after every worker is computed): the second half is looked up at the same time on a reader of its own.
        let half = wanted.count / 2
        let reader = try boundedReaders(1)[0]
        let second = BackgroundResult { [wanted] in try reader.lookUpIdentities(sorted: wanted[half...]) }
        var result = try lookUpIdentities(sorted: wanted[..<half])
        result.merge(try second.value(), uniquingKeysWith: { first, _ in first })
        return result
    }

    /// From how many people on `lookUpIdentities` uses a second thread.
    static let identitiesOnTwoThreads = 20_000

    func lookUpIdentities(sorted pseudonyms: ArraySlice<String>) throws -> [String: String] {
        try read { db in
            var result: [String: String] = [:]
            result.reserveCapacity(pseudonyms.count)
            // One prepared statement, one primary-key search per person: cheaper than long IN lists, which SQLite
            // parses and sorts into a temporary index first.
            let statement = try db.cachedStatement(sql: "SELECT citizen_id FROM persons WHERE pseudonym = ? AND citizen_id IS NOT NULL")
            for pseudonym in pseudonyms {
                if let citizen = try String.fetchOne(statement, arguments: [pseudonym]) { result[pseudonym] = citizen }
            }
            return result
        }
    }

    /// Pseudonym → name for everyone whose name is in the registry.
    public func names() throws -> [String: String] {
        try read { db in
            var result: [String: String] = [:]
            let rows = try Row.fetchCursor(db, sql: "SELECT pseudonym, name FROM persons WHERE name IS NOT NULL")
            while let row = try rows.next() { result[row[0]] = row[1] }
            return result
        }
    }

    /// Resolves what a user typed (a 公民身份号码 or a pseudonym) to the pseudonym the chain uses.
    public func pseudonym(forInput text: String) throws(ValueError) -> String {
        switch try EventDecoder.personRef(text) {
        case .citizen(let id): pseudonym(for: id)
        case .pseudonym(let token): token
        }
    }

    /// Writes every event as JSON Lines that `submit` accepts into a fresh ledger: people re-identified from the
    /// registry (erased people stay pseudonymous), names restored to `worker.registered`, and the recording
    /// metadata (seq, recorded_at, operator) alongside.
    public func export(_ write: (String) throws -> Void) throws {
        let identities = try identities()
        let names = try names()
        try forEachEvent { stored in
            if let line = LedgerStore.exportLine(stored, identities: identities, names: names) { try write(line) }
        }
    }

    /// One line of `export` (shared with `LedgerPostgres`, so both backends write the same bytes): the event with its
    /// people re-identified from `identities`, a registered worker's name from `names`, and seq, recorded_at and
    /// operator appended. Nil for an event whose JSON is not an object (none is).
    package static func exportLine(_ stored: StoredEvent, identities: [String: String], names: [String: String]) -> String? {
        let event = stored.event.mappingPeople { person in
            if case .pseudonym(let token) = person, let id = identities[token], let citizen = try? CitizenID(id) { return .citizen(citizen) }
            return person
        }
        guard case .object(var members) = event.json else { return nil }
        if event.kind == .workerRegistered, case .pseudonym(let token)? = stored.event.worker, let name = names[token],
           let dataIndex = members.firstIndex(where: { $0.key == "data" }), case .object(var data) = members[dataIndex].value {
            data.insert(JSONMember("name", .string(name)), at: 0)
            members[dataIndex].value = .object(data)
        }
        members.append(JSONMember("seq", .number(String(stored.seq))))
        members.append(JSONMember("recorded_at", .string(stored.recordedAt)))
        members.append(JSONMember("operator", .string(stored.operatorName)))
        return CanonicalJSONWriter.string(.object(members))
    }

    /// Removes a person's personal data (name, 公民身份号码) from the registry. The chain, which holds only the
    /// pseudonym, still verifies; the history stays countable under the pseudonym. Free pages are zeroed
    /// (`secure_delete`) and the file is vacuumed so that nothing of the erased data remains in it.
    /// - Returns: the pseudonym, or nil if the registry has no such person.
    @discardableResult
    public func erase(citizen: CitizenID, reason: String) throws -> String? {
        try refuseWritesAsOf("erasing personal data")
        let pseudonym = pseudonym(for: citizen)
        let changed = try mapBusy {
            try writer.write { db in
                let erasedAt = Timestamp.now()
                // The seal of the row as it will be (the pseudonym is the key; nothing else of the old row remains).
                let seal = LedgerStore.registrySeal(keyed: keyed, [pseudonym, nil, nil, erasedAt, reason])
                try db.execute(sql: """
                    UPDATE persons SET citizen_id = NULL, name = NULL, erased_at = ?, erase_reason = ?, seal = ?
                    WHERE pseudonym = ? AND citizen_id IS NOT NULL
                    """, arguments: [erasedAt, reason, seal, pseudonym])
                let changed = db.changesCount
                // The service's kept answers (Idempotency-Key) may show the person's 公民身份号码: they go too.
                try db.execute(sql: "DELETE FROM idempotency_keys WHERE instr(body, ?) > 0", arguments: [Data(citizen.value.utf8)])
                return changed
            }
        }
        // Scrub even when the row was erased before: an earlier `erase` may have been killed between its update and
        // the scrub, and running it again must finish the job.
        if changed == 0, try registryEntry(pseudonym: pseudonym)?.erasedAt == nil { return nil }
        try scrub()
        return changed > 0 ? pseudonym : nil
    }

    /// Rewrites the file without its free pages and folds the write-ahead log into it, so that no earlier copy of
    /// erased data stays anywhere in the ledger's files. A checkpoint that other processes' open reads keep from
    /// finishing is reported, not ignored: the old pages would still be on disk.
    func scrub() throws {
        let complete = try mapBusy {
            try writer.writeWithoutTransaction { db -> Bool in
                try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                try db.execute(sql: "VACUUM")
                let result = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                return (try result?.decode(Int.self, atIndex: 0)) == 0
            }
        }
        guard complete else {
            throw LedgerError.refused("the personal data is erased from the registry, but another process is reading \(path), so the old " +
                "pages could not be overwritten yet: run the same `erase` again when no one else is using the ledger")
        }
    }
}

extension LedgerStore {
    /// Streams every person's events, one person at a time (grouped by pseudonym, each group in recording order),
    /// so that per-worker computations never hold the whole ledger in memory.
    public func forEachWorker(_ body: (String, [StoredEvent]) throws -> Void) throws {
        try forEachWorker(among: nil, body)
    }
}

/// A result computed on a thread of its own while the caller goes on; `value()` waits for it and rethrows its error.
final class BackgroundResult<Value: Sendable>: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    private var result: Result<Value, any Error>?

    init(_ compute: @escaping @Sendable () throws -> Value) {
        let thread = Thread { [self] in
            result = Result(catching: compute)
            finished.signal()
        }
        thread.name = "skills-ledger reading"
        thread.start()
    }

    func value() throws -> Value {
        finished.wait()
        finished.signal()
        return try result!.get()
    }
}
