/// A typed value of an event's `data` field. Every value has exactly one canonical JSON form.
public enum FieldValue: Sendable, Hashable {
    case text(String)
    case money(Money)
    case credits(Credits)
    case date(LocalDate)
    case month(Month)
    case integer(Int64)
    case bool(Bool)
    case level(SkillLevel)
    /// A person: a 公民身份号码 at the edges, a pseudonym inside the ledger.
    case person(PersonRef)
    case list([String])

    /// The canonical JSON form: amounts "1800.50", credits "2.5", dates "2026-03-01", levels by slug.
    public var json: JSONValue {
        switch self {
        case .text(let text): .string(text)
        case .money(let money): .string(money.yuanString)
        case .credits(let credits): .string(credits.text)
        case .date(let date): .string(date.description)
        case .month(let month): .string(month.description)
        case .integer(let number): .number(String(number))
        case .bool(let flag): .bool(flag)
        case .level(let level): .string(level.rawValue)
        case .person(let person): .string(person.token)
        case .list(let items): .array(items.map { .string($0) })
        }
    }

    /// The value as plain text, for tables and CSV.
    public var plainText: String {
        switch self {
        case .text(let text): text
        case .list(let items): items.joined(separator: ";")
        case .bool(let flag): flag ? "true" : "false"
        default:
            if case .string(let text) = json { text } else if case .number(let text) = json { text } else { "" }
        }
    }

    /// The amount when the value is money, else nil.
    public var moneyValue: Money? { if case .money(let money) = self { money } else { nil } }
    /// The text of a text value, or a person's token (公民身份号码 or pseudonym); nil for the other types.
    public var textValue: String? {
        switch self {
        case .text(let text): text
        case .person(let person): person.token
        default: nil
        }
    }
}

/// A reference to a person: their 公民身份号码 as it arrives, or the ledger's keyed pseudonym (`ps_` and 32 hex
/// digits) that stands for it inside the chain, and for good once the person's data is erased.
public enum PersonRef: Sendable, Hashable, CustomStringConvertible {
    case citizen(CitizenID)
    case pseudonym(String)

    /// The text that stands for the person: the 18-character 公民身份号码, or the `ps_` pseudonym.
    public var token: String {
        switch self {
        case .citizen(let id): id.value
        case .pseudonym(let token): token
        }
    }

    public var description: String { token }

    /// Whether `text` is a pseudonym token (`ps_` followed by 32 lowercase hex digits).
    public static func isPseudonym(_ text: String) -> Bool {
        let bytes = text.utf8
        return bytes.count == 35 && text.hasPrefix("ps_") && Hex.isLowercase(bytes.dropFirst(3))
    }
}

/// An event's `data`: typed values by field name, kept sorted by name so that the canonical form is unique.
public struct EventData: Sendable, Hashable {
    /// The fields, in name order.
    public private(set) var fields: [(name: String, value: FieldValue)]

    /// Data from name–value pairs in any order (sorted here); names are not checked against a kind's catalogue entry.
    public init(_ pairs: [(String, FieldValue)] = []) {
        fields = pairs.sorted { $0.0 < $1.0 }.map { (name: $0.0, value: $0.1) }
    }

    /// Fields already in name order (the canonical form stores them so): taken as they are, without sorting a copy.
    init(sorted fields: [(name: String, value: FieldValue)]) {
        self.fields = fields
    }

    /// The value of the field `name`, nil when absent; setting nil removes the field.
    public subscript(name: String) -> FieldValue? {
        get { fields.first { $0.name == name }?.value }
        set {
            fields.removeAll { $0.name == name }
            if let newValue {
                fields.append((name: name, value: newValue))
                fields.sort { $0.name < $1.name }
            }
        }
    }

    /// The field's text (a person's token for a person), nil when absent or of another type.
    public func text(_ name: String) -> String? { self[name]?.textValue }
    /// The field's amount, nil when absent or not money.
    public func money(_ name: String) -> Money? { self[name]?.moneyValue }
    /// The field's date, nil when absent or not a date.
    public func date(_ name: String) -> LocalDate? { if case .date(let value) = self[name] { value } else { nil } }
    /// The field's month, nil when absent or not a month.
    public func month(_ name: String) -> Month? { if case .month(let value) = self[name] { value } else { nil } }
    /// The field's whole number (a `year` too), nil when absent or not a number.
    public func integer(_ name: String) -> Int64? { if case .integer(let value) = self[name] { value } else { nil } }
    /// The field's flag, nil when absent or not a boolean.
    public func bool(_ name: String) -> Bool? { if case .bool(let value) = self[name] { value } else { nil } }
    /// The field's skill level, nil when absent or not a level.
    public func level(_ name: String) -> SkillLevel? { if case .level(let value) = self[name] { value } else { nil } }
    /// The field's credits, nil when absent or not credits.
    public func credits(_ name: String) -> Credits? { if case .credits(let value) = self[name] { value } else { nil } }
    /// The field's list of event ids, nil when absent or not a list.
    public func list(_ name: String) -> [String]? { if case .list(let value) = self[name] { value } else { nil } }

    /// The fields as a JSON object, each value in its canonical form (`FieldValue.json`).
    public var json: JSONValue { .object(fields.map { JSONMember($0.name, $0.value.json) }) }

    /// `CanonicalJSONWriter.encode(json)`, the data as the chain stores it, written without building the object
    /// first: every event appended is written so.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalJSONWriter()
        writer.writeObject(fields, key: { $0.name }, value: { writer, field in writer.write(field.value.json) })
        return writer.bytes
    }

    public static func == (lhs: EventData, rhs: EventData) -> Bool {
        lhs.fields.count == rhs.fields.count && zip(lhs.fields, rhs.fields).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }

    public func hash(into hasher: inout Hasher) {
        for field in fields { hasher.combine(field.name); hasher.combine(field.value) }
    }
}
