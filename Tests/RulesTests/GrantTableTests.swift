@testable import Rules
import Ledger
import SkillsDomain
import Testing

/// `GrantTable` keeps every grant column by column: what goes in comes back out, whatever its ids look like, and the
/// granted ids and reversals read from the columns agree with reading each record.
@Suite("grant table")
struct GrantTableTests {
    typealias Record = RulesContext.GrantRecord

    static let records: [Record] = [
        // A grant as `grant` records it: id `grant:` + a packed entitlement id.
        Record(id: "grant:ent-7f97e98dfbe6e05338d6", entitlement: "ent-7f97e98dfbe6e05338d6", amount: Money(fen: 150_000),
               period: Month(index: 2026 * 12 + 5), jurisdiction: "national", seq: 10, version: "2019.1", adjusts: nil, clawbackOf: nil,
               evidenceKey: EventKey("syc84531.2")),
        // Its clawback: another id, the grant it withdraws, a negative amount.
        Record(id: "clawback:grant:ent-7f97e98dfbe6e05338d6", entitlement: "ent-7f97e98dfbe6e05338d6", amount: Money(fen: -150_000),
               period: Month(index: 2026 * 12 + 6), jurisdiction: "national", seq: 11, version: nil, adjusts: nil,
               clawbackOf: "grant:ent-7f97e98dfbe6e05338d6", evidenceKey: EventKey("syc84531.2")),
        // A settlement adjustment (补发) of a grant whose entitlement id is upper-case hex: not packed.
        Record(id: "adjust:ent-7F97E98DFBE6E05338D6:1", entitlement: "ent-7F97E98DFBE6E05338D6", amount: Money(fen: 500),
               period: Month(index: 2026 * 12 + 6), jurisdiction: "420300", seq: 12, version: "2020.1", adjusts: "g-old", clawbackOf: nil,
               evidenceKey: nil),
        // An imported grant: its own id, an entitlement id of another shape, no amount or month that reads.
        Record(id: "g-1", entitlement: "award-2026-张三", amount: nil, period: nil, jurisdiction: nil, seq: 13, version: nil,
               adjusts: nil, clawbackOf: nil, evidenceKey: EventKey("c-1")),
        // A grant naming no entitlement at all.
        Record(id: "g-2", entitlement: nil, amount: Money(fen: 1), period: Month(index: 2026 * 12), jurisdiction: "510107", seq: 14,
               version: "2019.1", adjusts: nil, clawbackOf: nil, evidenceKey: nil),
        // `grant:` + an id that is not an entitlement id of this code.
        Record(id: "grant:x", entitlement: "x", amount: Money(fen: 2), period: Month(index: 2026 * 12), jurisdiction: "510107", seq: 15,
               version: nil, adjusts: nil, clawbackOf: nil, evidenceKey: nil),
    ]

    /// The rows of grant facts that hold `records`, as text (id, then `GrantFactBytes.Member`'s order from entitlement
    /// on); the first is seq 10.
    static let recordRows: [[String?]] = [
        ["grant:ent-7f97e98dfbe6e05338d6", "ent-7f97e98dfbe6e05338d6", "1500.00", "2026-06", "national", "2019.1", nil, nil, "syc84531.2"],
        ["clawback:grant:ent-7f97e98dfbe6e05338d6", "ent-7f97e98dfbe6e05338d6", "-1500.00", "2026-07", "national", nil, nil,
         "grant:ent-7f97e98dfbe6e05338d6", "syc84531.2"],
        ["adjust:ent-7F97E98DFBE6E05338D6:1", "ent-7F97E98DFBE6E05338D6", "5.00", "2026-07", "420300", "2020.1", "g-old", nil, nil],
        ["g-1", "award-2026-张三", nil, nil, nil, nil, nil, nil, "c-1"],
        ["g-2", nil, "0.01", "2026-01", "510107", "2019.1", nil, nil, nil],
        ["grant:x", "x", "0.02", "2026-01", "510107", nil, nil, nil, nil],
    ]

    /// A table of rows, each lent as bytes as the ledger lends them; seqs from `firstSeq` on.
    static func table(_ rows: [[String?]], firstSeq: Int64) -> GrantTable {
        var table = GrantTable()
        for (offset, row) in rows.enumerated() { GrantFactBytes.lending(seq: firstSeq + Int64(offset), row) { table.append($0) } }
        return table
    }

