import Foundation
import GRDB
@testable import Ledger
import SkillsDomain

/// One way to change a ledger at the SQLite level (triggers dropped and put back). `needsDigest`: the change leaves
/// an internally consistent chain (a tail cut off, a history rewritten with every hash recomputed), which only a
/// digest published earlier can expose.
struct SQLMutation: Sendable {
    var name: String
    var needsDigest = false
    var apply: @Sendable (Database, inout SeededRandom, _ events: Int) throws -> Void

    /// One row of a query, chosen with the campaign's generator (SQLite's random() would not replay from the seed).
    static func pick(_ db: Database, _ sql: String, _ random: inout SeededRandom) throws -> Row {
        try Row.fetchAll(db, sql: sql + " ORDER BY 1").randomElement(using: &random)!
    }

    static func randomSeq(_ events: Int, _ random: inout SeededRandom, below: Int? = nil) -> Int64 {
        Int64(Int.random(in: 1...(below ?? events), using: &random))
    }

    /// A row's text column changed by one character (within the column's CHECK); a NULL one (no employer) given a
    /// value.
    static func column(_ column: String) -> SQLMutation {
        SQLMutation(name: "events.\(column) changed") { db, random, events in
            let seq = randomSeq(events, &random)
            let value = try String.fetchOne(db, sql: "SELECT \(column) FROM events WHERE seq = ?", arguments: [seq])
            let altered = value.map { Tampering.alter($0, hexOnly: column == "worker", using: &random) ?? $0 + "x" } ?? "91420300MA0000011X"
            try db.execute(sql: "UPDATE events SET \(column) = ? WHERE seq = ?", arguments: [altered, seq])
        }
    }

    static func flipBlob(_ column: String) -> SQLMutation {
        SQLMutation(name: "events.\(column) bit flipped") { db, random, events in
            let seq = randomSeq(events, &random)
            var blob = try Data.fetchOne(db, sql: "SELECT \(column) FROM events WHERE seq = ?", arguments: [seq])!
            blob[Int.random(in: 0..<blob.count, using: &random)] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
            try db.execute(sql: "UPDATE events SET \(column) = ? WHERE seq = ?", arguments: [blob, seq])
        }
    }

    static let events: [SQLMutation] = ["id", "kind", "occurred_on", "source", "worker", "employer", "data", "recorded_at", "operator"]
        .map(column) + [flipBlob("prev_hash"), flipBlob("hash"),
        SQLMutation(name: "event deleted") { db, random, events in
            try db.execute(sql: "DELETE FROM events WHERE seq = ?", arguments: [randomSeq(events, &random, below: events - 1)])
        },
        SQLMutation(name: "event deleted, later ones renumbered") { db, random, events in
            let seq = randomSeq(events, &random, below: events - 1)
            try db.execute(sql: "DELETE FROM events WHERE seq = ?", arguments: [seq])
            try db.execute(sql: "UPDATE events SET seq = seq + 1000000 WHERE seq > ?", arguments: [seq])
            try db.execute(sql: "UPDATE events SET seq = seq - 1000001 WHERE seq > 1000000")
        },
        SQLMutation(name: "two events swapped") { db, random, events in
            let first = randomSeq(events, &random)
            var second = randomSeq(events, &random)
            if second == first { second = first == 1 ? 2 : first - 1 }
            try db.execute(sql: "UPDATE events SET seq = 9999999 WHERE seq = ?", arguments: [first])
            try db.execute(sql: "UPDATE events SET seq = ? WHERE seq = ?", arguments: [first, second])
            try db.execute(sql: "UPDATE events SET seq = ? WHERE seq = 9999999", arguments: [second])
        },
        SQLMutation(name: "forged event inserted in the middle (hashed correctly)") { db, random, events in
            let seq = randomSeq(events, &random, below: events - 1)
            try db.execute(sql: "UPDATE events SET seq = seq + 1000000 WHERE seq >= ?", arguments: [seq])
            try db.execute(sql: "UPDATE events SET seq = seq - 999999 WHERE seq > 1000000")
            try db.execute(sql: """
                INSERT INTO events SELECT ?, 'forged-' || id, kind, occurred_on, source, worker, employer, data, recorded_at, operator,
                    COALESCE((SELECT hash FROM events WHERE seq = ?), zeroblob(32)), zeroblob(32) FROM events WHERE seq = ?
                """, arguments: [seq, seq - 1, seq + 1])
            let row = try Row.fetchOne(db, sql: "SELECT seq, id, kind, occurred_on, source, worker, employer, data, recorded_at, operator FROM events WHERE seq = ?", arguments: [seq])!
            let previous = try Data.fetchOne(db, sql: "SELECT prev_hash FROM events WHERE seq = ?", arguments: [seq])!
            let hash = LedgerStore.envelope(row, seq: seq, id: row[1])!.hash(previous: previous)
            try db.execute(sql: "UPDATE events SET hash = ? WHERE seq = ?", arguments: [hash, seq])
        },
        SQLMutation(name: "last events deleted", needsDigest: true) { db, random, events in
            let kept = events - Int.random(in: 1...3, using: &random)
            try db.execute(sql: "DELETE FROM events WHERE seq > ?", arguments: [kept])
            try db.execute(sql: "DELETE FROM grant_facts WHERE seq > ?", arguments: [kept])   // a careful forger's
        },
        SQLMutation(name: "history rewritten, every later hash recomputed", needsDigest: true) { db, random, events in
            let seq = randomSeq(events, &random)
            let column = ["data", "occurred_on", "operator", "recorded_at", "source"].randomElement(using: &random)!
            let value = try String.fetchOne(db, sql: "SELECT \(column) FROM events WHERE seq = ?", arguments: [seq])!
            try db.execute(sql: "UPDATE events SET \(column) = ? WHERE seq = ?",
                           arguments: [Tampering.alter(value, sparingPeople: true, using: &random) ?? value, seq])
            try Tampering.rechain(db, from: seq)
        },
        SQLMutation(name: "history rewritten and cut short", needsDigest: true) { db, random, events in
            let seq = randomSeq(events, &random, below: events - 2)
            try db.execute(sql: "DELETE FROM events WHERE seq > ?", arguments: [events - 2])
            let value = try String.fetchOne(db, sql: "SELECT data FROM events WHERE seq = ?", arguments: [seq])!
            try db.execute(sql: "UPDATE events SET data = ? WHERE seq = ?",
                           arguments: [Tampering.alter(value, sparingPeople: true, using: &random) ?? value, seq])
            try Tampering.rechain(db, from: seq)
        },
    ]

