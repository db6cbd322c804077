import Foundation
import GRDB
@testable import Ledger
import LedgerTesting
import SkillsDomain

/// A small but complete ledger to tamper with (every table and every kind of person reference in use), closed, with
/// the digest its bureau would have published.
struct TamperFixture {
    let scratch: TemporaryLedger
    let original: String
    let published: LedgerDigest
    let eventCount: Int
    let people = 30

    init() throws {
        scratch = try TemporaryLedger()
        original = scratch.path("original.sqlite")
        let people = self.people
        let store = try LedgerStore.open(path: original, create: true)
        try store.append(Population.registrations(0..<people), operatorName: "bureau-1")
        try store.append(Population.certificates(0..<people), operatorName: "institution-1")
        try store.append((0..<20).map { index in
            Build.creditEarned("cr-\(index)", worker: Population.citizen(index), reference: "XF-\(index)").submission()
        }, operatorName: "institution-2")
        let payee = FieldValue.person(.citizen(Population.citizen(0)))
        try store.append([
            Build.subsidyGranted("g-1", payee: payee, evidence: ["c-0"]).submission(),
            Build.subsidyGranted("g-2", payee: .text(Build.employer.value), amount: "500", evidence: ["c-1"]).submission(),
            Build.subsidyPaid("paid:p-1", payee: payee, grant: "g-1").submission(),
            Build.eventReversed("rev-cr-0", target: "cr-0").submission(),
        ], operatorName: "finance-1")
        try store.erase(citizen: Population.citizen(people - 1), reason: "PIPL request 2026-04")
        published = try store.verify().digest
        eventCount = Int(published.count)
    }

    /// A fresh copy of the original ledger.
    func copy(_ name: String) throws -> String {
        let path = scratch.path(name)
        try LedgerFiles.copy(original, to: path)
        return path
    }

    /// A fresh copy with `mutation` applied. A CHECK or UNIQUE constraint may refuse one random pick even with the
    /// triggers gone (an id altered into another event's id, `data` altered into invalid JSON): each refusal is
    /// counted and drawn again on a fresh copy, up to 20 times, so that a kind is applied whatever the seed.
    /// - Returns: the copy's path (nil if every pick was refused) and how many picks were refused.
    func applying(_ mutation: SQLMutation, to name: String, _ random: inout SeededRandom) throws -> (path: String?, refused: Int) {
        var refused = 0
        for _ in 0..<20 {
            let path = try copy(name)
            do {
                try Tampering.edit(path) { db in try mutation.apply(db, &random, eventCount) }
                return (path, refused)
            } catch {
                refused += 1
            }
        }
        return (nil, refused)
    }
}