    @Test("every record comes back as it went in, and the columns read the same")
    func roundTrip() {
        let table = Self.table(Self.recordRows, firstSeq: 10)
        #expect(Array(table) == Self.records)
        #expect(table.latestPeriod == Month(index: 2026 * 12 + 6))
        for (position, record) in Self.records.enumerated() {
            #expect(table.id(at: position) == record.id)
            #expect(table.entitlement(at: position) == record.entitlement)
            #expect(table.evidenceKey(at: position) == record.evidenceKey)
        }
        #expect(PackedEntitlement("ent-7f97e98dfbe6e05338d6")?.text == "ent-7f97e98dfbe6e05338d6")
        #expect(PackedEntitlement("ent-7f97e98dfbe6e05338d") == nil && PackedEntitlement("ent-7f97e98dfbe6e05338dg") == nil)
    }

    /// Rows of grant facts as text: id, then `GrantFactBytes.Member`'s order from entitlement on.
    static let rows: [[String?]] = [
        ["grant:ent-7f97e98dfbe6e05338d6", "ent-7f97e98dfbe6e05338d6", "1500.00", "2026-06", "national", "2019.1", nil, nil, "syc84531.2"],
        ["clawback:grant:ent-7f97e98dfbe6e05338d6", "ent-7f97e98dfbe6e05338d6", "-1500.00", "2026-07", "national", nil, nil,
         "grant:ent-7f97e98dfbe6e05338d6", "syc84531.2"],
        ["adjust:ent-7F97E98DFBE6E05338D6:1", "ent-7F97E98DFBE6E05338D6", "5", "2026/7", "420300", "2020.1", "g-old", nil, nil],
        ["g-1", "award-2026-张三", "1,500", "2026-13", nil, nil, nil, nil, "c-1"],
        ["g-2", nil, "+0.01", "202601", "510107", "2019.1", nil, nil, nil],
        ["grant:x", "x", "0.02", "2026-1", "510107", "", nil, nil, ""],
        ["grant:ent-7f97e98dfbe6e05338d", "ent-7f97e98dfbe6e05338d", "99999999999999.99", "1899-12", "national", "2019.1", nil, nil, "e"],
        ["", "ent-00000000000000000000", "-", "", "", "2019.1", "", "", nil],
    ]

    @Test("a table appended to another, at any place the rows are cut, is the table of all the rows packed at once")
    func appendedTables() {
        let rows = Self.rows + Self.recordRows + [["grant:y", "y", "1.00", "2026-02", "330382", "2021.1", nil, nil, "e-9"]]
        let whole = Self.table(rows, firstSeq: 1)
        for cut in 0...rows.count {
            var table = Self.table(Array(rows[..<cut]), firstSeq: 1)
            table.append(contentsOf: Self.table(Array(rows[cut...]), firstSeq: Int64(cut + 1)))
            #expect(Array(table) == Array(whole), "cut at \(cut)")
            #expect(table.names == whole.names && table.jurisdictions == whole.jurisdictions && table.versions == whole.versions, "cut at \(cut)")
            #expect(table.flags.map(\.rawValue) == whole.flags.map(\.rawValue) && Set(table.texts.keys) == Set(whole.texts.keys), "cut at \(cut)")
            // Appending after the cut goes on as it would have.
            table.append(contentsOf: Self.table([["g-9", nil, "2.00", "2026-03", "510107", "2019.1", nil, nil, nil]], firstSeq: Int64(rows.count + 1)))
            #expect(table.jurisdiction(at: rows.count) == "510107" && table.names == whole.names, "cut at \(cut)")
        }
    }

    @Test("a table packed from the bytes of the rows holds the records their text makes")
    func fromBytes() {
        let fromBytes = Self.table(Self.rows, firstSeq: 1)
        let fromText = Self.rows.enumerated().map { seq, row in
            Record(id: row[0] ?? "", entitlement: row[1], amount: row[2].flatMap { try? Money(yuan: $0) },
                   period: row[3].flatMap { try? Month(parsing: $0) }, jurisdiction: row[4], seq: Int64(seq + 1), version: row[5],
                   adjusts: row[6], clawbackOf: row[7], evidenceKey: row[8].map(EventKey.init))
        }
        #expect(Array(fromBytes) == fromText)
        #expect(fromBytes.count == Self.rows.count)
        #expect(fromBytes[0].amount == Money(fen: 150_000) && fromBytes[2].period == Month(index: 2026 * 12 + 6))
        #expect(fromBytes[3].amount == nil && fromBytes[3].period == nil && fromBytes[6].amount == nil && fromBytes[6].period == nil)
        // Jurisdictions and versions are numbered once each, in the order first named; empty text is a name (0 is none).
        #expect(fromBytes.names == ["", "national", "2019.1", "420300", "2020.1", "510107", ""])
        for (position, row) in Self.rows.enumerated() {
            #expect(fromBytes.id(at: position) == (row[0] ?? ""))
            #expect(fromBytes.entitlement(at: position) == row[1])
            #expect(fromBytes.evidenceKey(at: position) == row[8].map(EventKey.init))
        }
    }

