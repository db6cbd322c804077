/// A JSON value as the ledger reads it. Numbers keep their source text, so money and credits never pass through
/// floating point; objects keep their members in source order (duplicates are refused by the parser).
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([JSONMember])

    /// The value of the member named `key`; nil when there is none or this is not an object.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// A short name of the value's type for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

/// One member of a JSON object. Objects are lists of members, so they keep the order they were read or built in.
public struct JSONMember: Sendable, Hashable {
    /// The member's name, with escapes already decoded.
    public var key: String
    /// The value the name maps to.
    public var value: JSONValue
    /// The member `key: value`.
    public init(_ key: String, _ value: JSONValue) {
        self.key = key
        self.value = value
    }
}

/// Why a JSON text could not be read, with the byte offset where reading stopped.
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Where reading stopped: a 0-based byte offset into the input (`description` shows it 1-based).
    public var offset: Int
    /// What was wrong there, e.g. `expected , or ] in an array`.
    public var message: String
    public var description: String { "invalid JSON at character \(offset + 1): \(message)" }
}

/// A strict RFC 8259 parser over UTF-8 bytes, with limits on nesting depth and size so that hostile input costs
/// bounded time and memory.
public struct JSONParser {
    /// The deepest nesting accepted: 32 levels, the top-level value being the first.
    public static let maximumDepth = 32
    /// No document holds more values than this: an event needs a few dozen (an evidence list at most 1,000), and
    /// without the bound one 8 MiB line of `[0,0,0,…]` parsed into four million values, about 200 MiB.
    public static let maximumValues = 100_000

    private let bytes: [UInt8]
    /// The bytes came from a `String`, so they are valid UTF-8, and so is every run between two quotes.
    private let validUTF8: Bool
    private var position = 0
    private var values = 0

    private init(_ bytes: [UInt8], validUTF8: Bool) {
        self.bytes = bytes
        self.validUTF8 = validUTF8
    }

    /// Parses one JSON document from UTF-8 bytes: whitespace may surround it, nothing else may follow it, and every
    /// string must be valid UTF-8.
    /// - Throws: `JSONSyntaxError` at the first problem, including the depth and value-count limits.
    public static func parse(_ bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        try parse(Array(bytes), validUTF8: false)
    }

    /// Parses one JSON document from a string (see `parse(_:)` for bytes).
    /// - Throws: `JSONSyntaxError` at the first problem.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSONValue { try parse(Array(text.utf8), validUTF8: true) }

    private static func parse(_ bytes: [UInt8], validUTF8: Bool) throws(JSONSyntaxError) -> JSONValue {
        var parser = JSONParser(bytes, validUTF8: validUTF8)
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.position == parser.bytes.count else { throw parser.error("unexpected text after the value") }
        return value
    }

    private func error(_ message: String) -> JSONSyntaxError { JSONSyntaxError(offset: position, message: message) }

    private mutating func skipSpace() {
        while position < bytes.count, bytes[position] == 0x20 || bytes[position] == 0x0A || bytes[position] == 0x0D || bytes[position] == 0x09 {
            position += 1
        }
    }