    static let registry: [SQLMutation] = [
        SQLMutation(name: "registry: a name changed") { db, random, _ in
            let row = try pick(db, "SELECT pseudonym, name FROM persons WHERE name IS NOT NULL", &random)
            let name: String = row["name"]
            try db.execute(sql: "UPDATE persons SET name = ? WHERE pseudonym = ?",
                           arguments: [(name.hasPrefix("假") ? "真" : "假") + name.dropFirst(), row["pseudonym"] as String])
        },
        SQLMutation(name: "registry: an ID number replaced by another valid one") { db, random, _ in
            let pseudonym: String = try pick(db, "SELECT pseudonym FROM persons WHERE citizen_id IS NOT NULL", &random)[0]
            let other = Population.citizen(Int.random(in: 1_000..<2_000, using: &random)).value
            try db.execute(sql: "UPDATE persons SET citizen_id = ? WHERE pseudonym = ?", arguments: [other, pseudonym])
        },
        SQLMutation(name: "registry: two people's ID numbers swapped") { db, random, _ in
            let rows = try Row.fetchAll(db, sql: "SELECT pseudonym, citizen_id FROM persons WHERE citizen_id IS NOT NULL ORDER BY pseudonym")
                .shuffled(using: &random)
            try db.execute(sql: "UPDATE persons SET citizen_id = NULL WHERE pseudonym IN (?, ?)", arguments: [rows[0][0], rows[1][0]])
            try db.execute(sql: "UPDATE persons SET citizen_id = ? WHERE pseudonym = ?", arguments: [rows[1][1], rows[0][0]])
            try db.execute(sql: "UPDATE persons SET citizen_id = ? WHERE pseudonym = ?", arguments: [rows[0][1], rows[1][0]])
        },
        SQLMutation(name: "registry: a row deleted") { db, random, _ in
            let pseudonym: String = try pick(db, "SELECT pseudonym FROM persons", &random)[0]
            try db.execute(sql: "DELETE FROM persons WHERE pseudonym = ?", arguments: [pseudonym])
        },
        SQLMutation(name: "registry: a stranger added") { db, random, _ in
            let pseudonym = "ps_" + (0..<32).map { _ in String(Int.random(in: 0..<16, using: &random), radix: 16) }.joined()
            try db.execute(sql: "INSERT INTO persons (pseudonym, citizen_id, name, seal) VALUES (?, ?, '张三', zeroblob(32))",
                           arguments: [pseudonym, Population.citizen(5_000).value])
        },
        SQLMutation(name: "registry: an erased person's ID number put back") { db, _, _ in
            try db.execute(sql: "UPDATE persons SET citizen_id = ? WHERE erase_reason LIKE 'PIPL%'", arguments: [Population.citizen(29).value])
        },
        SQLMutation(name: "registry: an erased person's name put back") { db, _, _ in
            try db.execute(sql: "UPDATE persons SET name = '赵某' WHERE erase_reason LIKE 'PIPL%'")
        },
        SQLMutation(name: "registry: a seal changed") { db, random, _ in
            let pseudonym: String = try pick(db, "SELECT pseudonym FROM persons", &random)[0]
            var seal = try Data.fetchOne(db, sql: "SELECT seal FROM persons WHERE pseudonym = ?", arguments: [pseudonym])!
            seal[Int.random(in: 0..<32, using: &random)] ^= 0x01
            try db.execute(sql: "UPDATE persons SET seal = ? WHERE pseudonym = ?", arguments: [seal, pseudonym])
        },
    ]

