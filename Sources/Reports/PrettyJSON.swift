import SkillsDomain

/// JSON for people and files: two-space indent, members in the order given (the shapes of SPEC.md), strings and
/// numbers written exactly as canonical JSON writes them.
public enum PrettyJSON {
    /// The value's text; `indent` is the nesting level it sits at (inner lines are indented one level more).
    public static func string(_ value: JSONValue, indent: Int = 0) -> String {
        var output = ""
        write(value, indent: indent, into: &output)
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
