/// An administrative division (GB/T 2260): 6 digits for province, city and county (420000 ⊃ 420300 ⊃ 420304), 9 for
/// a township (330382101 ⊂ 330382). `national` is the root that contains every code.
public struct JurisdictionCode: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// `national`, or the 6- or 9-digit GB/T 2260 code.
    public let value: String

    /// The root that contains every jurisdiction: written `national`; `000000` and `全国` read as it too.
    public static let national = JurisdictionCode(unchecked: "national")

    init(unchecked value: String) { self.value = value }

    /// Validates `text` as a jurisdiction: `national` (or `000000`, `全国`), or 6 or 9 digits whose first two are a
    /// province code. Whether the division really exists is not checked.
    /// - Throws: `ValueError` when the text is neither.
    public init(_ text: String) throws(ValueError) {
        if text == "national" || text == "000000" || text == "全国" { self = .national; return }
        let bytes = text.utf8
        guard bytes.count == 6 || bytes.count == 9, bytes.allSatisfy({ $0 >= 48 && $0 <= 57 }),
              CitizenID.provinces.contains(LocalDate.number(bytes.prefix(2))) else {
            throw ValueError(expected: "a jurisdiction code of 6 or 9 digits (GB/T 2260, e.g. 420300 or 330382101), or national",
                             found: text)
        }
        value = text
    }

    /// Whether this is the national root, which contains every code.
    public var isNational: Bool { value == "national" }

    /// The enclosing division: township → county, county → city, city → province, province → national.
    public var parent: JurisdictionCode? {
        if isNational { return nil }
        if value.utf8.count == 9 { return JurisdictionCode(unchecked: String(value.prefix(6))) }
        if value.hasSuffix("0000") { return .national }
        if value.hasSuffix("00") { return JurisdictionCode(unchecked: String(value.prefix(2)) + "0000") }
        return JurisdictionCode(unchecked: String(value.prefix(4)) + "00")
    }

    /// This code and every division that encloses it, innermost first.
    public var lineage: [JurisdictionCode] {
        var result = [self]
        while let next = result.last!.parent { result.append(next) }
        return result
    }

    /// Whether `other` lies inside this division (or is it).
    public func contains(_ other: JurisdictionCode) -> Bool {
        if isNational || other == self { return true }
        if other.isNational { return false }
        // By prefix, as `lineage` encloses: a province (PP0000) holds PP…, a city (PPCC00) PPCC…, a county its townships.
        let mine = value.utf8, theirs = other.value.utf8
        guard mine.count == 6 else { return false }
        let significant = value.hasSuffix("0000") ? 2 : value.hasSuffix("00") ? 4 : 6
        if significant == 6 && theirs.count != 9 { return false }
        return theirs.starts(with: mine.prefix(significant))
    }

    public var description: String { value }

    public static func < (lhs: JurisdictionCode, rhs: JurisdictionCode) -> Bool { lhs.value < rhs.value }
}
