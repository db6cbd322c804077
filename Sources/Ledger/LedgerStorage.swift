import SkillsDomain

/// The storage seam: everything the rules, reconciliation and the application layer ask of a ledger, with no
/// database type in any signature, so that a PostgreSQL implementation can sit beside the SQLite one.
///
/// ```swift
/// let ledger: any LedgerStorage = try LedgerStore.open(path: "skills-ledger.sqlite", create: true)
/// let result = try await ledger.append(submissions, operatorName: "clerk-1", recordedAt: Timestamp.now())
/// let report = try await ledger.verify(progress: nil)
/// ```
///
/// Requirements are `async` because a networked backend waits on its server; the SQLite store (`LedgerStore`)
/// satisfies them with its synchronous methods, so its callers pay nothing for the seam. Streaming reads hand rows
/// to a synchronous `body` one at a time: memory follows a row, never the ledger. Every write is one transaction
/// that preserves the chain, idempotency, closed months and the registry, whichever backend runs it.
public protocol LedgerStorage: Sendable {
    /// Where the ledger lives, as the user named it (a file path, or later a `postgres://` URL without password).
    var location: String { get }

    // MARK: People

    /// The keyed pseudonym that stands for a person in the chain (`ps_` + 32 hex digits of HMAC-SHA-256).
    func pseudonym(for citizen: CitizenID) -> String

    /// Resolves what a user typed (a 公民身份号码 or a pseudonym) to the pseudonym the chain uses.
    func pseudonym(forInput text: String) async throws -> String

    /// The registry entry behind a pseudonym, or nil when the registry never held it.
    func registryEntry(pseudonym: String) async throws -> RegistryEntry?

    /// Pseudonym → 公民身份号码 for just these people; erased people and organisations are absent.
    func identities(of pseudonyms: [String]) async throws -> [String: String]

    /// How many people the registry holds (an estimate of the workers, for progress).
    func registeredPeople() async throws -> Int

    /// Removes a person's name and 公民身份号码 from the registry; the chain still verifies.
    /// - Returns: the pseudonym, or nil if the registry has no such person.
    func erase(citizen: CitizenID, reason: String) async throws -> String?

    // MARK: Appending

    /// Appends a batch atomically (all or nothing), idempotent by event id, refusing conflicts and closed months.
    func append(_ submissions: [Submission], operatorName: String, recordedAt: String) async throws -> AppendResult

    /// Appends what `produce` adds to the sink, in one transaction; if `produce` throws, nothing is written.
    func append(operatorName: String, recordedAt: String, cache: AppendCache,
                _ produce: (inout AppendSink) throws -> Void) async throws -> AppendResult

    /// The same, while `produce` reads the ledger as it stood before this batch through `snapshot` (synchronous reads
    /// of a second connection: `grant` computes every worker's entitlements and streams the grants into the batch).
    func appendReadingSnapshot(operatorName: String, recordedAt: String, cache: AppendCache,
                               _ produce: (inout AppendSink, any LedgerSnapshot) throws -> Void) async throws -> AppendResult

    // MARK: Reading

    /// One event by id, or nil.
    func event(id: String) async throws -> StoredEvent?

    /// Streams events in recording order, optionally only some kinds.
    func forEachEvent(kinds: Set<EventKind>?, _ body: (StoredEvent) throws -> Void) async throws

    /// Pack adoptions and reversals in recording order, then the grants in recording order, by projection (a grant's
    /// members from the grant facts kept beside the chain).
    func forEachRulesInput(_ body: (RulesInputRow) throws -> Void) async throws

    /// The same with each grant lent as the bytes the storage holds (`GrantFactBytes`), to `grants`; a default lends
    /// the text of each `RulesInputRow`.
    func forEachRulesInput(_ body: (RulesInputRow) throws -> Void, grants: (GrantFactBytes) throws -> Void) async throws

    /// The same with the grants in two runs read at once when there are many: those recorded first go to `grants` on
    /// the calling thread, the rest to `later` on a thread of its own, each run in recording order, `later` done
    /// when this returns. A default reads them on one connection and gives every grant to `grants`.
    func forEachRulesInput(_ body: (RulesInputRow) throws -> Void, grants: (GrantFactBytes) throws -> Void,
                           later: @escaping @Sendable (GrantFactBytes) throws -> Void) async throws

    /// Writes what is kept beside the chain for speed (the grant facts) again from the chain, in one transaction; the
    /// chain is only read. Refused on a view as of a day.
    func rebuildProjections() async throws -> RebuildReport

    /// Which months are closed for which jurisdictions (the `period.closed` and `period.reopened` marks).
    func closedPeriods() async throws -> ClosedPeriods

    /// Every event about one person (as worker or payee), in recording order.
    func events(person pseudonym: String) async throws -> [StoredEvent]

    /// Streams the grants and reversals recorded before `cutoff` (a seq), in recording order.
    func forEachGrantOrReversal(before cutoff: Int64, _ body: (MoneyEvent) throws -> Void) async throws

    /// Streams the payments recorded before `cutoff` and dated up to `lastDay`, ordered by date, payment id and
    /// event id, without holding them in memory.
    func forEachPayment(through lastDay: LocalDate, before cutoff: Int64, _ body: (MoneyEvent) throws -> Void) async throws

    /// Everything the ledger holds about one person: timeline, reversals of it, registry entry.
    func workerHistory(pseudonym: String) async throws -> WorkerHistory

