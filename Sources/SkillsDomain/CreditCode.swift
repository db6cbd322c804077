/// A 统一社会信用代码 (GB 32100-2015): 18 characters from `0-9A-HJ-NP-RTUW-Y`, with a check character. Some early codes
/// fail the check yet are legal, so a failed check is a warning, never a refusal.
public struct CreditCode: Sendable, Hashable, CustomStringConvertible {
    /// The 18 characters, lowercase letters written as capitals.
    public let value: String
    /// False for an early code whose check character does not match; intake reports it as a warning.
    public let checkPasses: Bool

    static let alphabet: [UInt8] = Array("0123456789ABCDEFGHJKLMNPQRTUWXY".utf8)
    static let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
    /// Each byte's value in the alphabet, -1 for a byte outside it. A table, not a dictionary: most submitted rows
    /// carry a code or two, and hashing each of its 18 characters cost about 7,000 instructions per code.
    static let valueOf: [Int] = {
        var table = [Int](repeating: -1, count: 256)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = value }
        return table
    }()

    /// Validates `text` as a 统一社会信用代码: 18 characters of the GB 32100 alphabet (lowercase accepted) whose
    /// characters 3–8 are digits (the region). A wrong check character is no error: see `checkPasses`.
    /// - Throws: `ValueError` for a wrong length, a character outside the alphabet, or a region that is not 6 digits.
    public init(_ text: String) throws(ValueError) {
        let bytes = Array(text.utf8).map { $0 >= 97 && $0 <= 122 ? $0 - 32 : $0 }
        guard bytes.count == 18, bytes.allSatisfy({ CreditCode.valueOf[Int($0)] >= 0 }) else {
            throw ValueError(expected: "an 18-character 统一社会信用代码 (digits and capital letters except I, O, S, V, Z)",
                             found: text)
        }
        guard bytes[2..<8].allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw ValueError(expected: "a 统一社会信用代码 whose characters 3–8 are a 6-digit region code", found: text)
        }
        value = String(decoding: bytes, as: UTF8.self)
        checkPasses = bytes[17] == CreditCode.checkCharacter(for: bytes[0..<17])
    }

    static func checkCharacter(for body: ArraySlice<UInt8>) -> UInt8 {
        var sum = 0
        for (index, byte) in body.enumerated() { sum += valueOf[Int(byte)] * weights[index] }
        let check = (31 - sum % 31) % 31
        return alphabet[check]
    }

    /// Completes 17 characters with their check character (for generators and tests).
    public static func withCheckCharacter(_ body: String) -> String {
        let bytes = Array(body.utf8)
        precondition(bytes.count == 17)
        return body + String(UnicodeScalar(checkCharacter(for: bytes[...])))
    }

    /// The 6-digit region (GB/T 2260) the organisation was registered in.
    public var region: String { String(value.dropFirst(2).prefix(6)) }

    /// The warning intake reports for a code whose check character fails.
    public var checkWarning: ValueError? {
        checkPasses ? nil : ValueError(expected: "a 统一社会信用代码 whose GB 32100 check character matches (accepted: early codes may fail it)",
                                       found: value, isWarning: true)
    }

    public var description: String { value }
}
