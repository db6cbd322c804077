/// 职业技能等级: the national five levels plus the two appointed levels of 人社部发〔2022〕14号. Input accepts the slug,
/// the Chinese name or the grade (`五级`, `5`, …); output is the slug.
public enum SkillLevel: String, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case junior
    case intermediate
    case senior
    case technician
    case seniorTechnician = "senior-technician"
    case principalTechnician = "principal-technician"
    case chiefTechnician = "chief-technician"

    /// 1 for 初级工 up to 7 for 首席技师: higher is more skilled.
    public var rank: Int { SkillLevel.allCases.firstIndex(of: self)! + 1 }

    /// The Chinese name people see: 初级工, 中级工, 高级工, 技师, 高级技师, 特级技师, 首席技师.
    public var chineseName: String {
        switch self {
        case .junior: "初级工"
        case .intermediate: "中级工"
        case .senior: "高级工"
        case .technician: "技师"
        case .seniorTechnician: "高级技师"
        case .principalTechnician: "特级技师"
        case .chiefTechnician: "首席技师"
        }
    }

    /// The national grade (五级 = 5 … 一级 = 1); none for the appointed levels above 一级.
    public var grade: Int? { rank <= 5 ? 6 - rank : nil }

    /// Reads a level as people write it: the slug (any case), the Chinese name (初级工 … 首席技师, or 初级 / 中级 /
    /// 高级), or a national grade (五级 … 一级, 5 … 1). Surrounding spaces are ignored.
    /// - Throws: `ValueError` listing the accepted forms.
    public init(parsing text: String) throws(ValueError) {
        let trimmed = text.trimmingSpaces
        let grades = SkillLevel.grades
        if let level = SkillLevel(rawValue: trimmed.lowercased()) {
            self = level
        } else if let level = SkillLevel.allCases.first(where: { $0.chineseName == trimmed }) {
            self = level
        } else if let grade = grades[trimmed] {
            self = SkillLevel.allCases[5 - grade]
        } else if trimmed == "初级" || trimmed == "中级" || trimmed == "高级" {
            self = trimmed == "初级" ? .junior : trimmed == "中级" ? .intermediate : .senior
        } else {
            throw ValueError(expected: "a skill level: junior…chief-technician, 初级工…首席技师, or a grade 五级…一级 / 5…1",
                             found: text)
        }
    }

    /// Built once: a dictionary literal in `init(parsing:)` was built again for every certificate read.
    static let grades = ["五级": 5, "四级": 4, "三级": 3, "二级": 2, "一级": 1, "5": 5, "4": 4, "3": 3, "2": 2, "1": 1]

    public var description: String { rawValue }
    public static func < (lhs: SkillLevel, rhs: SkillLevel) -> Bool { lhs.rank < rhs.rank }
}

extension String {
    /// The string without leading and trailing spaces, tabs and full-width spaces (common in Excel exports).
    public var trimmingSpaces: String {
        // Almost every value has nothing to trim. Each of these characters starts with 0x20, 0x09, 0x0D or 0xE3 and
        // ends with 0x20, 0x09, 0x0D or 0x80 in UTF-8, so when neither end byte is one of those the string is its own
        // result, and the Character-by-Character walk below (a tenth of submit's instructions) is not needed.
        if let first = utf8.first, let last = utf8.last,
           first != 0x20, first != 0x09, first != 0x0D, first != 0xE3, last != 0x20, last != 0x09, last != 0x0D, last != 0x80 {
            return self
        }
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{3000}" || $0 == "\r" }
        guard let first = firstIndex(where: { !isSpace($0) }) else { return "" }
        let last = lastIndex(where: { !isSpace($0) })!
        return String(self[first...last])
    }
}
