import Ledger
import PostgresNIO
import SkillsDomain

/// The grant facts on PostgreSQL (`GrantFacts`, the `grant_facts` table of Schema.sql): written with each grant by
/// the one multi-row insert of events, filled when an older ledger gains the table, checked by `verify`, written again
/// by `rebuild`, exactly as on SQLite.
extension PostgresLedgerStore {
    /// The grant facts of grants just inserted into events (same transaction): their seq, id and stored data.
    static func insertGrantFacts(of grants: [(seq: Int64, id: String, data: String)], into connection: PostgresConnection) async throws {
        var facts: [RulesInputRow] = []
        for grant in grants {
            guard let row = GrantFacts.derive(seq: grant.seq, id: grant.id, data: grant.data) else {
                throw LedgerError.refused("grant \(grant.id): its data is not one JSON object, so its grant facts cannot be written")
            }
            facts.append(row)
        }
        // 10 parameters a row: 5,000 rows a statement stay under the protocol's 65,535.
        for start in stride(from: 0, to: facts.count, by: 5_000) {
            try await insert(Array(facts[start..<min(start + 5_000, facts.count)]), table: "grant_facts (\(GrantFacts.columns))", columns: 10,
                             into: connection) { binds, row in
                let (seq, id, members) = GrantFacts.values(row)
                binds.append(seq)
                binds.append(id)
                for member in members { binds.append(member) }
            }
        }
    }

    /// Writes the facts of every grant of the chain into an empty `grant_facts`, a range of 20,000 places of the chain
    /// at a time (one connection cannot read and write at once; a range of the primary key, so that no page re-reads
    /// the grants before it); returns how many.
    static func fillGrantFacts(_ connection: PostgresConnection) async throws -> Int {
        var last: Int64 = 0
        for try await seq in try await connection.watchedQuery("SELECT coalesce(max(seq), 0)::bigint FROM events", logger: logger).decode(Int64.self) {
            last = seq
        }
        var written = 0
        var after: Int64 = 0
        while after < last {
            let end = after + 20_000
            var page: [(seq: Int64, id: String, data: String)] = []
            for try await (seq, id, data) in try await connection.watchedQuery("""
                SELECT seq, id, data FROM events WHERE seq > \(after) AND seq <= \(end) AND kind = 'subsidy.granted' ORDER BY seq
                """, logger: logger).decode((Int64, String, String).self) {
                page.append((seq, id, data))
            }
            try await insertGrantFacts(of: page, into: connection)
            written += page.count
            after = end
        }
        return written
    }

    /// Makes the table on a ledger created before it (Schema.sql's statement) and fills it; under the schema lock.
    static func addGrantFactsIfMissing(_ connection: PostgresConnection) async throws {
        guard try await addSchemaIfMissing(connection, relation: "grant_facts", statementsNaming: "grant_facts") else { return }
        _ = try await fillGrantFacts(connection)
    }

    /// Adds the index of grants and payments by payee to a ledger made before it (under the schema lock, in the
    /// transaction that opens the ledger): built once, from the grants and payments already recorded.
    static func addPayeeIndexIfMissing(_ connection: PostgresConnection) async throws {
        _ = try await addSchemaIfMissing(connection, relation: "events_by_payee", statementsNaming: "INDEX events_by_payee")
    }

    /// Runs the statements of `Schema.sql` that contain `statementsNaming` when `relation` (a table or an index) does
    /// not exist yet; answers whether it ran them.
    static func addSchemaIfMissing(_ connection: PostgresConnection, relation: String, statementsNaming text: String) async throws -> Bool {
        var present = true
        for try await exists in try await connection.watchedQuery("SELECT to_regclass(\(relation)::text) IS NOT NULL", logger: logger).decode(Bool.self) {
            present = exists
        }
        guard !present else { return false }
        for statement in PostgresSchema.statements where statement.contains(text) {
            _ = try await connection.watchedQuery(PostgresQuery(unsafeSQL: statement), logger: logger).collect()
        }
        return true
    }

    /// The chain's grants beside the kept rows, in the order of `seq`: (seq, the grant's id and data or nil, the kept
    /// row or nil).
    static func forEachGrantAndFacts(_ connection: PostgresConnection,
                                     _ body: (Int64, (id: String, data: String)?, RulesInputRow?) throws -> Void) async throws {
        for try await (seq, eventID, data, keptSeq, keptID, c2, c3, c4, c5, c6, c7, c8, c9) in try await connection.watchedQuery("""
            SELECT coalesce(e.seq, g.seq), e.id, e.data, g.seq, g.id, g.entitlement, g.amount, g.period, g.jurisdiction, g.version,
                   g.adjusts, g.clawback_of, g.first_evidence
            FROM (SELECT seq, id, data FROM events WHERE kind = 'subsidy.granted') AS e FULL JOIN grant_facts AS g ON g.seq = e.seq
            ORDER BY 1
            """, logger: logger).decode((Int64, String?, String?, Int64?, String?, String?, String?, String?, String?, String?,
                                         String?, String?, String?).self) {
            let kept = keptSeq.map { GrantFacts.row(seq: $0, id: keptID ?? "", members: [c2, c3, c4, c5, c6, c7, c8, c9]) }
            let event = eventID.flatMap { id in data.map { (id, $0) } }
            try body(seq, event, kept)
        }
    }

    /// `verify`'s check of the kept rows against the (verified) chain: the first grant without its row, with a row
    /// that differs, or a row without its grant, is an integrity failure (`GrantFacts.problem`).
    func checkGrantFacts(_ connection: PostgresConnection) async throws {
        try await Self.forEachGrantAndFacts(connection) { seq, grant, kept in
            if let problem = GrantFacts.problem(seq: seq, grant: grant, kept: kept) { throw LedgerError.integrity(problem) }
        }
    }

    /// Writes the grant facts again from the chain, in one transaction, and says how many kept rows were wrong.
    public func rebuildProjections() async throws -> RebuildReport {
        try await transaction(writing: "rebuild") { connection in
            var repaired = 0
            var rows = 0
            try await Self.forEachGrantAndFacts(connection) { seq, grant, kept in
                if kept != nil { rows += 1 }
                if GrantFacts.problem(seq: seq, grant: grant, kept: kept) != nil { repaired += 1 }
            }
            guard repaired > 0 else { return RebuildReport(grantFacts: rows, repaired: 0) }
            _ = try await connection.watchedQuery("DELETE FROM grant_facts", logger: Self.logger).collect()
            return RebuildReport(grantFacts: try await Self.fillGrantFacts(connection), repaired: repaired)
        }
    }
}
