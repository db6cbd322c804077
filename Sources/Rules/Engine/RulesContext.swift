import Ledger
import SkillsDomain

/// What the engine reads from the ledger besides workers' own events: the adopted packs, every reversal, the closed
/// months and the grants made so far.
public struct RulesContext: Sendable {
    /// The adopted packs, re-read from the text recorded by `policy adopt`.
    public var policies: PolicySet
    /// The events cancelled by an event.reversed.
    public var inForce: EventsInForce
    /// Which months are closed for which jurisdictions.
    public var closed: ClosedPeriods
    /// Every `subsidy.granted` event, by the few fields the engine and the audits read (in recording order), kept
    /// column by column (`GrantTable`).
    public var grants: GrantTable
    /// Reversal id → its place in the chain, so that settlement can name the reversals recorded after a grant.
    public var reversalSeq: [String: Int64] = [:]

    /// A grant as the engine needs it, read by projection: its explanation and evidence are never decoded.
    public struct GrantRecord: Sendable, Equatable {
        /// The grant's event id.
        public var id: String
        /// The id of the entitlement granted.
        public var entitlement: String?
        /// The amount in fen, negative for a clawback or a recovery (追回); nil when the stored text does not read.
        public var amount: Money?
        /// The month it was granted for; nil when the stored text does not read.
        public var period: Month?
        /// The GB/T 2260 code it was granted under, as stored.
        public var jurisdiction: String?
        /// The grant's place in the chain.
        public var seq: Int64 = 0
        /// The version of the policy it was computed under.
        public var version: String?
        /// Set on a settlement adjustment (补发 / 追回): the grant it adjusts.
        public var adjusts: String?
        /// Set on a clawback: the grant it withdraws.
        public var clawbackOf: String?
        /// `EventKey` of the grant's first piece of evidence (an event of the worker it concerns); nil without evidence.
        public var evidenceKey: EventKey?
    }

    /// Loads the context in one scan; packs are re-read from the exact text recorded by `policy adopt`. Grants are
    /// read from their rows of grant facts beside the chain, each lent as bytes and packed in place (`GrantTable`),
    /// so that a million grants make no string each.
    public static func load(_ store: any LedgerStorage) async throws -> RulesContext {
        var loaded = Loaded()
        // A ledger with many grants reads the later half at the same time on a thread of its own, into a table of its
        // own that is appended to the first when both are read (the same table as one read gives).
        let later = LaterGrants()
        try await store.forEachRulesInput({ row in loaded.add(row) }, grants: { grant in loaded.grants.append(grant) },
                                          later: { [later] grant in later.table.append(grant) })
        loaded.grants.append(contentsOf: later.table)
        let closed = try await store.closedPeriods()
        return RulesContext(policies: PolicySet(try await packs(store, loaded.adoptions)), inForce: loaded.inForce, closed: closed,
                            grants: loaded.grants, reversalSeq: loaded.reversalSeq)
    }

    /// The grants of the later run of `load`, packed on the thread that reads them, then read by the caller once that
    /// thread is done (`forEachRulesInput(_:grants:later:)` returns after it): one thread at a time.
    final class LaterGrants: @unchecked Sendable {
        var table = GrantTable()
    }

    /// What `load` gathers from the rows, in recording order.
    struct Loaded {
        var adoptions: [String] = []
        var inForce = EventsInForce()
        var grants = GrantTable()
        var reversalSeq: [String: Int64] = [:]

        mutating func add(_ row: RulesInputRow) {
            switch row.kind {
            case .policyAdopted: adoptions.append(row.id)
            case .eventReversed:
                if let target = row.target { inForce.noteReversal(row.id, of: target) }
                reversalSeq[row.id] = row.seq
            default: break    // grants come as bytes, to `grants.append`
            }
        }
    }

    static func packs(_ store: any LedgerStorage, _ adoptions: [String]) async throws -> [PolicyPack] {
        var adopted: [StoredEvent] = []
        for id in adoptions {
            if let stored = try await store.event(id: id) { adopted.append(stored) }
        }
        return try adopted.map { stored in
            let data = stored.event.data
            let name = "\(data.text("policy") ?? "?")@\(data.text("version") ?? "?") (adopted as \(stored.event.id))"
            do { return try PackLoader.load(text: data.text("text") ?? "", file: name) } catch {
                throw LedgerError.integrity(IntegrityFailure(seq: stored.seq, eventID: stored.event.id,
                                                             reason: "the adopted pack no longer loads: \(error)"))
            }
        }
    }

