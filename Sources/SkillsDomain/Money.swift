/// An amount of money in integer fen (分). Money never passes through floating point: it is parsed from and printed
/// as yuan strings with at most two decimals, and all arithmetic is on the fen count.
///
/// ```swift
/// let cost = try Money(yuan: "1800.50")   // 180050 fen
/// cost.yuanString                          // "1800.50"
/// ```
public struct Money: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The amount in fen (100 fen = 1 yuan); negative for a returned payment or a clawback.
    public var fen: Int64

    /// The largest magnitude accepted from input: one trillion yuan. Anything larger is a typing error, not a subsidy.
    public static let maximumFen: Int64 = 100_000_000_000_000

    /// 0.00 yuan.
    public static let zero = Money(fen: 0)

    /// An amount of `fen` fen, taken as given (`maximumFen` is checked only when parsing yuan text).
    public init(fen: Int64) { self.fen = fen }

    /// Whole yuan, as policies state them.
    public init(yuanWhole: Int64) { self.fen = yuanWhole * 100 }

    /// Parses a yuan amount: optional sign, digits, optionally a point and one or two decimals ("6000", "1800.5",
    /// "-200.00"). Throws `ValueError` naming what was expected.
    public init(yuan text: String) throws(ValueError) {
        guard let fen = Money.parseFen(Substring(text)) else {
            throw ValueError(expected: "a yuan amount with at most two decimals, e.g. 1800.50", found: text)
        }
        self.fen = fen
    }

    /// The same from UTF-8 bytes (a grant's amount as the ledger lends it, `GrantFactBytes`); nil where `init(yuan:)`
    /// throws.
    public init?(yuanBytes bytes: UnsafeRawBufferPointer) {
        guard let fen = Money.parseFen(bytes) else { return nil }
        self.fen = fen
    }

    static func parseFen(_ text: Substring) -> Int64? { parseFen(text.utf8) }

    static func parseFen<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Int64? {
        var utf8 = bytes[...]
        var negative = false
        if let first = utf8.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            utf8 = utf8.dropFirst()
        }
        var whole: Int64 = 0
        var wholeDigits = 0
        var fraction: Int64 = 0
        var fractionDigits = 0
        var seenPoint = false
        for byte in utf8 {
            if byte == UInt8(ascii: ".") {
                if seenPoint { return nil }
                seenPoint = true
                continue
            }
            guard byte >= 48 && byte <= 57 else { return nil }
            let digit = Int64(byte - 48)
            if seenPoint {
                fractionDigits += 1
                if fractionDigits > 2 { return nil }
                fraction = fraction * 10 + digit
            } else {
                wholeDigits += 1
                if wholeDigits > 13 { return nil }
                whole = whole * 10 + digit
            }
        }
        if wholeDigits == 0 || (seenPoint && fractionDigits == 0) { return nil }
        if fractionDigits == 1 { fraction *= 10 }
        let fen = whole * 100 + fraction
        guard fen <= maximumFen else { return nil }
        return negative ? -fen : fen
    }

    /// Two decimals, with a leading minus for negative amounts: "1800.50", "-200.00".
    public var yuanString: String {
        let magnitude = fen.magnitude
        let whole = magnitude / 100
        let cents = magnitude % 100
        return (fen < 0 ? "-" : "") + String(whole) + "." + (cents < 10 ? "0" : "") + String(cents)
    }

    public var description: String { yuanString }

    /// Whether the amount is below zero (a returned payment, a clawback, a recovery).
    public var isNegative: Bool { fen < 0 }

    public static func < (lhs: Money, rhs: Money) -> Bool { lhs.fen < rhs.fen }
    /// The sum, in fen.
    public static func + (lhs: Money, rhs: Money) -> Money { Money(fen: lhs.fen + rhs.fen) }
    /// The difference, in fen.
    public static func - (lhs: Money, rhs: Money) -> Money { Money(fen: lhs.fen - rhs.fen) }
    /// The amount with its sign reversed (a grant's clawback, a payment's return).
    public static prefix func - (value: Money) -> Money { Money(fen: -value.fen) }
    /// Adds `rhs` to `lhs`, in fen.
    public static func += (lhs: inout Money, rhs: Money) { lhs.fen += rhs.fen }
    /// Subtracts `rhs` from `lhs`, in fen.
    public static func -= (lhs: inout Money, rhs: Money) { lhs.fen -= rhs.fen }

    /// The amount times `numerator / denominator`, rounded half away from zero to the fen (the usual rounding of
    /// Chinese finance offices, 四舍五入).
    public func scaled(by numerator: Int64, over denominator: Int64) -> Money {
        precondition(denominator > 0, "a ratio's denominator must be positive")
        let product = fen.multipliedFullWidth(by: numerator)
        let (quotient, remainder) = denominator.dividingFullWidth(product)
        var result = quotient
        if remainder.magnitude * 2 >= denominator.magnitude {
            result += (fen < 0) != (numerator < 0) ? -1 : 1
        }
        return Money(fen: result)
    }

    /// `scaled(by:over:)` for values that are not known to be small (a policy's arithmetic): nil instead of a trap
    /// when the result does not fit in Int64 or the denominator is not positive.
    public func scaledReportingOverflow(by numerator: Int64, over denominator: Int64) -> Money? {
        guard denominator > 0 else { return nil }
        let divisor = UInt64(denominator)
        let product = fen.magnitude.multipliedFullWidth(by: numerator.magnitude)
        guard product.high < divisor else { return nil }
        var (quotient, remainder) = divisor.dividingFullWidth(product)
        if remainder >= divisor - remainder {
            let (rounded, overflow) = quotient.addingReportingOverflow(1)
            guard !overflow else { return nil }
            quotient = rounded
        }
        let negative = (fen < 0) != (numerator < 0)
        guard quotient <= (negative ? UInt64(Int64.max) + 1 : UInt64(Int64.max)) else { return nil }
        return Money(fen: negative ? Int64(truncatingIfNeeded: 0 &- quotient) : Int64(quotient))
    }
}

/// Totals of amounts.
public extension Sequence where Element == Money {
    /// The total, in fen; `Money.zero` for no amounts.
    func sum() -> Money { reduce(Money.zero, +) }
}
