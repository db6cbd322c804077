/// One fact in the ledger, in the shape SPEC.md gives it: who it concerns, when it happened, what kind it is and the
/// kind's typed data. Personal data (a worker's name) travels beside it, never inside it.
public struct Event: Sendable, Hashable {
    public var id: String
    public var kind: EventKind
    public var occurredOn: LocalDate
    /// Who submits: a 统一社会信用代码 or a bureau's jurisdiction code.
    public var source: String
    public var worker: PersonRef?
    public var employer: String?
    public var data: EventData

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
    public static let maximumLength = 64

    public static func isValid(_ text: String) -> Bool {
        let bytes = text.utf8
        guard (1...maximumLength).contains(bytes.count) else { return false }
        return bytes.allSatisfy { byte in
            (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-")
        }
    }

    public static func validate(_ text: String) throws(ValueError) {
        guard isValid(text) else {
            throw ValueError(expected: "an event id of 1–64 characters from A-Z a-z 0-9 . _ : -", found: text)
        }
    }
}
