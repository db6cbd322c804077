import GRDB
import SkillsDomain

/// Reads the events a statement selects (the columns of `LedgerStore.eventColumns`, in that order) through SQLite's
/// C interface, for the scans that read hundreds of thousands of workers' histories at month end. A GRDB row makes a
/// `String` of every text column and a `Data` of every column read in place; here the kind is matched and the date
/// and data are read in SQLite's bytes, a worker's pseudonym is one string for all their events, and the long texts
/// that repeat (the source, the employer, the recording time and the operator) come from a small cache. The event is
/// the one `LedgerStore.storedEvent(_:)` reads from a GRDB row, with the same checks.
final class EventRowReader {
    private let rows: SteppedStatement
    private var texts = TextCache()
    private var lastWorker: String?

    init(_ statement: Statement) {
        rows = SteppedStatement(statement)
    }

    var statement: Statement { rows.statement }

    /// Steps the statement, its arguments set, to its end: `body` reads each row (`worker()`, `event()`). The
    /// statement is reset after, whatever happens.
    func forEachRow(_ body: () throws -> Void) throws { try rows.forEachRow(body) }

    /// The row's worker: the string of the row before when it is the same person (or the one `expect` named).
    func worker() -> String? {
        guard let bytes = rows.bytes(5) else { return nil }
        if let lastWorker, TextCache.equal(lastWorker, bytes) { return lastWorker }
        let worker = String(decoding: bytes, as: UTF8.self)
        lastWorker = worker
        return worker
    }

    /// Tells the reader whose events come next (a scan of one person), so that theirs share the caller's string.
    func expect(worker: String) { lastWorker = worker }

    /// The row's event.
    func event() throws -> StoredEvent {
        try LedgerStore.storedEvent(
            seq: rows.int64(0), id: text(1) ?? "", kind: rows.bytes(2).flatMap(EventKind.init(utf8:)),
            fastDate: rows.bytes(3).flatMap(StoredDataReader.date(bytes:)), dateText: { text(3) }, source: texts.text(rows.bytes(4)) ?? "",
            worker: worker(), employer: texts.text(rows.bytes(6)),
            fastData: { kind in rows.bytes(7).flatMap { StoredDataReader.read(bytes: $0, kind: kind) } }, dataText: { text(7) },
            recordedAt: texts.text(rows.bytes(8)) ?? "", operatorName: texts.text(rows.bytes(9)) ?? "")
    }

    private func text(_ column: Int32) -> String? { rows.bytes(column).map { String(decoding: $0, as: UTF8.self) } }
}

/// The last texts seen in each of 256 places (by a hash of their bytes): a text met again is the same string, not a
/// new one. Texts of up to 15 bytes are kept inside a `String` and never allocated, so they are made each time.
struct TextCache {
    private var slots = [String?](repeating: nil, count: 256)

    mutating func text(_ bytes: UnsafeRawBufferPointer?) -> String? {
        guard let bytes else { return nil }
        guard bytes.count > 15 else { return String(decoding: bytes, as: UTF8.self) }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        let slot = Int(truncatingIfNeeded: hash & 0xff)
        if let known = slots[slot], Self.equal(known, bytes) { return known }
        let text = String(decoding: bytes, as: UTF8.self)
        slots[slot] = text
        return text
    }

    /// Whether `text` is these UTF-8 bytes.
    static func equal(_ text: String, _ bytes: UnsafeRawBufferPointer) -> Bool {
        text.utf8.withContiguousStorageIfAvailable { $0.count == bytes.count && UnsafeRawBufferPointer($0).elementsEqual(bytes) }
            ?? text.utf8.elementsEqual(bytes)
    }
}
