import SkillsDomain

/// JSON for people and files: two-space indent, members in the order given (the shapes of SPEC.md), strings and
/// numbers written exactly as canonical JSON writes them.
public enum PrettyJSON {
    public static func string(_ value: JSONValue) -> String {
        var output = ""
        write(value, indent: 0, into: &output)
        return output
    }

    static func write(_ value: JSONValue, indent: Int, into output: inout String) {
        let inner = String(repeating: "  ", count: indent + 1)
        switch value {
        case .array(let elements) where !elements.isEmpty:
            output += "[\n"
            for (index, element) in elements.enumerated() {
                output += inner
                write(element, indent: indent + 1, into: &output)
                output += index + 1 < elements.count ? ",\n" : "\n"
            }
            output += String(repeating: "  ", count: indent) + "]"
        case .object(let members) where !members.isEmpty:
            output += "{\n"
            for (index, member) in members.enumerated() {
                output += inner + CanonicalJSONWriter.string(.string(member.key)) + ": "
                write(member.value, indent: indent + 1, into: &output)
                output += index + 1 < members.count ? ",\n" : "\n"
            }
            output += String(repeating: "  ", count: indent) + "}"
        default:
            output += CanonicalJSONWriter.string(value)
        }
    }
}
