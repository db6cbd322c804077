/// A problem with one field of one input record: which field, and what was expected.
public struct FieldIssue: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field at fault, by SPEC.md's name (`occurred_on`, `hours`), or `record` when the record is not a JSON
    /// object. Intake renames it to the column as the file's header writes it.
    public var field: String
    /// What was expected and what was found; a warning when `error.isWarning`.
    public var error: ValueError
    /// A problem with `field`.
    public init(field: String, error: ValueError) {
        self.field = field
        self.error = error
    }
    public var description: String { "\(field): \(error)" }
}

/// All the problems of one record.
public struct FieldIssues: Error, Sendable {
    /// Every problem found, in the order the fields were checked.
    public var issues: [FieldIssue]
    /// The problems `issues`.
    public init(_ issues: [FieldIssue]) { self.issues = issues }
}

/// Personal data that arrives with an event but is kept out of the chain, in the registry.
public struct PersonalData: Sendable, Hashable {
    /// The person's name (姓名), from a registration's `name` field or a CSV row's `name` column; nil when none was
    /// given.
    public var name: String?
    /// Personal data with `name`, if any.
    public init(name: String? = nil) { self.name = name }
}

/// An event read from input, with the personal data that came with it and any warnings (not errors) about it.
public struct DecodedEvent: Sendable {
    /// The event, each field checked against the catalogue, personal data taken out.
    public var event: Event
    /// The personal data taken out of the record, for the registry.
    public var personal: PersonalData
    /// Problems that do not refuse the event, such as an early 统一社会信用代码 whose check character fails.
    public var warnings: [FieldIssue]
}

/// Reads an event from a JSON object (a JSON Lines record, or a CSV row mapped to SPEC.md's names), checking every
/// field against the catalogue and reporting all problems at once.
///
/// ```swift
/// switch EventDecoder.decode(try JSONParser.parse(line)) {
/// case .success(let decoded): decoded.event        // checked; decoded.personal.name kept apart
/// case .failure(let failure): failure.issues       // every bad field of the record at once
/// }
/// ```
public enum EventDecoder {
    /// Top-level fields that `export` adds and `submit` accepts back but does not take from the file: the new ledger
    /// keeps its own.
    public static let exportMetadata: Set<String> = ["seq", "recorded_at", "operator", "hash", "prev_hash"]
    static let topLevel: Set<String> = ["id", "kind", "occurred_on", "source", "worker", "employer", "data"]

    /// Decodes one record, checking every field against `EventCatalogue`. The metadata `export` adds (`seq`, `hash`,
    /// …) is accepted and ignored. Checks across fields are `EventChecks`'s, not done here.
    /// - Returns: the event with its personal data and warnings, or every problem of the record.
    public static func decode(_ value: JSONValue) -> Result<DecodedEvent, FieldIssues> {
        guard case .object(let members) = value else {
            return .failure(FieldIssues([FieldIssue(field: "record", error: ValueError(expected: "a JSON object", found: value.typeName))]))
        }
        var issues: [FieldIssue] = []
        var warnings: [FieldIssue] = []
        for member in members where !isTopLevel(member.key) {
            issues.append(FieldIssue(field: member.key, error: ValueError(
                expected: "only id, kind, occurred_on, source, worker, employer and data at the top level", found: member.key)))
        }
        let top = Members(members)

        let id = requiredString(top, "id", &issues)
        if let id, !EventID.isValid(id) {
            issues.append(FieldIssue(field: "id", error: ValueError(expected: "an event id of 1–64 characters from A-Z a-z 0-9 . _ : -", found: id)))
        }
        var kind: EventKind?
        if let text = requiredString(top, "kind", &issues) {
            kind = EventKind(rawValue: text)
            if kind == nil {
                issues.append(FieldIssue(field: "kind", error: ValueError(
                    expected: "an event kind: " + EventKind.allCases.map(\.rawValue).joined(separator: ", "), found: text)))
            }
        }
        let occurredOn = requiredString(top, "occurred_on", &issues).flatMap { text in
            capture("occurred_on", &issues) { () throws(ValueError) in try LocalDate(parsing: text) }
        }
        let source = requiredString(top, "source", &issues).flatMap { text in
            capture("source", &issues) { () throws(ValueError) in try validateSource(text, warnings: &warnings) }
        }
        guard let kind else { return .failure(FieldIssues(issues)) }
        let spec = EventCatalogue.spec(for: kind)
        let worker = subject(top, "worker", required: spec.subject == .worker, &issues) { text throws(ValueError) in try personRef(text) }
        let employer = subject(top, "employer", required: spec.subject == .employer, &issues) { text throws(ValueError) in
            let code = try CreditCode(text)
            if let warning = code.checkWarning { warnings.append(FieldIssue(field: "employer", error: warning)) }
            return code.value
        }
        var personal = PersonalData()
        let data = decodeData(top["data"], spec: spec, personal: &personal, issues: &issues, warnings: &warnings)
        guard issues.isEmpty, let id, let occurredOn, let source, let data else { return .failure(FieldIssues(issues)) }
        let event = Event(id: id, kind: kind, occurredOn: occurredOn, source: source, worker: worker, employer: employer, data: data)
        return .success(DecodedEvent(event: event, personal: personal, warnings: warnings))
    }