    @Test("the granted ids and the entries read from the columns are those of the records, reversals included")
    func grantedIDs() {
        var context = RulesContext(policies: PolicySet([]), inForce: EventsInForce(), closed: ClosedPeriods(), grants: GrantTable())
        context.grants = Self.table(Self.recordRows, firstSeq: 10)
        #expect(context.grantedEntitlementIDs.count == 3)
        for id in ["ent-7f97e98dfbe6e05338d6", "ent-7F97E98DFBE6E05338D6", "x"] { #expect(context.grantedEntitlementIDs.contains(id)) }
        #expect(!context.grantedEntitlementIDs.contains("award-2026-张三"), "an amount that does not read grants nothing")
        #expect(!context.grantedEntitlementIDs.contains("ent-00000000000000000000"))
        #expect(!context.everyGrantNamesEvidence)

        context.inForce.noteReversal("rev-1", of: "grant:ent-7f97e98dfbe6e05338d6")
        context.inForce.noteReversal("rev-2", of: "clawback:grant:ent-7f97e98dfbe6e05338d6")
        context.inForce.noteReversal("rev-3", of: "grant:x")
        #expect(!context.grantedEntitlementIDs.contains("ent-7f97e98dfbe6e05338d6") && !context.grantedEntitlementIDs.contains("x"))
        #expect(context.grantedEntitlementIDs.contains("ent-7F97E98DFBE6E05338D6"), "an adjustment counts even when reversed")
        let entries = context.grantedByEntitlement(of: ["ent-7f97e98dfbe6e05338d6", "x"])
        #expect(Set(entries.keys) == ["ent-7f97e98dfbe6e05338d6", "x"])
        #expect(entries["ent-7f97e98dfbe6e05338d6"]?.grantsRecorded == 1 && entries["ent-7f97e98dfbe6e05338d6"]?.net == .zero)
        #expect(context.grantedByEntitlement.count == 3, "a grant whose amount does not read makes no entry")
        #expect(context.lastGrantRun(covering: try! JurisdictionCode("420303")).map { "\($0.month) \($0.seq)" } == "2026-07 12")
        #expect(context.lastGrantRun(covering: try! JurisdictionCode("510107")).map { "\($0.month) \($0.seq)" } == "2026-07 11")
    }

    @Test("the grants found by their evidence leave out the entitlements asked to be skipped, and only those")
    func entriesSkipping() {
        // Grants of two entitlements on one piece of evidence: one id packs into 80 bits, the other is kept as text.
        let rows: [[String?]] = [
            ["grant:ent-7f97e98dfbe6e05338d6", "ent-7f97e98dfbe6e05338d6", "1500.00", "2026-06", "national", "2019.1", nil, nil, "syc84531.2"],
            ["grant:award-2026-1", "award-2026-1", "10000.00", "2026-06", "national", "2019.1", nil, nil, "syc84531.2"],
            ["grant:ent-00000000000000000001", "ent-00000000000000000001", "300.00", "2026-06", "national", "2019.1", nil, nil, "other.1"],
        ]
        var context = RulesContext(policies: PolicySet([]), inForce: EventsInForce(), closed: ClosedPeriods(), grants: GrantTable())
        context.grants = Self.table(rows, firstSeq: 10)
        let index = GrantIndex(context)
        let keys = [EventKey("syc84531.2"), EventKey("syc84531.2")]
        func found(skipping: EntitlementIDs) -> [String: Money] {
            var entries: [String: Money] = [:]
            index.forEachEntry(evidencedBy: keys, skipping: skipping) { id, entry in entries[id] = entry.net }
            return entries
        }
        #expect(found(skipping: EntitlementIDs()) == ["ent-7f97e98dfbe6e05338d6": Money(fen: 150_000), "award-2026-1": Money(fen: 1_000_000)])
        var current = EntitlementIDs()
        current.insert("ent-7f97e98dfbe6e05338d6")
        #expect(current.contains("ent-7f97e98dfbe6e05338d6") && !current.contains("ent-00000000000000000001") && !current.contains("award-2026-1"))
        #expect(found(skipping: current) == ["award-2026-1": Money(fen: 1_000_000)])
        current.insert("award-2026-1")
        #expect(current.contains("award-2026-1"))
        #expect(found(skipping: current).isEmpty)
    }
}
