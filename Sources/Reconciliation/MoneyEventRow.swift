import GRDB
import Ledger
import SkillsDomain

/// The fields reconciliation needs from one grant, payment or reversal, read straight from the events table with
/// SQLite's `json_extract`: several times faster than decoding every event in full (`LedgerStore.forEachEvent`).
/// Values are checked as they are read; a stored value that does not read back is an integrity failure, as in the
/// ledger's own reads.
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

    /// The columns of `MoneyEventRow(_:)` in order; each query extracts only the fields its kinds have (a
    /// `json_extract` parses the event's data again, and is most of the cost of reading).
    static func columns(_ fields: Set<String>) -> String {
        let names = ["payee", "amount", "period", "jurisdiction", "rule", "clawback_of", "payment", "grant", "target"]
        return "seq, id, kind, occurred_on, source, " + names.map { fields.contains($0) ? "json_extract(data, '$.\($0)')" : "NULL" }
            .joined(separator: ", ")
    }

    /// Streams the grants and reversals recorded before `cutoff` (a seq), in recording order.
    static func forEachGrantOrReversal(in store: LedgerStore, before cutoff: Int64, _ body: (MoneyEventRow) throws -> Void) throws {
        try forEach(in: store, sql: """
            SELECT \(columns(["payee", "amount", "period", "jurisdiction", "rule", "clawback_of", "target"]))
            FROM events WHERE kind IN ('subsidy.granted', 'event.reversed') AND seq < ? ORDER BY seq
            """, arguments: [cutoff], body)
    }

    /// Streams the payments recorded before `cutoff` and dated up to `lastDay`, in matching order: `paid_on`, then
    /// `payment_id`, then event id. SQLite sorts (spilling to a temporary file when large), so the payment history
    /// is never held in memory. Ids are ASCII, so SQLite's byte order is Swift's `<` order.
    static func forEachPayment(in store: LedgerStore, through lastDay: LocalDate, before cutoff: Int64,
                               _ body: (MoneyEventRow) throws -> Void) throws {
        try forEach(in: store, sql: """
            SELECT \(columns(["payee", "amount", "jurisdiction", "payment", "grant"]))
            FROM events WHERE kind = 'subsidy.paid' AND seq < ? AND occurred_on <= ?
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
        guard let kind = EventKind(rawValue: row[2]), let date = LocalDate.parse(row[3]) else {
            throw MoneyEventRow.unreadable(seq, id, "a stored kind or date is not valid")
        }
        self.kind = kind
        occurredOn = date
        source = row[4]
        payeeText = row[5]
        amountText = row[6]
        periodText = row[7]
        jurisdiction = row[8]
        rule = row[9]
        clawbackOf = row[10]
        payment = row[11]
        grant = row[12]
        target = row[13]
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
