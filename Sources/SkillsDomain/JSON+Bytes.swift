/// Canonical JSON written straight into a caller's byte array, for writers whose shape is fixed (a reconciliation
/// line): no `JSONValue` is built, and strings come out exactly as `writeString` writes them.
extension CanonicalJSONWriter {
    /// Appends a literal's bytes (copied whole, not byte by byte through a `String.UTF8View`).
    public static func appendLiteral(_ literal: StaticString, to bytes: inout [UInt8]) {
        literal.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends `text` quoted and escaped. Most strings (ids, amounts, pseudonyms) need no escape and are copied whole.
    public static func appendQuoted(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        let copied: Bool = text.withUTF8 { utf8 in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            bytes.append(UInt8(ascii: "\""))
            bytes.append(contentsOf: utf8)
            bytes.append(UInt8(ascii: "\""))
            return true
        }
        guard !copied else { return }
        var writer = CanonicalJSONWriter(capacity: text.utf8.count + 8)
        writer.writeString(text)
        bytes.append(contentsOf: writer.bytes)
    }
}
