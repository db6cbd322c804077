import SkillsDomain

/// One synthetic event in SPEC.md's JSON Lines shape, with the worker's name beside it (personal data: it goes to the
/// CSV `name` column or `data.name` of a registration, never elsewhere).
struct GeneratedEvent {
    var id: String
    var kind: EventKind
    var occurredOn: LocalDate
    var source: String
    var worker: String? = nil
    var employer: String? = nil
    var data: [JSONMember]
    var name: String? = nil

    /// The JSON Lines record `submit` reads (keys sorted, no spaces).
    func jsonLine(into writer: inout CanonicalJSONWriter) {
        var members = [JSONMember("id", .string(id)), JSONMember("kind", .string(kind.rawValue)),
                       JSONMember("occurred_on", .string(occurredOn.description)), JSONMember("source", .string(source))]
        if let worker { members.append(JSONMember("worker", .string(worker))) }
        if let employer { members.append(JSONMember("employer", .string(employer))) }
        var fields = data
        if kind == .workerRegistered, let name { fields.append(JSONMember("name", .string(name))) }
        members.append(JSONMember("data", .object(fields)))
        writer.write(.object(members))
        writer.append("\n")
    }

    /// The value of a data field as a CSV cell holds it.
    func cell(_ field: String) -> String {
        switch data.first(where: { $0.key == field })?.value {
        case .string(let text)?: text
        case .number(let text)?: text
        case .bool(let flag)?: flag ? "true" : "false"
        default: ""
        }
    }

    /// The row of the flat table that `sqlite3 .import` loads (id,kind,occurred_on,source,worker,employer,data), the
    /// floor for merely storing the same rows.
    func flatRow() -> [String] {
        [id, kind.rawValue, occurredOn.description, source, worker ?? "", employer ?? "", CanonicalJSONWriter.string(.object(data))]
    }
}

/// RFC 4180 rows: a cell is quoted when it holds a comma, a quote or a line break.
enum CSVText {
    static func row(_ cells: [String]) -> String {
        cells.map(quoted).joined(separator: ",") + "\n"
    }

    static func quoted(_ cell: String) -> String {
        guard cell.utf8.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else { return cell }
        return "\"" + cell.replacingAll("\"", with: "\"\"") + "\""
    }
}

extension String {
    func replacingAll(_ target: Character, with replacement: String) -> String {
        var result = ""
        result.reserveCapacity(utf8.count + 8)
        for character in self {
            if character == target { result += replacement } else { result.append(character) }
        }
        return result
    }
}
