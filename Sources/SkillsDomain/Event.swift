/// One fact in the ledger, in the shape SPEC.md gives it: who it concerns, when it happened, what kind it is and the
/// kind's typed data. Personal data (a worker's name) travels beside it, never inside it.
public struct Event: Sendable, Hashable {
    /// The caller-chosen event id (1–64 of `A-Za-z0-9._:-`), unique in a ledger.
    public var id: String
    /// What fact this is; it decides which fields `data` holds.
    public var kind: EventKind
    /// When it happened in the world (`occurred_on`), the date rules use; the ledger keeps the recording time apart.
    public var occurredOn: LocalDate
    /// Who submits: a 统一社会信用代码 or a bureau's jurisdiction code.
    public var source: String
    /// The worker it concerns: a 公民身份号码 at the edges, a pseudonym inside the ledger. Required for the worker
    /// kinds (`EventCatalogue`), optional for the others.
    public var worker: PersonRef?
    /// The employer it concerns (统一社会信用代码). Required for `employer.education-fund`, optional for the others.
    public var employer: String?
    /// The kind's fields, typed, as `EventCatalogue` lists them.
    public var data: EventData

    /// An event from its parts, unchecked; input is read through `EventDecoder`, which checks every field.
    public init(id: String, kind: EventKind, occurredOn: LocalDate, source: String, worker: PersonRef? = nil,
                employer: String? = nil, data: EventData) {
        self.id = id
        self.kind = kind
        self.occurredOn = occurredOn
        self.source = source
        self.worker = worker
        self.employer = employer
        self.data = data
    }

    /// The event's content as a JSON object with SPEC.md's field names (what `export` writes and `submit` reads).
    public var json: JSONValue {
        var members = [
            JSONMember("id", .string(id)), JSONMember("kind", .string(kind.rawValue)),
            JSONMember("occurred_on", .string(occurredOn.description)), JSONMember("source", .string(source)),
        ]
        if let worker { members.append(JSONMember("worker", .string(worker.token))) }
        if let employer { members.append(JSONMember("employer", .string(employer))) }
        members.append(JSONMember("data", data.json))
        return .object(members)
    }

    /// The canonical bytes of the content: sorted keys, no spaces (Python's `json.dumps(sort_keys=True,
    /// separators=(",", ":"), ensure_ascii=False)`). Two submissions are the same event when these bytes are equal.
    public var canonicalBytes: [UInt8] { CanonicalJSONWriter.encode(json) }

    /// Every person the event names: its worker and any person payee.
    public var people: [PersonRef] {
        var result: [PersonRef] = []
        if let worker { result.append(worker) }
        for field in data.fields { if case .person(let person) = field.value { result.append(person) } }
        return result
    }

    /// The same event with every person replaced through `transform` (pseudonymise on the way in, re-identify on
    /// the way out).
    public func mappingPeople(_ transform: (PersonRef) -> PersonRef) -> Event {
        var copy = self
        copy.worker = worker.map(transform)
        for field in data.fields { if case .person(let person) = field.value { copy.data[field.name] = .person(transform(person)) } }
        return copy
    }
}

/// Event ids: 1–64 characters of `A-Za-z0-9._:-`, chosen by the submitter.
public enum EventID {
    /// The longest id: 64 characters.
    public static let maximumLength = 64

    /// Whether `text` is 1–64 characters of `A-Za-z0-9._:-`.
    public static func isValid(_ text: String) -> Bool {
        let bytes = text.utf8
        guard (1...maximumLength).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-")
        }
    }

    /// Checks `text` as an event id.
    /// - Throws: `ValueError` when `isValid(_:)` is false.
    public static func validate(_ text: String) throws(ValueError) {
        guard isValid(text) else {
            throw ValueError(expected: "an event id of 1–64 characters from A-Z a-z 0-9 . _ : -", found: text)
        }
    }
}