/// Edits a ledger file the way someone with the file and the `sqlite3` shell could: drop the append-only triggers,
/// change rows, and put the triggers back exactly as they were.
enum Tampering {
    static func edit(_ path: String, _ body: (Database) throws -> Void) throws {
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in
            let triggers = try Row.fetchAll(db, sql: "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'")
            for trigger in triggers { try db.execute(sql: "DROP TRIGGER \(trigger["name"] as String)") }
            try body(db)
            // Put back the guards the edit did not replace itself.
            for trigger in triggers where try !db.triggerExists(trigger["name"] as String) { try db.execute(sql: trigger["sql"] as String) }
        }
        try queue.close()
    }

    /// Every event's chain recomputed from `seq` on, as a forger who knows the (published) hashing rule would do.
    static func rechain(_ db: Database, from seq: Int64) throws {
        var previous = try Data.fetchOne(db, sql: "SELECT hash FROM events WHERE seq = ?", arguments: [seq - 1]) ?? Envelope.genesis
        let rows = try Row.fetchAll(db, sql: """
            SELECT seq, id, kind, occurred_on, source, worker, employer, data, recorded_at, operator, prev_hash, hash
            FROM events WHERE seq >= ? ORDER BY seq
            """, arguments: [seq])
        for row in rows {
            let rowSeq: Int64 = row[0]
            let envelope = LedgerStore.envelope(row, seq: rowSeq, id: row[1])!
            let hash = envelope.hash(previous: previous)
            try db.execute(sql: "UPDATE events SET prev_hash = ?, hash = ? WHERE seq = ?", arguments: [previous, hash, rowSeq])
            previous = hash
        }
        // And the grant facts beside the chain written again from it, as the forger could read in the schema.
        try db.execute(sql: "DELETE FROM grant_facts")
        _ = try LedgerStore.fillGrantFacts(db)
    }

    /// One character of `text` changed to another of its class (digit, lower-case or hex letter, upper-case), so the
    /// value still passes the column's CHECK; nil if it has no such character.
    /// - Parameter sparingPeople: leaves every pseudonym (`ps_` and its 32 hex digits) as it is, so that a forgery
    ///   names only people the registry holds: one meant to be consistent must not be caught by the registry check.
    static func alter(_ text: String, hexOnly: Bool = false, sparingPeople: Bool = false, using random: inout SeededRandom) -> String? {
        var bytes = Array(text.utf8)
        let digits = Array("0123456789".utf8), lower = Array((hexOnly ? "abcdef" : "abcdefghijklmnopqrstuvwxyz").utf8)
        let upper = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ".utf8)
        var spared = Set<Int>()
        if sparingPeople {
            let prefix = Array("ps_".utf8)
            for start in bytes.indices where bytes[start...].starts(with: prefix) {
                spared.formUnion(start..<min(bytes.count, start + prefix.count + 32))
            }
        }
        let positions = bytes.indices.filter {
            !spared.contains($0) && (digits.contains(bytes[$0]) || lower.contains(bytes[$0]) || upper.contains(bytes[$0]))
        }
        guard let position = positions.randomElement(using: &random) else { return nil }
        let pool = [digits, lower, upper].first { $0.contains(bytes[position]) }!
        bytes[position] = pool.filter { $0 != bytes[position] }.randomElement(using: &random)!
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Everything a ledger file means, as text: schema, settings, events, registry (blobs in hex). Two files with the
    /// same dump hold the same ledger, whatever their bytes.
    static func dump(_ path: String) -> String? {
        var configuration = Configuration()
        configuration.readonly = true
        guard let queue = try? DatabaseQueue(path: path, configuration: configuration) else { return nil }
        defer { try? queue.close() }
        return try? queue.read { db in
            var lines: [String] = []
            for (table, order) in [("sqlite_master", "type, name"), ("ledger_meta", "key"), ("grdb_migrations", "identifier"),
                                   ("events", "seq"), ("persons", "pseudonym")] {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM \(table) ORDER BY \(order)") {
                    lines.append(table + ": " + row.databaseValues.map(describe).joined(separator: " | "))
                }
            }
            return lines.joined(separator: "\n")
        }
    }

    static func describe(_ value: DatabaseValue) -> String {
        switch value.storage {
        case .null: "NULL"
        case .int64(let number): String(number)
        case .double(let number): String(number)
        case .string(let text): "'" + text + "'"
        case .blob(let data): "x'" + Hex.string(data) + "'"
        }
    }
}

/// What checking a tampered ledger gave.
enum Detection: Equatable {
    /// `verify` reported an integrity failure (exit 3).
    case integrity(String)
    /// Opening or reading failed with another clear error (exit 2).
    case refused(String)
    /// Nothing was reported.
    case accepted

    var caught: Bool { self != .accepted }

    /// Opens the ledger and verifies it in this process (optionally against a published digest).
    static func check(_ path: String, extending published: LedgerDigest? = nil) -> Detection {
        do {
            let store = try LedgerStore.open(path: path)
            if let published { _ = try store.verify(extending: published) } else { _ = try store.verify() }
            return .accepted
        } catch let error as LedgerError {
            if case .integrity = error { return .integrity(error.description) }
            return .refused(error.description)
        } catch {
            return .refused("\(error)")
        }
    }
}
