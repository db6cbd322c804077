import Ledger
import SkillsDomain

/// Every grant recorded, as the engine reads it (`RulesContext.grants`), kept column by column in about 50 bytes a
/// grant: a ledger holds a grant per entitlement ever paid, and a million `RulesContext.GrantRecord`s with their strings took over
/// 300 MB. An element is a `RulesContext.GrantRecord`, built when it is read; the month-end paths that visit every grant (the
/// granted ids, the last grant run, the evidence index) read the columns without building one.
///
/// Entitlement ids this code makes (`ent-` and 20 lower-case hex digits) are packed into 80 bits; a grant's id that is
/// `grant:` and its entitlement id is not stored at all; jurisdictions and versions are numbered once each. Anything
/// else (a clawback's or an imported grant's id, an adjustment's `adjusts`) is kept as text beside the columns.
public struct GrantTable: RandomAccessCollection, Sendable {
    var seqs: [Int64] = []
    /// Fen; `unreadable` when the stored amount does not read.
    var amounts: [Int64] = []
    /// `Month.index`; `unreadable32` when the stored month does not read.
    var periods: [Int32] = []
    /// `EventKey` of the first evidence (see `Flag.evidence`).
    var evidence: [UInt64] = []
    /// A packed entitlement id: its first 16 hex digits, and its last 4.
    var entitlementHigh: [UInt64] = []
    var entitlementLow: [UInt16] = []
    /// Jurisdiction and version, as numbers into `names` (0: none).
    var jurisdictions: [UInt16] = []
    var versions: [UInt16] = []
    var flags: [Flag] = []
    /// What does not pack, by position.
    var texts: [Int32: Texts] = [:]
    var names: [String] = [""]
    var numbers: [String: UInt16] = [:]
    var lastJurisdiction: ([UInt8], UInt16)?
    var lastVersion: ([UInt8], UInt16)?

    static let unreadable = Int64.min
    static let unreadable32 = Int32.min

    struct Flag: OptionSet, Sendable {
        let rawValue: UInt8
        /// The grant names evidence (`evidence` holds its key).
        static let evidence = Flag(rawValue: 1)
        /// Its entitlement id is packed in `entitlementHigh` / `entitlementLow`.
        static let packed = Flag(rawValue: 2)
        /// Its id is `grant:` and its entitlement id.
        static let derivedID = Flag(rawValue: 4)
        /// Something of it is in `texts`.
        static let texts = Flag(rawValue: 8)
        /// It names an entitlement.
        static let entitlement = Flag(rawValue: 16)
    }

    struct Texts: Sendable {
        var id: String?
        var entitlement: String?
        var adjusts: String?
        var clawbackOf: String?
    }

    public init() {}

    public var startIndex: Int { 0 }
    public var endIndex: Int { seqs.count }

    /// Adds a grant at the end (recording order) from the bytes its row of grant facts holds: what packs is read in
    /// place, and only what is kept as text becomes a `String`. The element it makes is the record the row's text
    /// makes (`RulesContext.GrantRecord`: amount and month parsed as `Money(yuan:)` and `Month(parsing:)` do, nil
    /// where they do not read).
    public mutating func append(_ grant: GrantFactBytes) {
        let position = Int32(seqs.count)
        var flag: Flag = []
        var texts = Texts()
        let id = grant[.id] ?? UnsafeRawBufferPointer(start: nil, count: 0)
        var packed: PackedEntitlement?
        if let entitlement = grant[.entitlement] {
            flag.insert(.entitlement)
            packed = PackedEntitlement(bytes: entitlement)
            if packed == nil { texts.entitlement = grant.text(.entitlement) }
            if id.count == entitlement.count + 6 && id.starts(with: "grant:".utf8) && id.dropFirst(6).elementsEqual(entitlement) {
                flag.insert(.derivedID)
            }
        }
        if let packed {
            flag.insert(.packed)
            entitlementHigh.append(packed.high)
            entitlementLow.append(packed.low)
        } else {
            entitlementHigh.append(0)
            entitlementLow.append(0)
        }
        if !flag.contains(.derivedID) { texts.id = grant.text(.id) ?? "" }
        texts.adjusts = grant.text(.adjusts)
        texts.clawbackOf = grant.text(.clawbackOf)
        if texts.id != nil || texts.entitlement != nil || texts.adjusts != nil || texts.clawbackOf != nil {
            flag.insert(.texts)
            self.texts[position] = texts
        }
        seqs.append(grant.seq)
        amounts.append(grant[.amount].flatMap(Money.init(yuanBytes:))?.fen ?? Self.unreadable)
        periods.append(grant[.period].flatMap(Month.init(bytes:)).map { Int32($0.index) } ?? Self.unreadable32)
        let evidenceKey = grant[.firstEvidence].map(EventKey.init(bytes:))
        evidence.append(evidenceKey?.value ?? 0)
        if evidenceKey != nil { flag.insert(.evidence) }
        var remembered = lastJurisdiction
        jurisdictions.append(number(grant[.jurisdiction], remembered: &remembered))
        lastJurisdiction = remembered
        remembered = lastVersion
        versions.append(number(grant[.version], remembered: &remembered))
        lastVersion = remembered
        flags.append(flag)
    }

