extension CanonicalJSONWriter {
    /// Writes `value` in the pretty form reports print: two-space indent, members in the order given (SPEC.md's
    /// shapes), scalars and empty containers exactly as the canonical form writes them. `indent` is the nesting level
    /// the value sits at; its inner lines are indented one level more.
    ///
    /// ```swift
    /// CanonicalJSONWriter.pretty(.object([JSONMember("ok", .bool(true))]))   // "{\n  \"ok\": true\n}"
    /// ```
    public mutating func writePretty(_ value: JSONValue, indent: Int = 0) {
        switch value {
        case .array(let elements) where !elements.isEmpty:
            append("[\n")
            for (index, element) in elements.enumerated() {
                appendIndent(indent + 1)
                writePretty(element, indent: indent + 1)
                append(index + 1 < elements.count ? ",\n" : "\n")
            }
            appendIndent(indent)
            append("]")
        case .object(let members) where !members.isEmpty:
            append("{\n")
            for (index, member) in members.enumerated() {
                appendIndent(indent + 1)
                writeString(member.key)
                append(": ")
                writePretty(member.value, indent: indent + 1)
                append(index + 1 < members.count ? ",\n" : "\n")
            }
            appendIndent(indent)
            append("}")
        default:
            write(value)
        }
    }

    /// The pretty text of `value` (see `writePretty(_:indent:)`).
    public static func pretty(_ value: JSONValue, indent: Int = 0) -> String {
        var writer = CanonicalJSONWriter()
        writer.writePretty(value, indent: indent)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    mutating func appendIndent(_ level: Int) {
        for _ in 0..<level { append("  ") }
    }
}
