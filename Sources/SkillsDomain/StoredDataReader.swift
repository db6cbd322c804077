/// Reads back the canonical `data` of a stored event quickly. What the ledger stores was checked field by field on
/// the way in and written by `CanonicalJSONWriter` (sorted keys, no spaces, typed values in one form), and `verify`
/// proves it unchanged, so reading it back needs no trimming and no second validation: only the shape and the typed
/// values are read. Anything outside that shape (an escape in a string, an unknown key, a value that does not parse)
/// returns nil, and the caller falls back to `EventDecoder.decodeStoredData`, which reports what is wrong.
public enum StoredDataReader {
    /// The `data` of a stored event of `kind`, read from its canonical text; nil when the text is not exactly that
    /// form (then `EventDecoder.decodeStoredData` says what is wrong).
    public static func read(_ text: String, kind: EventKind) -> EventData? {
        var text = text
        return text.withUTF8 { bytes in read(bytes: UnsafeRawBufferPointer(bytes), kind: kind) }
    }

    /// The same from the bytes of the stored text, as SQLite hands them over: no `String` is made for the whole
    /// document (on `entitlements` and `grant`, making one per event row cost more than reading it).
    public static func read(bytes: UnsafeRawBufferPointer, kind: EventKind) -> EventData? {
        var reader = Cursor(bytes: bytes.assumingMemoryBound(to: UInt8.self))
        return reader.object(EventCatalogue.spec(for: kind))
    }

    /// A canonical `YYYY-MM-DD` (what the ledger stores in `occurred_on`), nil for any other form.
    public static func date(_ text: String) -> LocalDate? {
        var text = text
        return text.withUTF8 { bytes in Cursor.date(bytes[...]) }
    }

    /// The same from bytes.
    public static func date(bytes: UnsafeRawBufferPointer) -> LocalDate? {
        Cursor.date(bytes.assumingMemoryBound(to: UInt8.self)[...])
    }

    struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

        mutating func take(_ byte: UInt8) -> Bool {
            guard position < bytes.count, bytes[position] == byte else { return false }
            position += 1
            return true
        }

        mutating func object(_ spec: KindSpec) -> EventData? {
            guard take(UInt8(ascii: "{")) else { return nil }
            var pairs: [(name: String, value: FieldValue)] = []
            pairs.reserveCapacity(spec.fields.count)
            var required = 0
            if !take(UInt8(ascii: "}")) {
                repeat {
                    guard let field = key(spec), take(UInt8(ascii: ":")), !spec.personalFields.contains(field.name),
                          let value = value(field.type) else { return nil }
                    // Canonical keys come sorted and once each; anything else is for the full decoder.
                    if let last = pairs.last, !(last.name < field.name) { return nil }
                    if field.required { required += 1 }
                    pairs.append((field.name, value))
                } while take(UInt8(ascii: ","))
                guard take(UInt8(ascii: "}")) else { return nil }
            }
            // A missing required field is not what intake stores.
            guard position == bytes.count, required == spec.fields.count(where: \.required) else { return nil }
            return EventData(sorted: pairs)
        }