    /// The number of a jurisdiction or version, from its UTF-8 bytes (0: none); `remembered` is the last one asked
    /// (grants recorded together share them, and comparing bytes with it costs less than making a string and hashing
    /// it).
    mutating func number(_ name: UnsafeRawBufferPointer?, remembered: inout ([UInt8], UInt16)?) -> UInt16 {
        guard let name else { return 0 }
        if let remembered, remembered.0.elementsEqual(name) { return remembered.1 }
        guard let number = number(String(decoding: name, as: UTF8.self)) else { return 0 }
        remembered = (Array(name), number)
        return number
    }

    /// The number of a name, given one if it is new; nil when every number is taken.
    mutating func number(_ text: String) -> UInt16? {
        if let known = numbers[text] { return known }
        guard names.count < Int(UInt16.max) else { return nil }
        names.append(text)
        let number = UInt16(names.count - 1)
        numbers[text] = number
        return number
    }

    /// Appends the grants of `other`, recorded after these (`RulesContext.load` packs the later half of a ledger's
    /// grants on a second thread): the table is the one appending each of its grants here would make, names numbered
    /// in the order first met.
    mutating func append(contentsOf other: GrantTable) {
        guard !other.isEmpty else { return }
        let offset = Int32(count)
        let renumbered = other.names.indices.map { $0 == 0 ? 0 : number(other.names[$0]) ?? 0 }
        seqs += other.seqs
        amounts += other.amounts
        periods += other.periods
        evidence += other.evidence
        entitlementHigh += other.entitlementHigh
        entitlementLow += other.entitlementLow
        jurisdictions += other.jurisdictions.lazy.map { renumbered[Int($0)] }
        versions += other.versions.lazy.map { renumbered[Int($0)] }
        flags += other.flags
        for (position, texts) in other.texts { self.texts[position + offset] = texts }
        // What the next `append` compares first is only a shortcut: forgotten, it is found again by name.
        lastJurisdiction = nil
        lastVersion = nil
    }

    public subscript(position: Int) -> RulesContext.GrantRecord {
        let texts = texts(at: position)
        let entitlement = entitlement(at: position, texts: texts)
        let id = flags[position].contains(.derivedID) ? "grant:" + (entitlement ?? "") : texts?.id ?? ""
        return RulesContext.GrantRecord(id: id, entitlement: entitlement, amount: amount(at: position), period: period(at: position),
                           jurisdiction: jurisdiction(at: position), seq: seqs[position], version: name(versions[position]),
                           adjusts: texts?.adjusts, clawbackOf: texts?.clawbackOf,
                           evidenceKey: flags[position].contains(.evidence) ? EventKey(value: evidence[position]) : nil)
    }

    // MARK: Columns read without building a record

    func entitlement(at position: Int, texts: Texts? = nil) -> String? {
        guard hasEntitlement(at: position) else { return nil }
        if let packed = packedEntitlement(at: position) { return packed.text }
        return (texts ?? self.texts(at: position))?.entitlement
    }

    func amount(at position: Int) -> Money? { amounts[position] == Self.unreadable ? nil : Money(fen: amounts[position]) }

    func period(at position: Int) -> Month? { periods[position] == Self.unreadable32 ? nil : Month(index: Int(periods[position])) }

    func jurisdiction(at position: Int) -> String? { name(jurisdictions[position]) }

    func name(_ number: UInt16) -> String? { number == 0 ? nil : names[Int(number)] }

    func hasEntitlement(at position: Int) -> Bool { flags[position].contains(.entitlement) }

    /// The grant's entitlement id when it is packed; nil when it is kept as text or there is none.
    func packedEntitlement(at position: Int) -> PackedEntitlement? {
        flags[position].contains(.packed) ? PackedEntitlement(high: entitlementHigh[position], low: entitlementLow[position]) : nil
    }

    /// What of the grant is kept as text (nil when nothing is).
    func texts(at position: Int) -> Texts? { flags[position].contains(.texts) ? texts[Int32(position)] : nil }

    func evidenceKey(at position: Int) -> EventKey? { flags[position].contains(.evidence) ? EventKey(value: evidence[position]) : nil }