    /// The people with at least one event of these kinds dated within the range.
    func workers(withEventsOf kinds: Set<EventKind>, from start: LocalDate?, through end: LocalDate) async throws -> Set<String>

    /// Streams every person's events, one person at a time in pseudonym order.
    func forEachWorker(_ body: (String, [StoredEvent]) throws -> Void) async throws

    /// Streams the events of the given people only, one person at a time in pseudonym order.
    func forEachWorker(in candidates: Set<String>, _ body: (String, [StoredEvent]) throws -> Void) async throws

    /// `count` readers of the ledger as it stands now, each on a connection of its own and ending at the same last
    /// event, so that a month-end run can read its candidates' histories on several threads at once (a reader is used
    /// from one thread at a time); empty where the backend reads on one connection.
    func concurrentReaders(_ count: Int) async throws -> [any LedgerSnapshot & Sendable]

    /// What was recorded after `seq`: the kinds, and the workers those events (and the events reversed) concern.
    func changes(after seq: Int64) async throws -> LedgerChanges

    // MARK: Integrity

    /// Recomputes the whole chain; throws `LedgerError.integrity` naming the first event that does not match.
    func verify(progress: ((Int64) -> Void)?) async throws -> VerifyReport

    /// Verifies the chain and that it still extends a digest published earlier.
    func verify(extending published: LedgerDigest) async throws -> VerifyReport

    /// The event count and head hash, `COUNT:HASH`.
    func digest() async throws -> LedgerDigest

    /// Writes every event as JSON Lines that `submit` accepts into a fresh ledger, people re-identified.
    func export(_ write: (String) throws -> Void) async throws

    /// Copies the ledger to a new file, consistent to one moment, and checks the copy.
    func backup(to path: String) async throws -> BackupReport

    // MARK: As of a date

    /// The ledger as it was recorded up to the end of `day` (UTC recording time, not `occurred_on`): a read-only
    /// view of this storage in which every read above (events, rules inputs, workers, reversals, closed periods,
    /// money events, verify, digest, export) stops at the last event recorded by then, and the registry holds the
    /// entries of the people those events name, as they are now (the registry keeps no history: an entry erased
    /// since stays erased). Its writes (appends, `erase`, `backup`) throw `LedgerError.refused`. A day before the
    /// first event gives an empty view (`digest` `0:` and 64 zeros).
    func asOf(_ day: LocalDate) async throws -> any LedgerStorage

    // MARK: Access to the service (outside the chain)

    /// Stores a new token's hash and records its `access.granted` event, in one transaction.
    /// - Throws: `LedgerError.refused` when a token of that name exists (or existed), and the append's errors.
    func grantAccess(_ token: AccessTokenRecord, recording event: Submission, operatorName: String,
                     recordedAt: String) async throws -> AppendResult

    /// Marks the named token revoked and records its `access.revoked` event, in one transaction.
    /// - Throws: `LedgerError.refused` when no token of that name is in use.
    func revokeAccess(name: String, recording event: Submission, operatorName: String, recordedAt: String) async throws -> AppendResult

    /// Every token ever created, revoked ones included, oldest first.
    func accessTokens() async throws -> [AccessTokenRecord]

    /// Records that the named token was used in `minute` (`YYYY-MM-DDTHH:MMZ`).
    func noteAccessTokenUsed(name: String, at minute: String) async throws

    /// The answer stored for `key` of the named token, or nil.
    func idempotentResponse(tokenName: String, key: String) async throws -> IdempotentResponse?

    /// Stores the first answer for `key` of the named token.
    func storeIdempotentResponse(_ response: IdempotentResponse, tokenName: String, key: String, recordedAt: String) async throws
}

/// The reads a batch's producer may make while the batch is open (`LedgerStorage.appendReadingSnapshot`): the ledger
/// as it stood before the batch, synchronously, because the producer feeds the batch row by row.
public protocol LedgerSnapshot {
    /// One event by id, or nil.
    func event(id: String) throws -> StoredEvent?

    /// Streams every person's events, one person at a time in pseudonym order.
    func forEachWorker(_ body: (String, [StoredEvent]) throws -> Void) throws

    /// Streams the events of the given people only, one person at a time in pseudonym order.
    func forEachWorker(in candidates: Set<String>, _ body: (String, [StoredEvent]) throws -> Void) throws

    /// What was recorded after `seq` and before this batch (see `LedgerChanges`).
    func changes(after seq: Int64) throws -> LedgerChanges
}

extension LedgerStore: LedgerSnapshot {}

extension LedgerStore: LedgerStorage {
    public var location: String { ceiling.map { "\(path) as of \($0.day)" } ?? path }

    public func identities(of pseudonyms: [String]) throws -> [String: String] {
        try lookUpIdentities(pseudonyms)
    }

    public func asOf(_ day: LocalDate) throws -> any LedgerStorage { try view(asOf: day) }

    public func closedPeriods() throws -> ClosedPeriods {
        try read { db in try ClosedPeriods.load(db) }
    }

    /// A second connection reads the ledger as it was before this batch while the batch streams into the first
    /// (write-ahead logging lets a reader work beside the open write transaction).
    public func appendReadingSnapshot(operatorName: String, recordedAt: String, cache: AppendCache,
                                      _ produce: (inout AppendSink, any LedgerSnapshot) throws -> Void) throws -> AppendResult {
        try refuseWritesAsOf("appending events")
        let snapshot = try LedgerStore.open(path: path)
        return try append(operatorName: operatorName, recordedAt: recordedAt, cache: cache) { sink in try produce(&sink, snapshot) }
    }
}
