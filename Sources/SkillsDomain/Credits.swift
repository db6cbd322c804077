/// Study credits (学分) in tenths: "2.5" is 25 tenths. Like money, credits never pass through floating point.
public struct Credits: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The amount in tenths of a credit: 25 is 2.5 credits. May be negative.
    public var tenths: Int64

    /// No credits (0.0).
    public static let zero = Credits(tenths: 0)
    /// No single credit movement is larger than this; anything larger is a typing error.
    public static let maximumTenths: Int64 = 100_000

    /// Credits from a count of tenths, taken as given (`maximumTenths` is checked only when parsing text).
    public init(tenths: Int64) { self.tenths = tenths }

    /// Parses "2", "2.5" or "-1.5" (at most one decimal).
    public init(text: String) throws(ValueError) {
        var utf8 = text.utf8[...]
        var negative = false
        if utf8.first == UInt8(ascii: "-") { negative = true; utf8 = utf8.dropFirst() }
        var whole: Int64 = 0, digits = 0, fraction: Int64 = 0, fractionDigits = 0, point = false
        var valid = true
        for byte in utf8 {
            if byte == UInt8(ascii: ".") { if point { valid = false }; point = true; continue }
            guard byte >= 48 && byte <= 57 else { valid = false; break }
            if point { fractionDigits += 1; fraction = Int64(byte - 48) } else { digits += 1; whole = whole * 10 + Int64(byte - 48) }
            if digits > 6 { valid = false; break }
        }
        let value = whole * 10 + fraction
        guard valid, digits > 0, fractionDigits <= 1, !(point && fractionDigits == 0), value <= Credits.maximumTenths else {
            throw ValueError(expected: "credits with at most one decimal, e.g. 2.5", found: text)
        }
        tenths = negative ? -value : value
    }

    /// One decimal always: "7.0", "2.5".
    public var text: String {
        let magnitude = tenths.magnitude
        return (tenths < 0 ? "-" : "") + String(magnitude / 10) + "." + String(magnitude % 10)
    }

    public var description: String { text }

    public static func < (lhs: Credits, rhs: Credits) -> Bool { lhs.tenths < rhs.tenths }
    /// The sum, in tenths.
    public static func + (lhs: Credits, rhs: Credits) -> Credits { Credits(tenths: lhs.tenths + rhs.tenths) }
    /// Adds `rhs` to `lhs`, in tenths.
    public static func += (lhs: inout Credits, rhs: Credits) { lhs.tenths += rhs.tenths }
}
