import SkillsDomain

/// A decimal with four places, as Int64 ten-thousandths: rates (0.8), ratios and credit arithmetic. Never Double.
public struct Decimal4: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The value in ten-thousandths (0.8 is 8000).
    public var raw: Int64
    /// Ten-thousandths in one: 10,000.
    public static let scale: Int64 = 10_000

    /// A value from ten-thousandths.
    public init(raw: Int64) { self.raw = raw }
    /// A whole number (no overflow check).
    public init(integer: Int64) { raw = integer * Decimal4.scale }

    /// Reads `[-]DIGITS[.D{1,4}]` (e.g. `0.8`, `-12.25`): at most four decimals and an integer part below 10^11;
    /// nil otherwise.
    public init?(_ text: String) {
        let negative = text.hasPrefix("-")
        let body = negative ? String(text.dropFirst()) : text
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        // Digits only after the one leading minus: `Int64("…")` would take a second sign ("--5", "1.-5").
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }),
              let whole = Int64(parts[0]), whole < 100_000_000_000 else { return nil }
        var fraction: Int64 = 0
        if parts.count == 2 {
            let digits = parts[1]
            guard (1...4).contains(digits.count), let value = Int64(digits) else { return nil }
            fraction = value * Int64([1, 1_000, 100, 10, 1][digits.count])
        }
        raw = (whole * Decimal4.scale + fraction) * (negative ? -1 : 1)
    }

    /// `a / b` rounded half away from zero to four places; nil when `b` is zero or the result does not fit.
    /// (A negative `b` used to reach `Money.scaled`'s positive-denominator precondition: `k / -k` trapped.)
    public static func ratio(_ numerator: Int64, _ denominator: Int64) -> Decimal4? {
        guard denominator != 0, denominator != .min,
              let scaled = Money(fen: numerator).scaledReportingOverflow(by: scale, over: abs(denominator)) else { return nil }
        if denominator > 0 { return Decimal4(raw: scaled.fen) }
        return scaled.fen == .min ? nil : Decimal4(raw: -scaled.fen)
    }

    /// Four decimals always: "0.2500".
    public var description: String {
        let magnitude = raw.magnitude
        let fraction = String(magnitude % UInt64(Decimal4.scale))
        return (raw < 0 ? "-" : "") + String(magnitude / UInt64(Decimal4.scale)) + "." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }

    public static func < (lhs: Decimal4, rhs: Decimal4) -> Bool { lhs.raw < rhs.raw }
}

/// A runtime value of the expression language.
public enum Value: Sendable, Equatable {
    case null
    case bool(Bool)
    case int(Int64)
    case decimal(Decimal4)
    case money(Money)
    case credits(Credits)
    case string(String)
    case level(SkillLevel)
    case date(LocalDate)
    case month(Month)
    case list([Value])
    /// A table keyed by level slug (or any string).
    case table([String: Value])

    /// The value as shown in explanations: amounts in yuan, levels by Chinese name.
    public var display: String {
        switch self {
        case .null: "—"
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .decimal(let decimal): decimal.description
        case .money(let money): money.yuanString
        case .credits(let credits): credits.text
        case .string(let text): text
        case .level(let level): level.rawValue
        case .date(let date): date.description
        case .month(let month): month.description
        case .list(let items): "[" + items.map(\.display).joined(separator: ", ") + "]"
        case .table(let entries): "{" + entries.keys.sorted().map { "\($0): \(entries[$0]!.display)" }.joined(separator: ", ") + "}"
        }
    }

    /// The value's canonical JSON form (for the parameters recorded with an entitlement).
    public var json: JSONValue {
        switch self {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .int(let number): .number(String(number))
        case .table(let entries): .object(entries.keys.sorted().map { JSONMember($0, entries[$0]!.json) })
        case .list(let items): .array(items.map(\.json))
        default: .string(display)
        }
    }

    /// Builds a value from an event's typed field.
    init(_ field: FieldValue) {
        switch field {
        case .text(let text): self = .string(text)
        case .money(let money): self = .money(money)
        case .credits(let credits): self = .credits(credits)
        case .date(let date): self = .date(date)
        case .month(let month): self = .month(month)
        case .integer(let number): self = .int(number)
        case .bool(let flag): self = .bool(flag)
        case .level(let level): self = .level(level)
        case .person(let person): self = .string(person.token)
        case .list(let items): self = .list(items.map { .string($0) })
        }
    }
}

/// The static type of an expression.
public indirect enum ExpressionType: Sendable, Equatable, CustomStringConvertible {
    case bool, int, decimal, money, credits, string, level, date, month, null
    case list(ExpressionType)
    case table(ExpressionType)
    /// A record with named fields: an event of a kind, the worker, the parameters.
    case record(String)

    public var description: String {
        switch self {
        case .bool: "bool"
        case .int: "int"
        case .decimal: "decimal"
        case .money: "money"
        case .credits: "credits"
        case .string: "string"
        case .level: "level"
        case .date: "date"
        case .month: "month"
        case .null: "null"
        case .list(let element): "list of \(element)"
        case .table(let element): "table of \(element) by level"
        case .record(let name): name
        }
    }

    var isNumeric: Bool { self == .int || self == .decimal }

    /// The expression type of a catalogue field.
    static func of(_ field: FieldType) -> ExpressionType {
        switch field {
        case .money, .signedMoney: .money
        case .credits: .credits
        case .date: .date
        case .month: .month
        case .year, .integer: .int
        case .bool: .bool
        case .level: .level
        case .eventIDs: .list(.string)
        case .text, .choice, .occupation, .creditCode, .jurisdiction, .party, .eventID, .sha256: .string
        }
    }
}
