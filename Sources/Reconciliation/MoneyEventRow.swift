import Foundation
import GRDB
import Ledger
import SkillsDomain

/// The fields reconciliation needs from one grant, payment or reversal: the row's columns and, from its stored
/// `data`, only the members its kind has, read in one pass over the stored bytes (`StoredFields`) rather than one
/// SQLite `json_extract` (a full parse of the data) per member. Values are checked as they are read; a stored value
/// that does not read back is an integrity failure, as in the ledger's own reads.
struct MoneyEventRow {
    var seq: Int64
    var id: String
    var kind: EventKind
    var occurredOn: LocalDate
    var source: String
    var payeeText: String?
    var amountText: String?
    var periodText: String?
    var jurisdiction: String?
    var rule: String?
    var clawbackOf: String?
    var payment: String?
    var grant: String?
    var target: String?

    /// The data members a row can carry, in the order of `MoneyEventRow`'s properties.
    static let members: [StaticString] = ["payee", "amount", "period", "jurisdiction", "rule", "clawback_of", "payment", "grant", "target"]

    /// The columns every query selects, in the order `MoneyEventRow(_:)` reads them.
    static let columns = "seq, id, kind, occurred_on, source, data"

    /// Streams the grants and reversals recorded before `cutoff` (a seq), in recording order.
    static func forEachGrantOrReversal(in store: LedgerStore, before cutoff: Int64, _ body: (MoneyEventRow) throws -> Void) throws {
        try forEach(in: store, sql: """
            SELECT \(columns) FROM events WHERE kind IN ('subsidy.granted', 'event.reversed') AND seq < ? ORDER BY seq
            """, arguments: [cutoff], body)
    }

    /// Streams the payments recorded before `cutoff` and dated up to `lastDay`, in matching order: `paid_on`, then
    /// `payment_id`, then event id. SQLite sorts (spilling to a temporary file when large), so the payment history
    /// is never held in memory. Ids are ASCII, so SQLite's byte order is Swift's `<` order.
    static func forEachPayment(in store: LedgerStore, through lastDay: LocalDate, before cutoff: Int64,
                               _ body: (MoneyEventRow) throws -> Void) throws {
        try forEach(in: store, sql: """
            SELECT \(columns) FROM events WHERE kind = 'subsidy.paid' AND seq < ? AND occurred_on <= ?
            ORDER BY occurred_on, json_extract(data, '$.payment'), id
            """, arguments: [cutoff, lastDay.description], body)
    }

    static func forEach(in store: LedgerStore, sql: String, arguments: StatementArguments, _ body: (MoneyEventRow) throws -> Void) throws {
        try store.read { db in
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() { try body(try MoneyEventRow(row)) }
        }
    }

    init(_ row: Row) throws {
        seq = row[0]
        id = row[1]
        let kindText: String = row[2], dateText: String = row[3]
        guard let kind = EventKind(rawValue: kindText), let date = MoneyEventRow.storedDate(dateText) else {
            throw MoneyEventRow.unreadable(seq, id, "a stored kind or date is not valid")
        }
        self.kind = kind
        occurredOn = date
        source = row[4]
        let fields = try row.withUnsafeData(atIndex: 5) { data in
            data.flatMap { data in data.withUnsafeBytes { StoredFields($0, keys: MoneyEventRow.members) } }
        }
        guard let values = fields?.values else { throw MoneyEventRow.unreadable(seq, id, "the stored data is not a JSON object") }
        payeeText = values[0]
        amountText = values[1]
        periodText = values[2]
        jurisdiction = values[3]
        rule = values[4]
        clawbackOf = values[5]
        payment = values[6]
        grant = values[7]
        target = values[8]
    }

    /// A stored `occurred_on` (`YYYY-MM-DD`, as the schema's CHECK has it) without `LocalDate.parse`'s other forms;
    /// anything else goes through it.
    static func storedDate(_ text: String) -> LocalDate? {
        var text = text
        let fast: LocalDate?? = text.withUTF8 { utf8 in
            guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-") else { return .none }
            var digits = [0, 0, 0]
            for (part, range) in [0..<4, 5..<7, 8..<10].enumerated() {
                for byte in utf8[range] {
                    guard (48...57).contains(byte) else { return .none }
                    digits[part] = digits[part] * 10 + Int(byte - 48)
                }
            }
            return .some(LocalDate(year: digits[0], month: digits[1], day: digits[2]))
        }
        return fast ?? LocalDate.parse(text)
    }

    static func unreadable(_ seq: Int64, _ id: String, _ reason: String) -> LedgerError {
        .integrity(IntegrityFailure(seq: seq, eventID: id, reason: reason))
    }

    func amount() throws -> Money {
        guard let amountText, let money = try? Money(yuan: amountText) else {
            throw MoneyEventRow.unreadable(seq, id, "the stored amount \(amountText ?? "(none)") is not a yuan amount")
        }
        return money
    }

    func period() throws -> Month? {
        guard let periodText else { return nil }
        guard let month = try? Month(parsing: periodText) else {
            throw MoneyEventRow.unreadable(seq, id, "the stored period \(periodText) is not a month")
        }
        return month
    }

    func payee() throws -> String {
        guard let payeeText, !payeeText.isEmpty else { throw MoneyEventRow.unreadable(seq, id, "the stored payee is missing") }
        return payeeText
    }

    /// Whether the event's `data.jurisdiction` (or, without one, its source) lies inside `jurisdiction`.
    func belongs(to jurisdiction: JurisdictionCode) -> Bool {
        guard let code = try? JurisdictionCode(self.jurisdiction ?? source) else { return false }
        return jurisdiction.contains(code)
    }
}
