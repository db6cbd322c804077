import SkillsDomain

/// One row of grant facts (`GrantFacts`) as the bytes the storage holds, lent for the time of one call: loading the
/// rules context reads a grant per entitlement ever paid (a million at a million workers), and making eight strings of
/// each, to be parsed and packed at once (`GrantTable`), was most of that load. The members are UTF-8 text exactly as
/// the grant's data holds them; nil is a member the grant does not have.
///
/// The buffers belong to the storage and are valid only inside the closure the row is handed to: copy what is kept
/// (`text(_:)` makes a `String`).
public struct GrantFactBytes {
    /// The members of a row, in the order of `GrantFacts.columns` after `seq`.
    public enum Member: Int, CaseIterable, Sendable {
        case id, entitlement, amount, period, jurisdiction, version, adjusts, clawbackOf, firstEvidence
    }

    /// The grant's place in the chain.
    public internal(set) var seq: Int64 = 0
    let members: UnsafeMutableBufferPointer<UnsafeRawBufferPointer?>

    init(members: UnsafeMutableBufferPointer<UnsafeRawBufferPointer?>) {
        self.members = members
    }

    /// A member's bytes; nil when the grant has none.
    public subscript(member: Member) -> UnsafeRawBufferPointer? { members[member.rawValue] }

    /// A member as a `String`, for what is kept as text.
    public func text(_ member: Member) -> String? { self[member].map { String(decoding: $0, as: UTF8.self) } }

    /// Lends each member of `members` (as `Member` orders them) as bytes for the time of `body`, with `seq`.
    package static func lending<Result>(seq: Int64, _ members: [String?], _ body: (GrantFactBytes) throws -> Result) rethrows -> Result {
        var bytes: [UInt8] = []
        var ranges: [Range<Int>?] = []
        for member in members {
            guard let member else { ranges.append(nil); continue }
            ranges.append(bytes.count..<(bytes.count + member.utf8.count))
            bytes.append(contentsOf: member.utf8)
        }
        let buffer = UnsafeMutableBufferPointer<UnsafeRawBufferPointer?>.allocate(capacity: Member.allCases.count)
        defer { buffer.deallocate() }
        return try bytes.withUnsafeBytes { all in
            for member in Member.allCases {
                buffer[member.rawValue] = ranges[member.rawValue].map { UnsafeRawBufferPointer(rebasing: all[$0]) }
            }
            var row = GrantFactBytes(members: buffer)
            row.seq = seq
            return try body(row)
        }
    }
}

extension LedgerStorage {
    /// `forEachRulesInput` with each grant lent as bytes (`GrantFactBytes`) instead of a `RulesInputRow`: pack
    /// adoptions and reversals go to `body`, the grants, in recording order, to `grants`. A backend that reads no
    /// bytes in place lends the text of each row it reads.
    public func forEachRulesInput(_ body: (RulesInputRow) throws -> Void, grants: (GrantFactBytes) throws -> Void) async throws {
        try await forEachRulesInput { row in
            guard row.kind == .subsidyGranted else { return try body(row) }
            try GrantFactBytes.lending(seq: row.seq, [row.id] + GrantFacts.values(row).members, grants)
        }
    }

    /// Every grant to `grants`, on one connection (`LedgerStorage.forEachRulesInput(_:grants:later:)`).
    public func forEachRulesInput(_ body: (RulesInputRow) throws -> Void, grants: (GrantFactBytes) throws -> Void,
                                  later: @escaping @Sendable (GrantFactBytes) throws -> Void) async throws {
        try await forEachRulesInput(body, grants: grants)
    }
}
