import GRDB
import SkillsDomain

/// The grant facts on SQLite (`GrantFacts`): written with each grant, filled when an older ledger gains the table,
/// checked by `verify` (`checkChain`), written again by `rebuild`.
extension LedgerStore {
    static let insertGrantFactsSQL = "INSERT INTO grant_facts (\(GrantFacts.columns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"

    /// Writes the facts of a grant just inserted into `events` (same transaction).
    /// `statement` is `insertGrantFactsSQL`, made for this caller alone (`SteppedStatement`).
    static func writeGrantFacts(seq: Int64, id: String, data: String, with statement: SteppedStatement) throws {
        guard let facts = GrantFacts.derive(seq: seq, id: id, data: data) else {
            throw LedgerError.refused("grant \(id): its data is not one JSON object, so its grant facts cannot be written")
        }
        let (seq, id, members) = GrantFacts.values(facts)
        try statement.run { value in
            try value(1, seq)
            try value(2, id)
            for (index, member) in members.enumerated() { try value(Int32(index + 3), member) }
        }
    }

    /// Writes the facts of every grant in the chain into an empty `grant_facts` (a ledger older than the table, and
    /// `rebuild`); returns how many.
    static func fillGrantFacts(_ db: Database) throws -> Int {
        let insert = SteppedStatement(try db.makeStatement(sql: insertGrantFactsSQL))
        let rows = try Row.fetchCursor(db, sql: "SELECT seq, id, data FROM events WHERE kind = 'subsidy.granted' ORDER BY seq")
        var written = 0
        while let row = try rows.next() {
            try writeGrantFacts(seq: row[0], id: row[1], data: row[2], with: insert)
            written += 1
        }
        return written
    }

    /// The kept rows in the order of `seq`, one at a time, for `GrantFactsCheck`.
    static func keptGrantFacts(_ db: Database) throws -> () throws -> RulesInputRow? {
        let rows = try Row.fetchCursor(db, sql: "SELECT \(GrantFacts.columns) FROM grant_facts ORDER BY seq")
        return {
            guard let row = try rows.next() else { return nil }
            return GrantFacts.row(seq: try row.decode(atIndex: 0), id: try row.decode(atIndex: 1),
                                  members: try (2..<10).map { try row.decode(String?.self, atIndex: $0) })
        }
    }

    /// The kept rows in the order of `seq`, each lent as the bytes SQLite holds for it (`GrantFactBytes`): the
    /// statement is stepped through SQLite's C interface, since a row of GRDB makes a `String` or a `Data` of each
    /// column read. With `from` or `before`, only the rows from that seq on or before it.
    static func forEachGrantFactBytes(_ db: Database, from: Int64? = nil, before: Int64? = nil, _ body: (GrantFactBytes) throws -> Void) throws {
        let bounds = [from.map { "seq >= \($0)" }, before.map { "seq < \($0)" }].compactMap { $0 }
        let rows = SteppedStatement(try db.makeStatement(sql: """
            SELECT \(GrantFacts.columns) FROM grant_facts \(bounds.isEmpty ? "" : "WHERE " + bounds.joined(separator: " AND ")) ORDER BY seq
            """))
        let members = UnsafeMutableBufferPointer<UnsafeRawBufferPointer?>.allocate(capacity: GrantFactBytes.Member.allCases.count)
        defer { members.deallocate() }
        var row = GrantFactBytes(members: members)
        try rows.forEachRow {
            row.seq = rows.int64(0)
            for member in GrantFactBytes.Member.allCases { members[member.rawValue] = rows.bytes(Int32(member.rawValue + 1)) }
            try body(row)
        }
    }

    /// Writes the grant facts again from the chain, in one transaction, and says how many kept rows were wrong.
    /// The chain is read, never written; run `verify` for the chain itself.
    public func rebuildProjections() throws -> RebuildReport {
        if let ceiling { throw LedgerStore.refusalAsOf(path, ceiling, "rebuild") }
        return try mapBusy {
            try writer.write { db in
                let repaired = try LedgerStore.countGrantFactDifferences(db)
                guard repaired > 0 else {
                    return RebuildReport(grantFacts: try Int.fetchOne(db, sql: "SELECT count(*) FROM grant_facts") ?? 0, repaired: 0)
                }
                try db.execute(sql: "DELETE FROM grant_facts")
                return RebuildReport(grantFacts: try LedgerStore.fillGrantFacts(db), repaired: repaired)
            }
        }
    }

    /// How many kept rows differ from the chain's grants, are missing, or name no grant: `verify`'s merge
    /// (`GrantFactsCheck`), counting instead of throwing.
    static func countGrantFactDifferences(_ db: Database) throws -> Int {
        var differences = 0
        var check = GrantFactsCheck(next: try keptGrantFacts(db), report: { _ in differences += 1 })
        let grants = try Row.fetchCursor(db, sql: "SELECT seq, id, data FROM events WHERE kind = 'subsidy.granted' ORDER BY seq")
        while let row = try grants.next() { try check.grant(seq: row[0], id: row[1], data: row[2]) }
        try check.finish()
        return differences
    }
}
