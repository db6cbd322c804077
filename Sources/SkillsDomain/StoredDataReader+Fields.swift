#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension StoredDataReader {
    /// Picks some top-level members out of an event's stored `data` (canonical JSON: one object, written by the ledger)
    /// in one pass over its bytes, as SQLite's `json_extract(data, '$.key')` would return them: a string's value
    /// unescaped, a number or boolean as its text, null or a missing member as nil, a nested array or object as its JSON
    /// text. One scan per row instead of one `json_extract` (a full parse) per member. This, with `read(bytes:kind:)`, is
    /// the one reader of stored data: the ledger projects values with it rather than with SQL.
    public struct Fields {
        /// The members' values, in the order of the keys asked for.
        public private(set) var values: [String?]

        /// Nil when the bytes are not one JSON object (the caller reports the row as unreadable).
        public init?(_ bytes: UnsafeRawBufferPointer, keys: [StaticString]) {
            values = Array(repeating: nil, count: keys.count)
            var scanner = Scanner(bytes: bytes)
            guard scanner.object(keys: keys, into: &values) else { return nil }
        }

        struct Scanner {
            let bytes: UnsafeRawBufferPointer
            var position = 0

            init(bytes: UnsafeRawBufferPointer) { self.bytes = bytes }

            var current: UInt8? { position < bytes.count ? bytes[position] : nil }

            mutating func skipSpace() {
                while let byte = current, byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 { position += 1 }
            }

            mutating func expect(_ ascii: Unicode.Scalar) -> Bool {
                skipSpace()
                guard current == UInt8(ascii: ascii) else { return false }
                position += 1
                return true
            }

            mutating func object(keys: [StaticString], into values: inout [String?]) -> Bool {
                guard expect("{") else { return false }
                if expect("}") { return true }
                repeat {
                    skipSpace()
                    guard let keyRange = rawString(), expect(":") else { return false }
                    skipSpace()
                    let wanted = keys.firstIndex { key in Scanner.equal(key, bytes[keyRange]) }
                    if let wanted {
                        guard let value = value() else { return false }
                        values[wanted] = value
                    } else {
                        guard skipValue() else { return false }
                    }
                } while expect(",")
                return expect("}")
            }

            static func equal(_ key: StaticString, _ bytes: Slice<UnsafeRawBufferPointer>) -> Bool {
                guard key.utf8CodeUnitCount == bytes.count else { return false }
                guard let base = bytes.base.baseAddress else { return bytes.isEmpty }
                return memcmp(key.utf8Start, base + bytes.startIndex, bytes.count) == 0
            }

            /// The bytes between a string's quotes (escapes left in); the position moves past the closing quote. Quotes
            /// are found with `memchr`: most values (ids, amounts, long explanations) hold no escape at all.
            mutating func rawString() -> Range<Int>? {
                guard current == UInt8(ascii: "\""), let base = bytes.baseAddress else { return nil }
                position += 1
                let start = position
                while position < bytes.count {
                    guard let found = memchr(base + position, Int32(UInt8(ascii: "\"")), bytes.count - position) else { return nil }
                    let quote = base.distance(to: UnsafeRawPointer(found))
                    // A quote preceded by an odd run of backslashes is escaped.
                    var backslashes = 0
                    while quote - backslashes - 1 >= start, bytes[quote - backslashes - 1] == UInt8(ascii: "\\") { backslashes += 1 }
                    position = quote + 1
                    if backslashes % 2 == 0 { return start..<quote }
                }
                return nil
            }

            /// A member's value as `json_extract` gives it; the outer Optional is nil on malformed JSON.
            mutating func value() -> String?? {
                let start = position
                if current == UInt8(ascii: "\"") {
                    guard let range = rawString() else { return nil }
                    return .some(Scanner.unescape(bytes[range]))
                }
                guard skipValue() else { return nil }
                let text = String(decoding: bytes[start..<position], as: UTF8.self)
                return .some(text == "null" ? nil : text)
            }

            /// Moves past one value of any kind.
            mutating func skipValue() -> Bool {
                guard let byte = current else { return false }
                switch byte {
                case UInt8(ascii: "\""):
                    return rawString() != nil
                case UInt8(ascii: "{"), UInt8(ascii: "["):
                    var depth = 0
                    while let byte = current {
                        switch byte {
                        case UInt8(ascii: "\""):
                            guard rawString() != nil else { return false }
                            continue
                        case UInt8(ascii: "{"), UInt8(ascii: "["): depth += 1
                        case UInt8(ascii: "}"), UInt8(ascii: "]"):
                            depth -= 1
                            if depth == 0 {
                                position += 1
                                return true
                            }
                        default: break
                        }
                        position += 1
                    }
                    return false
                default:
                    let start = position
                    while let byte = current, byte != UInt8(ascii: ","), byte != UInt8(ascii: "}"), byte != UInt8(ascii: "]"),
                          byte != 0x20, byte != 0x0A, byte != 0x0D, byte != 0x09 {
                        position += 1
                    }
                    return position > start
                }
            }

            /// A JSON string's content with its escapes resolved (surrogate pairs joined).
            static func unescape(_ raw: Slice<UnsafeRawBufferPointer>) -> String {
                guard raw.contains(UInt8(ascii: "\\")) else { return String(decoding: raw, as: UTF8.self) }
                var scalars = String.UnicodeScalarView()
                var decoded = String(decoding: raw, as: UTF8.self).unicodeScalars.makeIterator()
                var pendingHigh: UInt32?
                while let scalar = decoded.next() {
                    guard scalar == "\\", let escape = decoded.next() else {
                        scalars.append(scalar)
                        continue
                    }
                    switch escape {
                    case "n": scalars.append("\n")
                    case "r": scalars.append("\r")
                    case "t": scalars.append("\t")
                    case "b": scalars.append("\u{08}")
                    case "f": scalars.append("\u{0C}")
                    case "u":
                        var code: UInt32 = 0
                        for _ in 0..<4 { code = code << 4 | UInt32(decoded.next().flatMap(hex) ?? 0) }
                        if (0xD800..<0xDC00).contains(code) {
                            pendingHigh = code
                            continue
                        }
                        if let high = pendingHigh, (0xDC00..<0xE000).contains(code) {
                            code = 0x10000 + (high - 0xD800) << 10 + (code - 0xDC00)
                        }
                        pendingHigh = nil
                        scalars.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                    default: scalars.append(escape)
                    }
                }
                return String(scalars)
            }

            static func hex(_ scalar: Unicode.Scalar) -> UInt32? {
                switch scalar.value {
                case 0x30...0x39: scalar.value - 0x30
                case 0x41...0x46: scalar.value - 0x41 + 10
                case 0x61...0x66: scalar.value - 0x61 + 10
                default: nil
                }
            }
        }
    }
}