    /// The grants in force of one entitlement: how many paid out (positive, settlement adjustments aside), the latest
    /// of those, and the net; for settlement, how many adjustments were ever recorded (for their ids), and the version,
    /// place in the chain and month of the latest grant in force.
    public struct GrantedEntry: Sendable {
        /// How many positive grants in force paid it out, settlement adjustments aside.
        public var positiveGrants = 0
        /// The id of the latest of those: the grant a settlement adjustment names in `adjusts`.
        public var latestPositive: String?
        /// The net granted in force, in fen: grants, clawbacks and adjustments summed.
        public var net = Money.zero
        /// How many positive grants were ever recorded for it, reversed ones included (the next one's id counts on).
        public var grantsRecorded = 0
        /// How many adjustments were ever recorded for it, reversed ones included (the next one's id counts on).
        public var adjustmentsRecorded = 0
        /// The policy version of the latest grant or adjustment in force (clawbacks aside).
        public var latestVersion: String?
        /// The place in the chain of that latest grant or adjustment.
        public var latestSeq: Int64 = 0
        /// The months its grants were recorded in, first and latest.
        public var firstPeriod: Month?
        /// The month of the latest grant or adjustment in force (clawbacks aside).
        public var latestPeriod: Month?
    }

    /// The keys of `grantedByEntitlement` that a grant in force or any adjustment put there (not those of a reversed
    /// grant alone), without building its entries: a million grants' entries take hundreds of megabytes. Read from
    /// the columns of `grants`, 16 bytes an id. Built in one buffer sized for every grant and made unique in place:
    /// grown by doubling and copied to drop repeats, it held 33 MB at once at a million grants.
    public var grantedEntitlementIDs: GrantedEntitlements {
        let reversed = ReversedGrants(inForce)
        var result = GrantedEntitlements()
        var packed: [PackedEntitlement] = []
        packed.reserveCapacity(grants.count)
        for position in grants.indices where grants.hasEntitlement(at: position) && grants.amounts[position] != GrantTable.unreadable {
            let texts = grants.texts(at: position)
            guard texts?.adjusts != nil || !reversed.isReversed(grants, at: position) else { continue }
            if let key = grants.packedEntitlement(at: position) {
                packed.append(key)
            } else if let entitlement = texts?.entitlement {
                result.others.insert(entitlement)
            }
        }
        packed.sort()
        // An entitlement granted, adjusted or clawed back more than once appears once.
        var kept = 0
        for index in packed.indices where kept == 0 || packed[kept - 1] != packed[index] {
            packed[kept] = packed[index]
            kept += 1
        }
        packed.removeSubrange(kept...)
        result.packed = packed
        return result
    }

    /// Grants in force (not reversed), by entitlement id, with clawbacks and adjustments applied: the net amount granted.
    public var grantedByEntitlement: [String: GrantedEntry] { grantedByEntitlement(of: nil) }

    /// The same for some entitlements only (nil: all).
    public func grantedByEntitlement(of only: Set<String>?) -> [String: GrantedEntry] {
        var result: [String: GrantedEntry] = [:]
        // Some entitlements: told by their packed ids, so that only their grants are built.
        let packed = only.map { Set($0.compactMap(PackedEntitlement.init)) }
        for position in grants.indices where grants.hasEntitlement(at: position) {
            if let only, let packed {
                if let key = grants.packedEntitlement(at: position) {
                    guard packed.contains(key) else { continue }
                } else if !(grants.entitlement(at: position).map(only.contains) ?? false) {
                    continue
                }
            }
            let grant = grants[position]
            guard let entitlement = grant.entitlement else { continue }
            var entry = result[entitlement]
            fold(grant, into: &entry)
            if let entry { result[entitlement] = entry }
        }
        return result
    }

