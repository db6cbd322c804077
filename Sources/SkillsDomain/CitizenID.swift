/// A 公民身份号码 (GB 11643-1999): 6-digit address code, 8-digit birth date, 3-digit sequence and an ISO 7064
/// MOD 11-2 check character. Personal data: the ledger keeps it in the registry, never in the chained rows.
///
/// ```swift
/// let id = try CitizenID("11010519491231002X")
/// id.birthDate   // 1949-12-31
/// ```
public struct CitizenID: Sendable, Hashable, CustomStringConvertible {
    /// The 18 characters, a lowercase check character `x` written as `X`.
    public let value: String

    static let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    static let checkCharacters: [UInt8] = Array("10X98765432".utf8)
    /// Province-level prefixes of GB/T 2260 (11 北京 … 65 新疆, 71 台湾, 81 香港, 82 澳门).
    static let provinces: Set<Int> = [11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
                                      50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83]

    /// Validates `text` as a 公民身份号码: 17 digits and a check character (`x` accepted for `X`), a province code in
    /// the first two digits, a real birth date (1900–2200) in digits 7–14, and the MOD 11-2 check character.
    /// - Throws: `ValueError` naming the first rule that fails.
    public init(_ text: String) throws(ValueError) {
        var bytes = Array(text.utf8)
        guard bytes.count == 18, bytes[0..<17].allSatisfy({ $0 >= 48 && $0 <= 57 }) else {
            throw ValueError(expected: "an 18-character 公民身份号码 (17 digits and a check digit or X)", found: text)
        }
        if bytes[17] == UInt8(ascii: "x") { bytes[17] = UInt8(ascii: "X") }
        guard CitizenID.provinces.contains(LocalDate.number(bytes[0..<2])) else {
            throw ValueError(expected: "a 公民身份号码 whose first two digits are a province code (11–65, 71, 81, 82)", found: text)
        }
        guard LocalDate(year: LocalDate.number(bytes[6..<10]), month: LocalDate.number(bytes[10..<12]),
                        day: LocalDate.number(bytes[12..<14])) != nil else {
            throw ValueError(expected: "a 公民身份号码 with a real birth date in digits 7–14", found: text)
        }
        let expected = CitizenID.checkCharacter(for: bytes[0..<17])
        guard bytes[17] == expected else {
            throw ValueError(expected: "a 公民身份号码 whose check character (GB 11643) is \(Character(UnicodeScalar(expected)))",
                             found: text)
        }
        value = String(decoding: bytes, as: UTF8.self)
    }

    /// Whether `text` has the shape of a 公民身份号码 at all (18 characters, 17 digits first); used to tell a person
    /// from an organisation before validating either.
    public static func looksLikeOne(_ text: String) -> Bool {
        let bytes = text.utf8
        return bytes.count == 18 && bytes.prefix(17).allSatisfy { $0 >= 48 && $0 <= 57 }
    }

    static func checkCharacter(for digits: ArraySlice<UInt8>) -> UInt8 {
        var sum = 0
        for (index, byte) in digits.enumerated() { sum += Int(byte - 48) * weights[index] }
        return checkCharacters[sum % 11]
    }

    /// Completes 17 digits with their check character (for generators and tests).
    public static func withCheckCharacter(_ seventeenDigits: String) -> String {
        let bytes = Array(seventeenDigits.utf8)
        precondition(bytes.count == 17)
        return seventeenDigits + String(UnicodeScalar(checkCharacter(for: bytes[...])))
    }

    /// The birth date, digits 7–14.
    public var birthDate: LocalDate {
        let bytes = Array(value.utf8)
        return LocalDate(year: LocalDate.number(bytes[6..<10]), month: LocalDate.number(bytes[10..<12]),
                         day: LocalDate.number(bytes[12..<14]))!
    }

    /// The ID masked for screens and reports: `420302********0115`.
    public var masked: String { CitizenID.mask(value) }

    /// Masks any 18-character text as its first 6 and last 4 characters with 8 `*` between; other text comes back
    /// unchanged.
    public static func mask(_ text: String) -> String {
        guard text.count == 18 else { return text }
        return String(text.prefix(6)) + "********" + String(text.suffix(4))
    }

    public var description: String { value }
}
