/// An occupation of 国家职业分类大典 (2022): `X-XX-XX-XX`, the first digit a major group 1–8.
public struct OccupationCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The code as written: `X-XX-XX-XX`.
    public let value: String

    /// Validates the shape `X-XX-XX-XX` with a major group 1–8; whether the 大典 lists the occupation is not checked.
    /// - Throws: `ValueError` for any other shape.
    public init(_ text: String) throws(ValueError) {
        let bytes = Array(text.utf8)
        let dash = UInt8(ascii: "-")
        let digitPositions = [0, 2, 3, 5, 6, 8, 9]
        guard bytes.count == 10, bytes[1] == dash, bytes[4] == dash, bytes[7] == dash,
              digitPositions.allSatisfy({ bytes[$0] >= 48 && bytes[$0] <= 57 }), (49...56).contains(bytes[0]) else {
            throw ValueError(expected: "an occupation code X-XX-XX-XX (国家职业分类大典, major group 1–8)", found: text)
        }
        value = text
    }

    public var description: String { value }
    public static func < (lhs: OccupationCode, rhs: OccupationCode) -> Bool { lhs.value < rhs.value }
}