    /// A record's members, looked up by a walk: a dozen short keys compare faster than they hash.
    struct Members {
        let members: [JSONMember]
        init(_ members: [JSONMember]) { self.members = members }
        subscript(key: String) -> JSONValue? { members.first { $0.key == key }?.value }
    }

    /// `topLevel` or `exportMetadata`, without hashing the key.
    static func isTopLevel(_ key: String) -> Bool {
        switch key {
        case "id", "kind", "occurred_on", "source", "worker", "employer", "data", "seq", "recorded_at", "operator", "hash", "prev_hash": true
        default: false
        }
    }

    static func requiredString(_ top: Members, _ key: String, _ issues: inout [FieldIssue]) -> String? {
        switch top[key] {
        case .string(let text)? where !text.trimmingSpaces.isEmpty: return text.trimmingSpaces
        case .some(.string), nil, .some(.null):
            issues.append(FieldIssue(field: key, error: ValueError(expected: "a value (the field is required)", found: "")))
        case .some(let other):
            issues.append(FieldIssue(field: key, error: ValueError(expected: "a string", found: other.typeName)))
        }
        return nil
    }

    static func subject<T>(_ top: Members, _ key: String, required: Bool, _ issues: inout [FieldIssue],
                           _ parse: (String) throws(ValueError) -> T) -> T? {
        let present: String?
        switch top[key] {
        case .string(let text)? where !text.trimmingSpaces.isEmpty: present = text.trimmingSpaces
        case nil, .some(.null), .some(.string): present = nil
        case .some(let other):
            issues.append(FieldIssue(field: key, error: ValueError(expected: "a string", found: other.typeName)))
            return nil
        }
        guard let present else {
            if required { issues.append(FieldIssue(field: key, error: ValueError(expected: "a value (the field is required for this kind)", found: ""))) }
            return nil
        }
        return capture(key, &issues) { () throws(ValueError) in try parse(present) }
    }

    static func capture<T>(_ field: String, _ issues: inout [FieldIssue], _ body: () throws(ValueError) -> T) -> T? {
        do { return try body() } catch { issues.append(FieldIssue(field: field, error: error)); return nil }
    }

    /// A source is a 统一社会信用代码 (institutions, employers) or a jurisdiction code (bureaus).
    public static func validateSource(_ text: String, warnings: inout [FieldIssue]) throws(ValueError) -> String {
        if let code = try? JurisdictionCode(text) { return code.value }
        do {
            let code = try CreditCode(text)
            if let warning = code.checkWarning { warnings.append(FieldIssue(field: "source", error: warning)) }
            return code.value
        } catch {
            throw ValueError(expected: "a 统一社会信用代码 or a jurisdiction code (who submits)", found: text)
        }
    }

