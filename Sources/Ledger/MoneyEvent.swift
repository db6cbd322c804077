import Foundation
import GRDB
import SkillsDomain

/// The fields reconciliation needs from one grant, payment or reversal: the row's columns and, from its stored
/// `data`, only the members its kind has, read in one pass over the stored bytes (`StoredDataReader.Fields`) rather
/// than one SQLite `json_extract` (a full parse of the data) per member. Amounts, periods and payees stay as stored
/// text: the reader checks them and reports a value that does not read back as an integrity failure.
public struct MoneyEvent: Sendable {
    /// The event's place in the chain.
    public var seq: Int64
    /// The event's id.
    public var id: String
    /// `subsidy.granted`, `subsidy.paid` or `event.reversed`.
    public var kind: EventKind
    /// The event's date: a grant's last day of its month, a payment's `paid_on`.
    public var occurredOn: LocalDate
    /// The event's `source` column (for a grant, its jurisdiction code or `national`).
    public var source: String
    /// Who is paid, as stored: a worker's pseudonym or an employer's code.
    public var payeeText: String?
    /// The amount as stored: a yuan string with two decimals (negative for a clawback, a recovery or a returned payment).
    public var amountText: String?
    /// A grant's month, `YYYY-MM`, as stored.
    public var periodText: String?
    /// A grant's GB/T 2260 jurisdiction code, as stored.
    public var jurisdiction: String?
    /// The id of the rule a grant was computed by.
    public var rule: String?
    /// For a clawback, the id of the grant it withdraws.
    public var clawbackOf: String?
    /// A payment's `payment_id` from the payout file.
    public var payment: String?
    /// The grant a payment names (the payout file's `grant`; may be empty).
    public var grant: String?
    /// The id of the event a reversal cancels.
    public var target: String?
    /// A settlement adjustment's grant: the latest grant in force that paid its entitlement out.
    public var adjusts: String?

    /// The data members a row can carry, in the order of `MoneyEvent`'s properties.
    static let members: [StaticString] = ["payee", "amount", "period", "jurisdiction", "rule", "clawback_of", "payment", "grant", "target", "adjusts"]

    /// The columns every query selects, in the order `MoneyEvent(_:)` reads them.
    static let columns = "seq, id, kind, occurred_on, source, data"

    init(_ row: Row) throws {
        let seq: Int64 = row[0]
        let id: String = row[1]
        let fastDate = try row.withUnsafeData(atIndex: 3) { data in data?.withUnsafeBytes(StoredDataReader.date(bytes:)) }
        guard let kind = EventKind(rawValue: row[2]), let date = fastDate ?? LocalDate.parse(row[3] as String? ?? "") else {
            throw MoneyEvent.unreadable(seq, id, "a stored kind or date is not valid")
        }
        guard let values = try row.storedFields(atIndex: 5, keys: MoneyEvent.members) else { throw MoneyEvent.unreadable(seq, id, "the stored data is not a JSON object") }
        self.init(seq: seq, id: id, kind: kind, occurredOn: date, source: row[4], values: values)
    }

    /// A row read by another backend (`LedgerPostgres`): the stored columns as text, the data's members picked by the
    /// same reader as SQLite's (`StoredDataReader.Fields`).
    package init(storedSeq seq: Int64, id: String, kind kindText: String, occurredOn dateText: String, source: String, data: String) throws {
        guard let kind = EventKind(rawValue: kindText), let date = LocalDate.parse(dateText) else {
            throw MoneyEvent.unreadable(seq, id, "a stored kind or date is not valid")
        }
        var data = data
        guard let values = data.withUTF8({ StoredDataReader.Fields(UnsafeRawBufferPointer($0), keys: MoneyEvent.members)?.values }) else {
            throw MoneyEvent.unreadable(seq, id, "the stored data is not a JSON object")
        }
        self.init(seq: seq, id: id, kind: kind, occurredOn: date, source: source, values: values)
    }

    /// The columns, and the values read for `members` in their order.
    init(seq: Int64, id: String, kind: EventKind, occurredOn: LocalDate, source: String, values: [String?]) {
        self.seq = seq
        self.id = id
        self.kind = kind
        self.occurredOn = occurredOn
        self.source = source
        payeeText = values[0]
        amountText = values[1]
        periodText = values[2]
        jurisdiction = values[3]
        rule = values[4]
        clawbackOf = values[5]
        payment = values[6]
        grant = values[7]
        target = values[8]
        adjusts = values[9]
    }

    /// The integrity failure of a stored money event whose values do not read back.
    public static func unreadable(_ seq: Int64, _ id: String, _ reason: String) -> LedgerError {
        .integrity(IntegrityFailure(seq: seq, eventID: id, reason: reason))
    }
}

extension LedgerStore {
    /// Streams the grants and reversals recorded before `cutoff` (a seq), in recording order.
    public func forEachGrantOrReversal(before cutoff: Int64, _ body: (MoneyEvent) throws -> Void) throws {
        try forEachMoneyEvent(sql: """
            SELECT \(MoneyEvent.columns) FROM events WHERE kind IN ('subsidy.granted', 'event.reversed') AND seq < ? ORDER BY seq
            """, arguments: [cutoff], body)
    }

    /// Streams the payments recorded before `cutoff` and dated up to `lastDay`, in matching order: `paid_on`, then
    /// `payment_id`, then event id. SQLite sorts (spilling to a temporary file when large), so the payment history
    /// is never held in memory. Ids are ASCII, so SQLite's byte order is Swift's `<` order.
    public func forEachPayment(through lastDay: LocalDate, before cutoff: Int64, _ body: (MoneyEvent) throws -> Void) throws {
        // json_extract stays here only to order the rows; the values are read by `MoneyEvent(_:)`.
        try forEachMoneyEvent(sql: """
            SELECT \(MoneyEvent.columns) FROM events WHERE kind = 'subsidy.paid' AND seq < ? AND occurred_on <= ?
            ORDER BY occurred_on, json_extract(data, '$.payment'), id
            """, arguments: [cutoff, lastDay.description], body)
    }

    func forEachMoneyEvent(sql: String, arguments: StatementArguments, _ body: (MoneyEvent) throws -> Void) throws {
        try read { db in
            let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
            while let row = try rows.next() { try body(try MoneyEvent(row)) }
        }
    }
}