    /// Adds one grant (in recording order) to its entitlement's entry; the entry comes into being with the first grant
    /// that counts (in force, or any adjustment, or any positive grant for the ids).
    func fold(_ grant: GrantRecord, into entry: inout GrantedEntry?) {
        guard let amount = grant.amount else { return }
        // Adjustment ids count every adjustment recorded, reversed or not, so that a new one never reuses an id.
        if grant.adjusts != nil { entry = entry ?? GrantedEntry(); entry!.adjustmentsRecorded += 1 }
        // So do grant ids: a grant reversed keeps its id, and the entitlement granted again takes the next one.
        if grant.adjusts == nil && amount.fen > 0 { entry = entry ?? GrantedEntry(); entry!.grantsRecorded += 1 }
        guard !inForce.isReversed(grant.id) else { return }
        entry = entry ?? GrantedEntry()
        entry!.net += amount
        if amount.fen > 0 && grant.adjusts == nil {
            entry!.positiveGrants += 1
            entry!.latestPositive = grant.id
        }
        if grant.clawbackOf == nil {
            entry!.latestVersion = grant.version
            entry!.latestSeq = grant.seq
            if entry!.firstPeriod == nil { entry!.firstPeriod = grant.period }
            entry!.latestPeriod = grant.period
        }
    }

    /// Whether every grant of an entitlement names its evidence (what `GrantIndex` finds grants by).
    public var everyGrantNamesEvidence: Bool {
        !grants.indices.contains { position in
            grants.hasEntitlement(at: position) && grants.amounts[position] != GrantTable.unreadable && grants.evidenceKey(at: position) == nil
        }
    }
}

/// The grants by the keys of their first evidence, sorted: twelve bytes a grant instead of an entry per entitlement,
/// so that a run computing a few workers builds the entries of their entitlements alone (`entry(for:)`,
/// `forEachEntry(evidencedBy:)`). Every grant of an entitlement names the same evidence: its first piece is an event
/// of the worker it concerns.
public struct GrantIndex: Sendable {
    let context: RulesContext
    private var keys: [UInt64] = []
    private var positions: [Int32] = []

    public init(_ context: RulesContext) {
        self.context = context
        var pairs: [(UInt64, Int32)] = []
        pairs.reserveCapacity(context.grants.count)
        let grants = context.grants
        for position in grants.indices where grants.hasEntitlement(at: position) {
            if let key = grants.evidenceKey(at: position) { pairs.append((key.value, Int32(position))) }
        }
        pairs.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        keys = pairs.map(\.0)
        positions = pairs.map(\.1)
    }

    /// The positions (in `context.grants`) of the grants whose first evidence has this key.
    func positions(of key: EventKey) -> ArraySlice<Int32> {
        var low = 0, high = keys.count
        while low < high {
            let middle = (low + high) / 2
            if keys[middle] < key.value { low = middle + 1 } else { high = middle }
        }
        var end = low
        while end < keys.count && keys[end] == key.value { end += 1 }
        return positions[low..<end]
    }

    /// The entry of an entitlement, found through its evidence; nil when nothing was granted for it.
    public func entry(for entitlement: Entitlement) -> RulesContext.GrantedEntry? {
        var found: [Int32] = []
        for evidence in entitlement.evidence { found.append(contentsOf: positions(of: EventKey(evidence))) }
        guard !found.isEmpty else { return nil }
        found.sort()
        // Compared by the packed id, so that only the entitlement's own grants are built.
        let grants = context.grants
        let packed = PackedEntitlement(entitlement.id)
        var entry: RulesContext.GrantedEntry?
        var previous: Int32 = -1
        for position in found where position != previous {
            previous = position
            let isFor = packed.map { grants.packedEntitlement(at: Int(position)) == $0 } ?? (grants.entitlement(at: Int(position)) == entitlement.id)
            if isFor { context.fold(grants[Int(position)], into: &entry) }
        }
        return entry
    }