    /// Reads a person: a pseudonym (`ps_` and 32 lowercase hex digits) as it is, anything else as a 公民身份号码.
    /// - Throws: `ValueError` when the text is neither.
    public static func personRef(_ text: String) throws(ValueError) -> PersonRef {
        if PersonRef.isPseudonym(text) { return .pseudonym(text) }
        return .citizen(try CitizenID(text))
    }

    static func decodeData(_ value: JSONValue?, spec: KindSpec, personal: inout PersonalData, issues: inout [FieldIssue],
                           warnings: inout [FieldIssue]) -> EventData? {
        let members: [JSONMember]
        switch value {
        case .object(let found)?: members = found
        case nil, .some(.null): members = []
        case .some(let other):
            issues.append(FieldIssue(field: "data", error: ValueError(expected: "an object", found: other.typeName)))
            return nil
        }
        let before = issues.count
        var pairs: [(String, FieldValue)] = []
        for member in members where spec.field(member.key) == nil {
            issues.append(FieldIssue(field: member.key, error: ValueError(
                expected: "a field of \(spec.kind.rawValue): " + spec.fields.map(\.name).joined(separator: ", "), found: member.key)))
        }
        for field in spec.fields {
            let raw = members.first { $0.key == field.name }?.value
            if isAbsent(raw) {
                if field.required {
                    issues.append(FieldIssue(field: field.name, error: ValueError(expected: field.type.expectation + " (required)", found: "")))
                }
                continue
            }
            do {
                let parsed: FieldValue
                if field.type == .creditCode {
                    // Read once for both the value and its check warning.
                    let code = try CreditCode(FieldReader.text(raw!, as: field.type))
                    if let warning = code.checkWarning { warnings.append(FieldIssue(field: field.name, error: warning)) }
                    parsed = .text(code.value)
                } else {
                    parsed = try FieldReader.read(raw!, as: field.type)
                }
                if spec.personalFields.contains(field.name) {
                    if field.name == "name", case .text(let name) = parsed { personal.name = name }
                } else {
                    pairs.append((field.name, parsed))
                }
            } catch {
                issues.append(FieldIssue(field: field.name, error: error))
            }
        }
        return issues.count == before ? EventData(pairs) : nil
    }

    static func isAbsent(_ value: JSONValue?) -> Bool {
        switch value {
        case nil, .some(.null): true
        case .string(let text)?: text.trimmingSpaces.isEmpty
        default: false
        }
    }
}

/// Reads one field value of a given type from JSON, accepting the forms people type: numbers as strings, 是/否 for
/// booleans, grades for levels.
public enum FieldReader {
    /// Reads `value` as a field of `type`: a string (trimmed) or a number as `readText(_:as:)` reads its text; a
    /// boolean also from JSON `true` / `false`; a list of event ids from an array, or from a string separated by `;`
    /// or spaces.
    /// - Throws: `ValueError` saying what the type expects.
    public static func read(_ value: JSONValue, as type: FieldType) throws(ValueError) -> FieldValue {
        switch type {
        case .eventIDs: return try readList(value)
        case .bool: return .bool(try readBool(value))
        default: break
        }
        return try readText(text(value, as: type), as: type)
    }

    /// The text of a string or number field, as `readText` reads it.
    static func text(_ value: JSONValue, as type: FieldType) throws(ValueError) -> String {
        switch value {
        case .string(let string): string.trimmingSpaces
        case .number(let number): number
        default: throw ValueError(expected: type.expectation, found: value.typeName)
        }
    }

