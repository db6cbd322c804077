import Foundation
import GRDB
@testable import Ledger
import LedgerTesting
import SkillsDomain
import Testing

/// The month-end scans of workers' histories read rows through SQLite's C interface (`EventRowReader`); every other
/// read goes through GRDB rows (`LedgerStore.storedEvent(_:)`). Both must give the same events, and refuse the same
/// damaged rows with the same integrity failure.
@Suite("events read in SQLite's bytes")
struct EventRowReaderTests {
    /// Each worker's events as a GRDB row gives them, as text.
    static func byRows(_ store: LedgerStore, _ worker: String) throws -> [String] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT \(LedgerStore.eventColumns) FROM events WHERE worker = ? ORDER BY seq", arguments: [worker])
                .map { "\(try LedgerStore.storedEvent($0))" }
        }
    }

    static func workers(_ store: LedgerStore) throws -> [String] {
        try store.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT worker FROM events WHERE worker IS NOT NULL ORDER BY worker") }
    }

    @Test("every worker's events, by candidates and in the whole scan, are those a GRDB row gives")
    func sameEvents() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.all)
        try ledger.submit(Repository.samples)
        let workers = try Self.workers(ledger.store)
        #expect(workers.count > 10)
        var chosen: [String: [String]] = [:]
        try ledger.store.forEachWorker(in: Set(workers)) { worker, events in chosen[worker] = events.map { "\($0)" } }
        var everyone: [String: [String]] = [:]
        var order: [String] = []
        try ledger.store.forEachWorker { worker, events in
            everyone[worker] = events.map { "\($0)" }
            order.append(worker)
        }
        #expect(order == workers)
        for worker in workers {
            let expected = try Self.byRows(ledger.store, worker)
            #expect(!expected.isEmpty)
            #expect(chosen[worker] == expected, "\(worker)")
            #expect(everyone[worker] == expected, "\(worker)")
        }
        // Only the candidates are read, and one worker's events share one string.
        var some: [String] = []
        try ledger.store.forEachWorker(in: [workers[3], workers[1]]) { worker, events in
            some.append(worker)
            #expect(events.allSatisfy { $0.event.worker == .pseudonym(worker) })
        }
        #expect(some == [workers[1], workers[3]])
    }

    /// A copy of the ledger with one stored row changed behind the triggers' back.
    static func damaged(_ ledger: TemporaryLedger, _ name: String, _ change: String) throws -> LedgerStore {
        let copy = try ledger.rawCopy(name)
        try copy.database.write { db in
            try db.execute(sql: "DROP TRIGGER events_are_never_updated")
            try db.execute(sql: change)
        }
        try copy.database.close()
        return try LedgerStore.open(path: copy.path)
    }

    @Test("a row that does not read fails both ways with the same integrity failure; unusual but valid data reads the same")
    func damagedRows() throws {
        let ledger = try TemporaryLedger()
        try ledger.add(Story.all)
        let changes = [
            ("kind.sqlite", "UPDATE events SET kind = 'training.done' WHERE id = 't-1'", "a stored kind or date is not valid"),
            ("date.sqlite", "UPDATE events SET occurred_on = '2026-02-30' WHERE id = 't-1'", "a stored kind or date is not valid"),
            ("data.sqlite", "UPDATE events SET data = '[1]' WHERE id = 'c-1'", "stored data does not read back"),
        ]
        for (name, change, reason) in changes {
            let store = try Self.damaged(ledger, name, change)
            let worker = try Self.workerOf("w-1", store)    // 王建国, whose training t-1 and certificate c-1 are
            let byRows = try #require(throws: LedgerError.self) { try Self.byRows(store, worker) }
            let byBytes = try #require(throws: LedgerError.self) { try store.forEachWorker(in: [worker]) { _, _ in } }
            let inScan = try #require(throws: LedgerError.self) { try store.forEachWorker { _, _ in } }
            #expect("\(byBytes)" == "\(byRows)" && "\(inScan)" == "\(byRows)", "\(change)")
            #expect("\(byBytes)".contains(reason), "\(change): \(byBytes)")
        }
        // Data that is valid JSON but not as the ledger writes it is read by the full decoder, to the same event.
        let spaced = try Self.damaged(ledger, "spaced.sqlite", "UPDATE events SET data = ' ' || data WHERE id = 'c-1'")
        let worker = try Self.workerOf("w-1", spaced)
        var events: [String] = []
        try spaced.forEachWorker(in: [worker]) { _, read in events = read.map { "\($0)" } }
        #expect(events == (try Self.byRows(spaced, worker)))
        #expect(events.contains { $0.contains("c-1") })
    }

    /// The pseudonym of the worker an event names.
    static func workerOf(_ id: String, _ store: LedgerStore) throws -> String {
        try #require(try store.read { db in try String.fetchOne(db, sql: "SELECT worker FROM events WHERE id = ?", arguments: [id]) })
    }

    @Test("the text cache gives back the string it holds only for the same bytes")
    func textCache() {
        var cache = TextCache()
        func lend(_ text: String, _ body: (UnsafeRawBufferPointer) -> Void) { Array(text.utf8).withUnsafeBytes(body) }
        var first: String?
        lend("2026-12-07T03:35:20Z") { first = cache.text($0) }
        lend("2026-12-07T03:35:20Z") { #expect(cache.text($0) == first) }
        lend("2026-12-07T03:35:21Z") { #expect(cache.text($0) == "2026-12-07T03:35:21Z") }
        lend("52410100J000045289") { #expect(cache.text($0) == "52410100J000045289") }
        lend("short") { #expect(cache.text($0) == "short") }
        // Many texts in few places: each comes back as itself.
        for index in 0..<2_000 {
            let text = "52410100J\(String(format: "%09d", index))"
            lend(text) { #expect(cache.text($0) == text) }
            lend(text) { #expect(cache.text($0) == text) }
        }
        #expect(cache.text(nil) == nil)
    }
}