    private mutating func value(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        guard depth < JSONParser.maximumDepth else { throw error("nested deeper than \(JSONParser.maximumDepth) levels") }
        values += 1
        guard values <= JSONParser.maximumValues else { throw error("more than \(JSONParser.maximumValues) values in one document") }
        guard position < bytes.count else { throw error("unexpected end of input") }
        switch bytes[position] {
        case UInt8(ascii: "{"): return try object(depth: depth)
        case UInt8(ascii: "["): return try array(depth: depth)
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), 48...57: return .number(try number())
        default: throw error("expected a value")
        }
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard position + count <= bytes.count else { throw error("expected \(word)") }
        let matches = word.withUTF8Buffer { buffer in
            (0..<count).allSatisfy { bytes[position + $0] == buffer[$0] }
        }
        guard matches else { throw error("expected \(word)") }
        position += count
    }

    private mutating func number() throws(JSONSyntaxError) -> String {
        let start = position
        if bytes[position] == UInt8(ascii: "-") { position += 1 }
        let digitsStart = position
        while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 { position += 1 }
        guard position > digitsStart else { throw error("expected digits") }
        if bytes[digitsStart] == 48, position - digitsStart > 1 { throw error("a number may not start with 0") }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            let fractionStart = position
            while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 { position += 1 }
            guard position > fractionStart else { throw error("expected digits after the decimal point") }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") { position += 1 }
            let exponentStart = position
            while position < bytes.count, bytes[position] >= 48, bytes[position] <= 57 { position += 1 }
            guard position > exponentStart else { throw error("expected exponent digits") }
        }
        guard position - start <= 64 else { throw error("a number longer than 64 characters") }
        return String(decoding: bytes[start..<position], as: UTF8.self)
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        position += 1
        let start = position
        // Fast path: no escapes.
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                let text = validUTF8 ? String(decoding: bytes[start..<position], as: UTF8.self) : String(validUTF8: bytes[start..<position])
                guard let text else { throw error("a string that is not valid UTF-8") }
                position += 1
                return text
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw error("a control character inside a string") }
            position += 1
        }
        var scratch = Array(bytes[start..<position])
        while position < bytes.count {
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") {
                position += 1
                guard let text = String(validUTF8: scratch[...]) else { throw error("a string that is not valid UTF-8") }
                return text
            }
            if byte < 0x20 { throw error("a control character inside a string") }
            if byte != UInt8(ascii: "\\") { scratch.append(byte); position += 1; continue }
            position += 1
            guard position < bytes.count else { break }
            let escape = bytes[position]
            position += 1
            switch escape {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"): try unicodeEscape(into: &scratch)
            default: throw error("an unknown escape in a string")
            }
        }
        throw error("a string that does not end")
    }

    private mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard position + 4 <= bytes.count else { throw error("expected four hex digits") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            guard let digit = Hex.value(of: bytes[position]) else { throw error("expected four hex digits") }
            value = value * 16 + UInt32(digit)
            position += 1
        }
        return value
    }

    private mutating func unicodeEscape(into scratch: inout [UInt8]) throws(JSONSyntaxError) {
        var scalarValue = try hex4()
        if (0xD800...0xDBFF).contains(scalarValue) {
            guard position + 2 <= bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                throw error("an unpaired surrogate escape")
            }
            position += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw error("an unpaired surrogate escape") }
            scalarValue = 0x10000 + ((scalarValue - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let scalar = Unicode.Scalar(scalarValue) else { throw error("an escape that is not a Unicode character") }
        scratch.append(contentsOf: Array(String(Character(scalar)).utf8))
    }

    private mutating func array(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var elements: [JSONValue] = []
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
        while true {
            skipSpace()
            elements.append(try value(depth: depth + 1))
            skipSpace()
            guard position < bytes.count else { throw error("an array that does not end") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "]") { position += 1; return .array(elements) }
            throw error("expected , or ] in an array")
        }
    }

    private mutating func object(depth: Int) throws(JSONSyntaxError) -> JSONValue {
        position += 1
        var members: [JSONMember] = []
        skipSpace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
        while true {
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { throw error("expected a quoted key") }
            let keyStart = position
            let key = try string()
            if members.contains(where: { $0.key == key }) {
                position = keyStart
                throw error("the key \"\(key)\" appears twice")
            }
            skipSpace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { throw error("expected : after a key") }
            position += 1
            skipSpace()
            members.append(JSONMember(key, try value(depth: depth + 1)))
            skipSpace()
            guard position < bytes.count else { throw error("an object that does not end") }
            if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
            if bytes[position] == UInt8(ascii: "}") { position += 1; return .object(members) }
            throw error("expected , or } in an object")
        }
    }
}

/// Writes canonical JSON: the exact bytes of Python's `json.dumps(value, sort_keys=True, separators=(",", ":"),
/// ensure_ascii=False)`, so that an auditor can recompute the chain with a few lines of Python.
///
/// ```swift
/// CanonicalJSONWriter.string(try JSONParser.parse(#"{"b": 1, "a": "工匠"}"#))   // {"a":"工匠","b":1}
/// ```
public struct CanonicalJSONWriter {
    /// The UTF-8 bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// An empty writer with room for `capacity` bytes reserved.
    public init(capacity: Int = 512) { bytes.reserveCapacity(capacity) }

