/// A calendar date without a time zone, as events state when things happened in the world.
/// Accepts `2026-03-01`, `2026/3/1` and `20260301`; always prints `YYYY-MM-DD`.
public struct LocalDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, 1900–2200.
    public let year: Int
    /// The month, 1–12.
    public let month: Int
    /// The day of the month, 1–31 as the month allows.
    public let day: Int

    /// The date, or nil when it does not exist or its year is outside 1900–2200.
    public init?(year: Int, month: Int, day: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month),
              day >= 1, day <= LocalDate.daysIn(year: year, month: month) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Reads a date written `2026-03-01`, `2026/3/1` or `20260301`.
    /// - Throws: `ValueError` when the text is not a real date in one of those forms.
    public init(parsing text: String) throws(ValueError) {
        guard let date = LocalDate.parse(text) else {
            throw ValueError(expected: "a real date as YYYY-MM-DD", found: text)
        }
        self = date
    }

    /// The date `text` writes in one of the accepted forms (one separator style per date), or nil.
    public static func parse(_ text: String) -> LocalDate? {
        let bytes = Array(text.utf8)
        if bytes.count == 8, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return LocalDate(year: number(bytes[0..<4]), month: number(bytes[4..<6]), day: number(bytes[6..<8]))
        }
        let parts = bytes.split(omittingEmptySubsequences: false) { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "/") }
        guard parts.count == 3, parts[0].count == 4, (1...2).contains(parts[1].count), (1...2).contains(parts[2].count),
              parts.allSatisfy({ $0.allSatisfy { $0 >= 48 && $0 <= 57 } }) else { return nil }
        // One separator style per date: 2026-03/01 is a typing error.
        let separators = bytes.filter { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "/") }
        guard separators[0] == separators[1] else { return nil }
        return LocalDate(year: number(parts[0]), month: number(parts[1]), day: number(parts[2]))
    }

    static func number(_ digits: some Collection<UInt8>) -> Int {
        digits.reduce(0) { $0 * 10 + Int($1 - 48) }
    }

    /// Whether `year` is a Gregorian leap year.
    public static func isLeap(_ year: Int) -> Bool { (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 }

    /// The number of days in `month` (1–12) of `year`.
    public static func daysIn(year: Int, month: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// The month the date falls in.
    public var yearMonth: Month { Month(unchecked: year, month) }

    /// The same day `count` months later, clamped to the last day of that month (2026-01-31 + 1 → 2026-02-28).
    public func adding(months count: Int) -> LocalDate {
        let target = yearMonth.adding(count)
        let clamped = min(day, LocalDate.daysIn(year: target.year, month: target.month))
        return LocalDate(year: target.year, month: target.month, day: clamped)!
    }

    /// Days since 1970-01-01 (civil-from-days inverse, Howard Hinnant's algorithm).
    public var dayNumber: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date of a day number (days since 1970-01-01): the inverse of `dayNumber` (Hinnant's
    /// civil-from-days), for any year.
    public static func civil(fromDayNumber dayNumber: Int) -> (year: Int, month: Int, day: Int) {
        let z = dayNumber + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// The date of a day number, if its year is one a LocalDate holds (1900–2200).
    public init?(dayNumber: Int) {
        let civil = LocalDate.civil(fromDayNumber: dayNumber)
        self.init(year: civil.year, month: civil.month, day: civil.day)
    }

    public var description: String {
        pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
    }

    public static func < (lhs: LocalDate, rhs: LocalDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}

/// A calendar month (`YYYY-MM`): the period of grants, payouts and closes.
public struct Month: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year: 1900–2200 for a month read or checked (`init(index:)` does not check).
    public let year: Int
    /// The month of the year, 1–12.
    public let month: Int

    init(unchecked year: Int, _ month: Int) {
        self.year = year
        self.month = month
    }

    /// The month, or nil when `month` is not 1–12 or `year` is outside 1900–2200.
    public init?(year: Int, month: Int) {
        guard (1900...2200).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Reads a month written `2026-03`, `2026/3` or `202603`.
    /// - Throws: `ValueError` for any other form or an impossible month.
    public init(parsing text: String) throws(ValueError) {
        let bytes = Array(text.utf8)
        let parts = bytes.split(omittingEmptySubsequences: false) { $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "/") }
        if parts.count == 2, parts[0].count == 4, (1...2).contains(parts[1].count),
           parts.allSatisfy({ $0.allSatisfy { $0 >= 48 && $0 <= 57 } }),
           let month = Month(year: LocalDate.number(parts[0]), month: LocalDate.number(parts[1])) {
            self = month
        } else if bytes.count == 6, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }),
                  let month = Month(year: LocalDate.number(bytes[0..<4]), month: LocalDate.number(bytes[4..<6])) {
            self = month
        } else {
            throw ValueError(expected: "a month as YYYY-MM", found: text)
        }
    }

    /// The same from UTF-8 bytes (a grant's month as the ledger lends it, `GrantFactBytes`): `YYYY-MM` is read in
    /// place, any other text by `init(parsing:)`; nil where that throws.
    public init?(bytes: UnsafeRawBufferPointer) {
        if bytes.count == 7, bytes[4] == UInt8(ascii: "-"), bytes[0..<4].allSatisfy({ $0 >= 48 && $0 <= 57 }),
           bytes[5..<7].allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            guard let month = Month(year: LocalDate.number(bytes[0..<4]), month: LocalDate.number(bytes[5..<7])) else { return nil }
            self = month
        } else {
            guard let month = try? Month(parsing: String(decoding: bytes, as: UTF8.self)) else { return nil }
            self = month
        }
    }

    /// Months since year 0: differences of two indexes count whole months.
    public var index: Int { year * 12 + month - 1 }

    /// The month of `index` (months since year 0), unchecked: its year may lie outside 1900–2200.
    public init(index: Int) {
        self.init(unchecked: index / 12, index % 12 + 1)
    }

    /// The month `months` later (earlier when negative), unchecked like `init(index:)`.
    public func adding(_ months: Int) -> Month { Month(index: index + months) }

    /// The first day of the month (traps for a year outside 1900–2200).
    public var firstDay: LocalDate { LocalDate(year: year, month: month, day: 1)! }
    /// The last day of the month: the 28th to the 31st (traps for a year outside 1900–2200).
    public var lastDay: LocalDate { LocalDate(year: year, month: month, day: LocalDate.daysIn(year: year, month: month))! }

    /// Whether `date` falls in this month.
    public func contains(_ date: LocalDate) -> Bool { date.year == year && date.month == month }

    public var description: String { pad(year, 4) + "-" + pad(month, 2) }

    public static func < (lhs: Month, rhs: Month) -> Bool { lhs.index < rhs.index }
}

func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
}
