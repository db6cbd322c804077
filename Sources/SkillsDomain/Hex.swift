/// Lowercase hexadecimal, the one encoder and decoder of the package: hashes and digests (`verify`, `digest`,
/// reports, pack digests), pseudonyms (`ps_` + 32 digits), entitlement ids, and JSON's `\u00XX` escapes.
///
/// `write` is the fast form for the paths that run once per event (pseudonyms, entitlement ids): it fills a buffer
/// the caller already has, with no table and no allocation.
public enum Hex {
    /// The lowercase digit of a value 0…15.
    @inlinable
    public static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble &+ 48 : nibble &+ 87
    }

    /// The value of a hex digit (either case), or nil.
    @inlinable
    public static func value(of digit: UInt8) -> UInt8? {
        switch digit {
        case 48...57: digit &- 48
        case 97...102: digit &- 87
        case 65...70: digit &- 55
        default: nil
        }
    }

    /// The value of a lowercase hex digit, or nil (an uppercase digit included).
    @inlinable
    public static func lowercaseValue(of digit: UInt8) -> UInt8? {
        digit >= 65 && digit <= 70 ? nil : value(of: digit)
    }

    /// Whether every byte is a lowercase hex digit.
    @inlinable
    public static func isLowercase(_ bytes: some Sequence<UInt8>) -> Bool {
        bytes.allSatisfy { lowercaseValue(of: $0) != nil }
    }

    /// Writes the two digits of each byte of `bytes` into `buffer` from `offset` on (`2 * bytes.count` of them).
    @inlinable
    public static func write(_ bytes: UnsafeRawBufferPointer, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        for index in 0..<bytes.count {
            buffer[offset + 2 * index] = digit(bytes[index] >> 4)
            buffer[offset + 2 * index + 1] = digit(bytes[index] & 0xF)
        }
    }

    /// Appends the two digits of `byte`.
    @inlinable
    public static func append(_ byte: UInt8, to output: inout [UInt8]) {
        output.append(digit(byte >> 4))
        output.append(digit(byte & 0xF))
    }

    /// The lowercase hex of `bytes`, after `prefix`.
    public static func string(_ bytes: some Sequence<UInt8>, prefix: String = "") -> String {
        var output = Array(prefix.utf8)
        output.reserveCapacity(output.count + 2 * bytes.underestimatedCount)
        for byte in bytes { append(byte, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    /// The bytes an even number of hex digits (either case) spell, or nil.
    public static func bytes(_ text: some StringProtocol) -> [UInt8]? {
        let digits = Array(text.utf8)
        guard digits.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        result.reserveCapacity(digits.count / 2)
        var index = 0
        while index < digits.count {
            guard let high = value(of: digits[index]), let low = value(of: digits[index + 1]) else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        return result
    }
}