    /// Appends `value` in canonical form: object members sorted by key in code-point order, no spaces. A number is
    /// written as its text, not normalised.
    public mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .number(let text): append(text)
        case .string(let text): writeString(text)
        case .array(let elements):
            bytes.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { bytes.append(UInt8(ascii: ",")) }
                write(element)
            }
            bytes.append(UInt8(ascii: "]"))
        case .object(let members):
            writeObject(members, key: { $0.key }, value: { writer, member in writer.write(member.value) })
        }
    }

    /// Appends an object in canonical form: `members` sorted by `key` in code-point order, each written as its key
    /// and then `value`. `write(_:)` writes a JSON object so, and an event's data (`EventData.canonicalBytes`) without
    /// building the object first.
    public mutating func writeObject<Member>(_ members: [Member], key: (Member) -> String,
                                             value: (inout CanonicalJSONWriter, Member) -> Void) {
        bytes.append(UInt8(ascii: "{"))
        // UTF-8 byte order is code-point order (Python's sort_keys), and far cheaper than walking Unicode scalars.
        for (index, member) in members.sorted(by: { key($0).utf8.lexicographicallyPrecedes(key($1).utf8) }).enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            writeString(key(member))
            bytes.append(UInt8(ascii: ":"))
            value(&self, member)
        }
        bytes.append(UInt8(ascii: "}"))
    }

    /// Appends `text` as it is, unquoted and unescaped (a line break between records, say).
    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { bytes.append(contentsOf: $0) }
    }

    /// Appends bytes that are already canonical JSON (a stored `data` object).
    public mutating func appendRaw(_ raw: some Sequence<UInt8>) { bytes.append(contentsOf: raw) }

    /// Appends `text` as a JSON string as Python writes it: quoted; `"` and `\` escaped; control characters as `\n`,
    /// `\r`, `\t`, `\b`, `\f` or `\u00XX`; everything else, non-ASCII included, as raw UTF-8.
    public mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        // Most strings need no escape: copy their bytes at once.
        var contiguous = text
        let plain = contiguous.withUTF8 { utf8 in
            guard !utf8.contains(where: { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) else { return false }
            bytes.append(contentsOf: utf8)
            return true
        }
        if plain {
            bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(0x5C); bytes.append(0x22)
            case UInt8(ascii: "\\"): bytes.append(0x5C); bytes.append(0x5C)
            case 0x0A: bytes.append(0x5C); bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(0x5C); bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(0x5C); bytes.append(UInt8(ascii: "t"))
            case 0x08: bytes.append(0x5C); bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(0x5C); bytes.append(UInt8(ascii: "f"))
            case 0..<0x20:
                bytes.append(contentsOf: Array("\\u00".utf8))
                Hex.append(byte, to: &bytes)
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// The canonical bytes of `value`.
    public static func encode(_ value: JSONValue) -> [UInt8] {
        var writer = CanonicalJSONWriter()
        writer.write(value)
        return writer.bytes
    }

    /// The canonical text of `value`.
    public static func string(_ value: JSONValue) -> String { String(decoding: encode(value), as: UTF8.self) }
}

extension String {
    /// The text of `bytes` if they are valid UTF-8, else nil: what `String(validating:as:)` returns, at a fraction of
    /// its cost (its generic validator was 7 % of submit's instructions). Decoding replaces anything invalid with
    /// U+FFFD, so the result has the input's exact bytes only when the input was valid.
    public init?(validUTF8 bytes: ArraySlice<UInt8>) {
        var text = String(decoding: bytes, as: UTF8.self)
        let same = text.withUTF8 { decoded in
            bytes.withUnsafeBufferPointer { original in
                decoded.count == original.count && String.sameBytes(UnsafeRawBufferPointer(decoded), UnsafeRawBufferPointer(original))
            }
        }
        guard same else { return nil }
        self = text
    }

    /// Whether two buffers of the same length hold the same bytes, eight at a time.
    static func sameBytes(_ left: UnsafeRawBufferPointer, _ right: UnsafeRawBufferPointer) -> Bool {
        var index = 0
        while index + 8 <= left.count {
            if left.loadUnaligned(fromByteOffset: index, as: UInt64.self) != right.loadUnaligned(fromByteOffset: index, as: UInt64.self) { return false }
            index += 8
        }
        while index < left.count {
            if left[index] != right[index] { return false }
            index += 1
        }
        return true
    }
}