    /// The grant's id.
    func id(at position: Int) -> String {
        flags[position].contains(.derivedID) ? "grant:" + (entitlement(at: position) ?? "") : texts(at: position)?.id ?? ""
    }

    /// For each jurisdiction number, whether it reads as a code that `jurisdiction` lies within (or contains it, with
    /// `containing`): one parse per distinct code instead of one per grant.
    func jurisdictionNumbers(within jurisdiction: JurisdictionCode, containing: Bool = false) -> [Bool] {
        names.enumerated().map { number, name in
            guard number > 0, let code = try? JurisdictionCode(name) else { return false }
            return containing ? code.contains(jurisdiction) : jurisdiction.contains(code)
        }
    }

    /// The latest month any grant was made for.
    var latestPeriod: Month? { periods.lazy.filter { $0 != Self.unreadable32 }.max().map { Month(index: Int($0)) } }
}

/// An entitlement id `ent-` + 20 lower-case hex digits (`Entitlement.makeID`) in 80 bits.
struct PackedEntitlement: Hashable, Comparable, Sendable {
    let high: UInt64
    let low: UInt16

    init(high: UInt64, low: UInt16) {
        self.high = high
        self.low = low
    }

    /// Nil for any other text.
    init?(_ text: String) {
        var text = text
        guard let packed = text.withUTF8({ PackedEntitlement(bytes: UnsafeRawBufferPointer($0)) }) else { return nil }
        self = packed
    }

    /// The same from UTF-8 bytes.
    init?(bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 24, bytes[0] == UInt8(ascii: "e"), bytes[1] == UInt8(ascii: "n"), bytes[2] == UInt8(ascii: "t"),
              bytes[3] == UInt8(ascii: "-") else { return nil }
        var high: UInt64 = 0
        var low: UInt16 = 0
        for index in 4..<24 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return nil
            }
            if index < 20 { high = high << 4 | UInt64(digit) } else { low = low << 4 | UInt16(digit) }
        }
        (self.high, self.low) = (high, low)
    }

    /// The id as text.
    var text: String {
        String(unsafeUninitializedCapacity: 24) { buffer in
            let digits = Array("0123456789abcdef".utf8)
            buffer[0] = UInt8(ascii: "e"); buffer[1] = UInt8(ascii: "n"); buffer[2] = UInt8(ascii: "t"); buffer[3] = UInt8(ascii: "-")
            for index in 0..<16 { buffer[4 + index] = digits[Int(high >> UInt64(60 - 4 * index) & 0xf)] }
            for index in 0..<4 { buffer[20 + index] = digits[Int(low >> UInt16(12 - 4 * index) & 0xf)] }
            return 24
        }
    }

    static func < (lhs: PackedEntitlement, rhs: PackedEntitlement) -> Bool { (lhs.high, lhs.low) < (rhs.high, rhs.low) }
}

/// Which grants a reversal cancels, told by position in one pass over the table: the targets that are `grant:` and a
/// packed entitlement id sorted, any other target looked up as text.
struct ReversedGrants {
    let inForce: EventsInForce
    var packed: [PackedEntitlement] = []

    init(_ inForce: EventsInForce) {
        self.inForce = inForce
        for target in inForce.reversedBy.keys where target.hasPrefix("grant:") {
            if let key = PackedEntitlement(String(target.dropFirst(6))) { packed.append(key) }
        }
        packed.sort()
    }

    func isReversed(_ grants: GrantTable, at position: Int) -> Bool {
        guard grants.flags[position].contains(.derivedID) else { return inForce.isReversed(grants.id(at: position)) }
        if let key = grants.packedEntitlement(at: position) { return !packed.isEmpty && packed.sortedContains(key) }
        return inForce.isReversed(grants.id(at: position))
    }
}

extension Array where Element == PackedEntitlement {
    /// Binary search in a sorted array.
    func sortedContains(_ key: PackedEntitlement) -> Bool {
        var low = 0, high = count
        while low < high {
            let middle = (low + high) / 2
            if self[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low < count && self[low] == key
    }
}

/// The ids of the entitlements granted (`RulesContext.grantedEntitlementIDs`): packed ids sorted, 16 bytes each,
/// and any other id as text.
public struct GrantedEntitlements: Sendable {
    var packed: [PackedEntitlement] = []
    var others: Set<String> = []

    /// Whether `id` was granted.
    public func contains(_ id: String) -> Bool {
        guard let key = PackedEntitlement(id) else { return others.contains(id) }
        return packed.sortedContains(key)
    }

    /// How many.
    public var count: Int { packed.count + others.count }
}
