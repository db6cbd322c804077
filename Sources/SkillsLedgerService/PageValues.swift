import Foundation
import HTTPTypes
import Reports
import SkillsDomain

/// What the templates read: a report's JSON (the answer of the matching /v1 route) as dictionaries, arrays and
/// strings, with every 公民身份号码 in it masked, as every report for people shows them (organisations' codes as they
/// are). Null fields are left out.
enum PageValues {
    /// The JSON `report` writes, as template values.
    static func of(_ report: some Report) -> [String: Any] {
        guard let value = try? JSONParser.parse(report.rendered(.json)), let values = convert(value) as? [String: Any] else { return [:] }
        return values
    }

    static func convert(_ value: JSONValue) -> Any? {
        switch value {
        case .null: nil
        case .bool(let flag): flag
        case .number(let text): text
        // A valid 公民身份号码 only (its check character too): a 统一社会信用代码 of 18 digits is not personal data.
        case .string(let text): CitizenID.looksLikeOne(text) && (try? CitizenID(text)) != nil ? CitizenID.mask(text) : text
        case .array(let items): items.map { convert($0) ?? "" }
        case .object(let members): Dictionary(members.compactMap { member in convert(member.value).map { (member.key, $0) } }) { _, last in last }
        }
    }

    /// The first `limit` items of the list `key`, and how many were left out as `more` (pages list a bounded number
    /// of lines; the files and the API carry them all).
    static func truncate(_ values: inout [String: Any], _ key: String, to limit: Int) {
        guard let items = values[key] as? [Any], items.count > limit else { return }
        values[key] = Array(items.prefix(limit))
        values["shown"] = limit
        values["more"] = items.count - limit
    }

    /// A refusal as the page shows it: status, message, the bad rows (line, field, message) or conflicting ids, and
    /// whether it is one after which nothing was recorded.
    static func problem(_ error: ServiceError) -> [String: Any] {
        let details = error.details.compactMap { convert($0) as? [String: Any] }
        let rows = details.filter { $0["line"] != nil }
        return ["status": "\(error.status.code) \(error.status.reasonPhrase)", "message": error.message, "rows": rows,
                "hasRows": !rows.isEmpty, "ids": details.filter { $0["id"] != nil },
                "nothingRecorded": error.message.contains("nothing recorded") || error.status == .unprocessableContent]
    }
}