        /// A key, matched against the kind's field names by its bytes (no string is made for it).
        mutating func key(_ spec: KindSpec) -> FieldSpec? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = position
            while position < bytes.count, bytes[position] != UInt8(ascii: "\""), bytes[position] != UInt8(ascii: "\\") { position += 1 }
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return nil }
            let count = position - start
            position += 1
            return spec.fields.first { field in
                let name = field.name.utf8
                guard name.count == count else { return false }
                return name.withContiguousStorageIfAvailable { own in
                    for offset in 0..<count where own[offset] != bytes[start + offset] { return false }
                    return true
                } ?? name.elementsEqual(bytes[start..<start + count])
            }
        }

        /// A string without escapes (canonical data rarely has one; when it does, the full decoder reads it).
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = position
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position - 1]), as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\") { return nil }
                position += 1
            }
            return nil
        }

        /// The bytes of a bare JSON token (a number, true, false).
        mutating func bare() -> Slice<UnsafeBufferPointer<UInt8>> {
            let start = position
            while position < bytes.count, bytes[position] != UInt8(ascii: ","), bytes[position] != UInt8(ascii: "}") { position += 1 }
            return bytes[start..<position]
        }

        mutating func value(_ type: FieldType) -> FieldValue? {
            switch type {
            case .bool:
                let token = bare()
                if token.elementsEqual("true".utf8) { return .bool(true) }
                return token.elementsEqual("false".utf8) ? .bool(false) : nil
            case .year, .integer:
                return Self.integer(bare()).map { .integer($0) }
            case .eventIDs:
                guard take(UInt8(ascii: "[")) else { return nil }
                var items: [String] = []
                if take(UInt8(ascii: "]")) { return .list(items) }
                repeat {
                    guard let item = string(), !item.isEmpty else { return nil }
                    items.append(item)
                } while take(UInt8(ascii: ","))
                return take(UInt8(ascii: "]")) ? .list(items) : nil
            default:
                // Intake stores no empty text (it reads as absent): one here is for the full decoder to judge.
                guard let text = string(), !text.isEmpty else { return nil }
                return Self.typed(text, type)
            }
        }

        static func typed(_ text: String, _ type: FieldType) -> FieldValue? {
            switch type {
            case .money, .signedMoney: return Money.parseFen(Substring(text)).map { .money(Money(fen: $0)) }
            case .credits: return (try? Credits(text: text)).map { .credits($0) }
            case .date: return StoredDataReader.date(text).map { .date($0) }
            case .month:
                var copy = text
                return copy.withUTF8 { bytes -> FieldValue? in
                    guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"), let year = digits(bytes[0..<4]), let month = digits(bytes[5..<7]),
                          let value = Month(year: year, month: month) else { return nil }
                    return .month(value)
                }
            case .level: return SkillLevel(rawValue: text).map { .level($0) }
            case .party:
                if PersonRef.isPseudonym(text) { return .person(.pseudonym(text)) }
                if CitizenID.looksLikeOne(text) { return (try? CitizenID(text)).map { .person(.citizen($0)) } }
                return .text(text)
            case .text, .choice, .occupation, .creditCode, .jurisdiction, .eventID, .sha256: return .text(text)
            case .bool, .year, .integer, .eventIDs: return nil
            }
        }

        static func date(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> LocalDate? {
            let base = bytes.startIndex
            guard bytes.count == 10, bytes[base + 4] == UInt8(ascii: "-"), bytes[base + 7] == UInt8(ascii: "-"),
                  let year = digits(bytes[base..<base + 4]), let month = digits(bytes[base + 5..<base + 7]),
                  let day = digits(bytes[base + 8..<base + 10]) else { return nil }
            return LocalDate(year: year, month: month, day: day)
        }

        static func digits(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Int? {
            var result = 0
            for byte in bytes {
                guard byte >= 48 && byte <= 57 else { return nil }
                result = result * 10 + Int(byte - 48)
            }
            return result
        }

        static func integer(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Int64? {
            guard !bytes.isEmpty, bytes.count <= 19 else { return nil }
            var negative = false
            var digits = bytes[...]
            if digits.first == UInt8(ascii: "-") { negative = true; digits = digits.dropFirst() }
            guard !digits.isEmpty else { return nil }
            var result: Int64 = 0
            for byte in digits {
                guard byte >= 48 && byte <= 57 else { return nil }
                // Nineteen digits can exceed Int64: a value that does not fit goes to the full decoder, which says so,
                // rather than trapping on damaged or tampered data.
                let (times10, overflowed) = result.multipliedReportingOverflow(by: 10)
                let (sum, overflowedAdding) = times10.addingReportingOverflow(Int64(byte - 48))
                guard !overflowed && !overflowedAdding else { return nil }
                result = sum
            }
            return negative ? -result : result
        }
    }
}