    /// The grant facts kept beside the chain (`grant_facts`): not chained, so `verify` derives them from the chain again.
    static let grantFacts: [SQLMutation] = [
        SQLMutation(name: "grant_facts: an amount changed") { db, random, _ in
            let row = try pick(db, "SELECT seq, amount FROM grant_facts", &random)
            let amount: String = row["amount"]
            try db.execute(sql: "UPDATE grant_facts SET amount = ? WHERE seq = ?",
                           arguments: [Tampering.alter(amount, using: &random) ?? amount + "0", row["seq"] as Int64])
        },
        SQLMutation(name: "grant_facts: a month changed") { db, random, _ in
            let seq: Int64 = try pick(db, "SELECT seq FROM grant_facts", &random)[0]
            try db.execute(sql: "UPDATE grant_facts SET period = '2025-12' WHERE seq = ?", arguments: [seq])
        },
        SQLMutation(name: "grant_facts: a row deleted") { db, random, _ in
            let seq: Int64 = try pick(db, "SELECT seq FROM grant_facts", &random)[0]
            try db.execute(sql: "DELETE FROM grant_facts WHERE seq = ?", arguments: [seq])
        },
        SQLMutation(name: "grant_facts: a row added for an event that is no grant") { db, random, _ in
            let row = try pick(db, "SELECT seq, id FROM events WHERE kind <> 'subsidy.granted'", &random)
            try db.execute(sql: "INSERT INTO grant_facts (seq, id, entitlement, amount) VALUES (?, ?, 'ent-forged', '1000.00')",
                           arguments: [row["seq"] as Int64, row["id"] as String])
        },
    ]

    static let settingsAndSchema: [SQLMutation] = [
        SQLMutation(name: "ledger_meta: pseudonym key changed") { db, random, _ in
            var key = try Data.fetchOne(db, sql: "SELECT value FROM ledger_meta WHERE key = 'pseudonym_key'")!
            key[Int.random(in: 0..<key.count, using: &random)] ^= 0x80
            try db.execute(sql: "UPDATE ledger_meta SET value = ? WHERE key = 'pseudonym_key'", arguments: [key])
        },
        SQLMutation(name: "ledger_meta: pseudonym key deleted") { db, _, _ in
            try db.execute(sql: "DELETE FROM ledger_meta WHERE key = 'pseudonym_key'")
        },
        SQLMutation(name: "ledger_meta: format changed") { db, _, _ in
            try db.execute(sql: "UPDATE ledger_meta SET value = 'skills-ledger/0' WHERE key = 'format'")
        },
        SQLMutation(name: "schema: a guard trigger rewritten to do nothing") { db, random, _ in
            let name = LedgerStore.guardTriggers.randomElement(using: &random)!
            let event = name.contains("updated") ? "UPDATE" : name.contains("deleted") ? "DELETE" : "INSERT"
            try db.execute(sql: "DROP TRIGGER IF EXISTS \(name)")
            try db.execute(sql: "CREATE TRIGGER \(name) BEFORE \(event) ON events WHEN 0 BEGIN SELECT 1; END")
        },
        SQLMutation(name: "schema: an extra trigger added") { db, _, _ in
            try db.execute(sql: "CREATE TRIGGER quietly_forget AFTER INSERT ON persons BEGIN UPDATE persons SET name = NULL WHERE pseudonym = NEW.pseudonym; END")
        },
        SQLMutation(name: "schema: an index dropped") { db, _, _ in
            try db.execute(sql: "DROP INDEX events_by_worker")
        },
        SQLMutation(name: "schema: the record of a migration deleted") { db, _, _ in
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = '002_registry_seal.sql'")
        },
    ]

    static let all = events + registry + grantFacts + settingsAndSchema
}