    /// Reads text (not trimmed here) as a field of `type`: a choice by its value or a Chinese name, an amount in
    /// yuan (`money` refuses a negative one), a date in any form `LocalDate` accepts, a boolean as true/false, 是/否,
    /// yes/no, 1/0.
    /// - Throws: `ValueError` saying what the type expects.
    public static func readText(_ text: String, as type: FieldType) throws(ValueError) -> FieldValue {
        switch type {
        case .text(let maximum):
            // A Character is at least one byte: most texts are shorter in bytes than the limit in Characters.
            guard text.utf8.count <= maximum || text.count <= maximum else { throw ValueError(expected: "text of at most \(maximum) characters", found: text) }
            guard !text.unicodeScalars.contains(where: { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }) else {
                throw ValueError(expected: "text without control characters", found: text)
            }
            return .text(text)
        case .choice(let options):
            guard let value = FieldType.choice(text, among: options) else { throw ValueError(expected: type.expectation, found: text) }
            return .text(value)
        case .money:
            let money = try Money(yuan: text)
            guard money.fen >= 0 else { throw ValueError(expected: "a yuan amount ≥ 0", found: text) }
            return .money(money)
        case .signedMoney: return .money(try Money(yuan: text))
        case .credits: return .credits(try Credits(text: text))
        case .date: return .date(try LocalDate(parsing: text))
        case .month: return .month(try Month(parsing: text))
        case .year:
            guard let year = Int64(text), (1900...2200).contains(year) else { throw ValueError(expected: "a year YYYY", found: text) }
            return .integer(year)
        case .integer(let range):
            guard let number = Int64(text), range.contains(number) else { throw ValueError(expected: type.expectation, found: text) }
            return .integer(number)
        case .level: return .level(try SkillLevel(parsing: text))
        case .occupation: return .text(try OccupationCode(text).value)
        case .creditCode: return .text(try CreditCode(text).value)
        case .jurisdiction: return .text(try JurisdictionCode(text).value)
        case .party:
            if CitizenID.looksLikeOne(text) || PersonRef.isPseudonym(text) { return .person(try EventDecoder.personRef(text)) }
            do { return .text(try CreditCode(text).value) } catch {
                throw ValueError(expected: "a 公民身份号码 or 统一社会信用代码", found: text)
            }
        case .eventID:
            try EventID.validate(text)
            return .text(text)
        case .sha256:
            guard text.utf8.count == 64, Hex.isLowercase(text.utf8) else {
                throw ValueError(expected: "64 lowercase hex digits (SHA-256)", found: text)
            }
            return .text(text)
        case .bool, .eventIDs: return try read(.string(text), as: type)
        }
    }

    static func readBool(_ value: JSONValue) throws(ValueError) -> Bool {
        switch value {
        case .bool(let flag): return flag
        case .string(let text):
            switch text.trimmingSpaces.lowercased() {
            case "true", "yes", "y", "1", "是", "t": return true
            case "false", "no", "n", "0", "否", "f": return false
            default: throw ValueError(expected: "true or false (是/否)", found: text)
            }
        case .number(let text) where text == "0" || text == "1": return text == "1"
        default: throw ValueError(expected: "true or false (是/否)", found: value.typeName)
        }
    }

    static func readList(_ value: JSONValue) throws(ValueError) -> FieldValue {
        var items: [String] = []
        switch value {
        case .array(let elements):
            for element in elements {
                guard case .string(let text) = element else { throw ValueError(expected: "a list of event ids", found: element.typeName) }
                items.append(text)
            }
        case .string(let text):
            items = text.split(whereSeparator: { $0 == ";" || $0 == " " }).map(String.init)
        default: throw ValueError(expected: "a list of event ids", found: value.typeName)
        }
        guard items.count <= 1_000 else { throw ValueError(expected: "at most 1,000 event ids", found: "\(items.count) ids") }
        for item in items { try EventID.validate(item) }
        return .list(items)
    }
}

extension EventDecoder {
    /// Reads back the canonical `data` of a stored event. Stored data was checked on the way in; a failure here means
    /// the file was changed behind the ledger's back, and the caller reports it as an integrity failure.
    public static func decodeStoredData(_ text: String, kind: EventKind) throws -> EventData {
        let value = try JSONParser.parse(text)
        var personal = PersonalData()
        var issues: [FieldIssue] = []
        var warnings: [FieldIssue] = []
        guard let data = decodeData(value, spec: EventCatalogue.spec(for: kind), personal: &personal, issues: &issues, warnings: &warnings) else {
            throw FieldIssues(issues)
        }
        return data
    }
}