    /// The entries of every entitlement whose grants' first evidence is among `keys` (the events of the workers a run
    /// computed, in any order, repeats allowed), one entitlement at a time, in no particular order, without holding
    /// them all (a month's computed workers have hundreds of thousands of grants; their entries took over 100 MB as
    /// one dictionary). The keys are sorted and walked beside the index's own in one pass: a binary search per key
    /// jumped about the index's 8 MB at a million grants, 0.3 s for a month's computed workers.
    ///
    /// The entitlements in `skipping` are passed over before their grants are read (a month's computed workers have
    /// tens of thousands of grants still due; `grant` only looks for those no longer due).
    public func forEachEntry(evidencedBy keys: [EventKey], skipping: EntitlementIDs = EntitlementIDs(),
                             _ body: (String, RulesContext.GrantedEntry) throws -> Void) rethrows {
        var wanted = keys.map(\.value)
        wanted.sort()
        var found: [Int32] = []
        var next = 0
        var previous: UInt64?
        for key in wanted where key != previous {
            previous = key
            while next < self.keys.count && self.keys[next] < key { next += 1 }
            while next < self.keys.count && self.keys[next] == key {
                found.append(positions[next])
                next += 1
            }
        }
        // Grouped by entitlement, each group in recording order (what `fold` expects): packed ids by their 80 bits,
        // any other id by its text.
        let grants = context.grants
        var packed: [(PackedEntitlement, Int32)] = []
        var others: [(String, Int32)] = []
        for position in found where grants.hasEntitlement(at: Int(position)) {
            if let key = grants.packedEntitlement(at: Int(position)) {
                if !skipping.packed.contains(key) { packed.append((key, position)) }
            } else if let entitlement = grants.entitlement(at: Int(position)), !skipping.others.contains(entitlement) {
                others.append((entitlement, position))
            }
        }
        packed.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        others.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        try forEachGroup(packed, text: \.text, body)
        try forEachGroup(others, text: { $0 }, body)
    }

    /// Folds each run of equal keys (sorted, positions ascending within a run) into one entry.
    func forEachGroup<Key: Equatable>(_ ordered: [(Key, Int32)], text: (Key) -> String,
                                      _ body: (String, RulesContext.GrantedEntry) throws -> Void) rethrows {
        var start = 0
        while start < ordered.count {
            let key = ordered[start].0
            var entry: RulesContext.GrantedEntry?
            var end = start
            while end < ordered.count && ordered[end].0 == key {
                context.fold(context.grants[Int(ordered[end].1)], into: &entry)
                end += 1
            }
            if let entry { try body(text(key), entry) }
            start = end
        }
    }
}

/// A set of entitlement ids: the usual ones (`ent-` and 20 hex digits) as their 80 bits, so that a grant's packed id
/// is looked up without making its text; any other id as text.
public struct EntitlementIDs: Sendable {
    var packed: Set<PackedEntitlement> = []
    var others: Set<String> = []

    public init() {}

    public mutating func insert(_ id: String) {
        if let key = PackedEntitlement(id) { packed.insert(key) } else { others.insert(id) }
    }

    public func contains(_ id: String) -> Bool {
        if let key = PackedEntitlement(id) { packed.contains(key) } else { others.contains(id) }
    }
}

/// A 64-bit FNV-1a hash of an event id: a set of them tells, at eight bytes an event, whether a grant's evidence may
/// be among some workers' events (a match is then confirmed by reading the event).
public struct EventKey: Hashable, Sendable {
    public let value: UInt64

    init(value: UInt64) { self.value = value }

    public init(_ id: String) { self.init(utf8: id.utf8) }

    /// The key of an id given as UTF-8 bytes (`GrantFactBytes`).
    public init(bytes: UnsafeRawBufferPointer) { self.init(utf8: bytes) }

    init(utf8: some Sequence<UInt8>) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        value = hash
    }
}

extension RulesContext {
    /// The latest grant run that covered `jurisdiction`, as the chain shows it: among the grants recorded by a run of
    /// `jurisdiction` or of one containing it, the month granted latest and the place of the last grant of that month.
    /// After that run every entitlement of the jurisdiction due up to that month was granted, settled, clawed back,
    /// held or lapsed; what can change it since is recorded after that place (`LedgerChanges`).
    public func lastGrantRun(covering jurisdiction: JurisdictionCode) -> (month: Month, seq: Int64)? {
        let covers = grants.jurisdictionNumbers(within: jurisdiction, containing: true)
        var latest: (period: Int32, seq: Int64)?
        for position in grants.indices where covers[Int(grants.jurisdictions[position])] {
            let period = grants.periods[position], seq = grants.seqs[position]
            guard period != GrantTable.unreadable32 else { continue }
            if let current = latest, current.period > period || (current.period == period && current.seq > seq) { continue }
            latest = (period, seq)
        }
        return latest.map { (Month(index: Int($0.period)), $0.seq) }
    }
}
