import SkillsDomain

/// Reads a file of events for `submit`: JSON Lines (any kind) or one of the institution CSV layouts (workers,
/// training, certificates). Streams records one at a time; every bad row is collected, not only the first.
///
/// ```swift
/// let reader = EventFileReader(path: "training.csv")
/// let outcome = try reader.read { submission in try sink.add(submission) }   // inside the append: a bad file throws
/// ```
public struct EventFileReader {
    /// No batch may hold more rows than this.
    public static let maximumRows = 20_000_000

    /// What the file turned out to be: JSON Lines, or CSV in one of the layouts.
    public enum Format: Sendable, Equatable {
        case jsonLines
        case csv(CSVLayout)
    }

    /// The file to read: a name ending in `.csv`, `.CSV` or `.txt` is read as CSV, any other as JSON Lines.
    public let path: String
    /// The name shown in errors: the path as the user typed it.
    public let displayName: String
    /// Where events from a CSV come from when the row does not say (a bureau's code for a workers roster).
    public let defaultSource: String?
    /// The most rows this reader takes (`maximumRows`; lower it to test the limit without a 20-million-row file).
    public var rowLimit = EventFileReader.maximumRows

    /// A reader of the events file at `path`. When `defaultSource` is set, it is the `source` of every CSV row
    /// (otherwise the row's `jurisdiction`, `institution` or `issuer` column); JSON Lines records name their own.
    public init(path: String, defaultSource: String? = nil) {
        self.path = path
        self.displayName = path
        self.defaultSource = defaultSource
    }

    /// What reading found: the rows, the warnings, the format and encoding. The errors that refuse the batch (all of
    /// them, up to a limit) are gathered here while reading and thrown at the end (`refusal`).
    public struct Outcome: Sendable {
        /// Records read, bad ones included: data rows of a CSV, non-blank lines of JSON Lines.
        public var rows = 0
        var errors: [RowIssue] = []
        var errorCount = 0
        /// Problems that refuse nothing (an early 统一社会信用代码 whose check fails); the first `IntakeError.maximumListed`.
        public var warnings: [RowIssue] = []
        /// What the file turned out to be.
        public var format: Format = .jsonLines
        /// `UTF-8` or `GB18030`, as the file was decoded.
        public var encoding = "UTF-8"

        mutating func add(_ issue: RowIssue) {
            if issue.isWarning {
                if warnings.count < IntakeError.maximumListed { warnings.append(issue) }
                return
            }
            errorCount += 1
            if errors.count < IntakeError.maximumListed { errors.append(issue) }
        }

        /// The refusal to throw when any row was bad, carrying the warnings too.
        var refusal: IntakeError? {
            errorCount == 0 ? nil : IntakeError(file: errors.first?.file ?? "", issues: errors, total: errorCount, warnings: warnings)
        }

        /// The outcome, or, when any row was bad, the refusal listing every bad row.
        func checked() throws(IntakeError) -> Outcome {
            if let refusal { throw refusal }
            return self
        }
    }

    /// Reads every record, calling `body` with each valid one in file order until a bad one is found, then reads the
    /// rest of the file for its problems. Throws `IntakeError` when the file cannot be read, and when any row was bad
    /// (after the whole file, listing every bad row, with the warnings): call it inside the batch, so that the rows
    /// handed on before the first bad one are not recorded.
    @discardableResult
    public func read(_ body: (Submission) throws -> Void) throws -> Outcome {
        var outcome = Outcome()
        if path.hasSuffix(".csv") || path.hasSuffix(".CSV") || path.hasSuffix(".txt") {
            try readCSV(&outcome, body)
        } else {
            try readJSONLines(&outcome, body)
        }
        return try outcome.checked()
    }

    func readJSONLines(_ outcome: inout Outcome, _ body: (Submission) throws -> Void) throws {
        var lines = try LineReader(path: path)
        outcome.format = .jsonLines
        while let line = try lines.next() {
            let number = lines.lineNumber
            let text = number == 1 ? line.replacingBOM : line
            if text.trimmingSpaces.isEmpty { continue }
            if number == 1, text.hasPrefix("id,") || text.hasPrefix("编号,") {
                throw IntakeError(file: displayName, line: 1, message: "this looks like CSV: name the file .csv so its header is read")
            }
            outcome.rows += 1
            guard outcome.rows <= rowLimit else {
                throw IntakeError(file: displayName, line: number, message: "more than \(rowLimit) rows in one batch: split the file")
            }
            let value: JSONValue
            do { value = try JSONParser.parse(text) } catch {
                outcome.add(RowIssue(file: displayName, line: number, field: nil, message: "\(error) (expected one JSON object per line)"))
                continue
            }
            try deliver(EventDecoder.decode(value), line: number, &outcome, body)
        }
        outcome.encoding = lines.encodingName
    }

    func readCSV(_ outcome: inout Outcome, _ body: (Submission) throws -> Void) throws {
        var records = try CSVRecordReader(path: path)
        guard let header = try records.next() else {
            throw IntakeError(file: displayName, line: 1, message: "the file is empty (expected a header row)")
        }
        let (layout, columns) = try CSVLayout.detect(header: header.fields, file: displayName)
        outcome.format = .csv(layout)
        guard layout != .payments else {
            throw IntakeError(file: displayName, line: 1, message: "this is a payout file (payments layout): load it with `skills-ledger reconcile --payments`")
        }
        let written = Dictionary(zip(columns, header.fields.map { $0.trimmingSpaces.replacingBOM }), uniquingKeysWith: { first, _ in first })
        let columnName = { (field: String) in CSVEventMapping.column(for: field, layout: layout, written: written, defaultSource: defaultSource) }
        while let record = try records.next() {
            outcome.rows += 1
            guard outcome.rows <= rowLimit else {
                throw IntakeError(file: displayName, line: record.line, message: "more than \(rowLimit) rows in one batch: split the file")
            }
            guard record.fields.count == columns.count else {
                outcome.add(RowIssue(file: displayName, line: record.line, field: nil,
                                     message: "\(record.fields.count) columns, expected \(columns.count) as in the header"))
                continue
            }
            var cells = [String: String](minimumCapacity: columns.count)
            for (index, column) in columns.enumerated() { cells[column] = record.fields[index].trimmingSpaces }
            let (value, name) = CSVEventMapping.event(layout: layout, cells: cells, defaultSource: defaultSource)
            var decoded = EventDecoder.decode(value)
            if case .success(var event) = decoded, let name, !name.isEmpty {
                event.personal.name = name
                decoded = .success(event)
            }
            try deliver(decoded, line: record.line, &outcome, body, fieldName: columnName)
        }
        outcome.encoding = records.encodingName
    }

    /// Hands a valid record to `body`, or adds its issues to the outcome; `fieldName` names a field as the file does.
    func deliver(_ decoded: Result<DecodedEvent, FieldIssues>, line: Int, _ outcome: inout Outcome,
                 _ body: (Submission) throws -> Void, fieldName: (String) -> String = { $0 }) throws {
        func add(_ issue: FieldIssue) {
            var renamed = issue
            renamed.field = fieldName(issue.field)
            outcome.add(RowIssue(file: displayName, line: line, renamed))
        }
        switch decoded {
        case .failure(let failure):
            failure.issues.forEach(add)
        case .success(let event):
            event.warnings.forEach(add)
            let semantic = EventChecks.issues(event.event)
            semantic.forEach(add)
            if semantic.isEmpty && outcome.errorCount == 0 {
                try body(Submission(event: event.event, personal: event.personal, origin: "\(displayName):\(line)"))
            }
        }
    }
}

/// How a CSV row of each layout becomes an event in SPEC.md's JSON shape.
enum CSVEventMapping {
    /// The column of the file that an event field came from, as its header names it (`结业日期 (completed_on)` for a
    /// Chinese header), so that an error points at a column the clerk can see: `occurred_on` is the layout's date
    /// column and `source` the column it defaults to.
    static func column(for field: String, layout: CSVLayout, written: [String: String], defaultSource: String?) -> String {
        var column = field
        switch (field, layout) {
        case ("occurred_on", .workers): column = "registered_on"
        case ("occurred_on", .training): column = "completed_on"
        case ("occurred_on", .certificates): column = "awarded_on"
        case ("source", .workers) where defaultSource == nil: column = "jurisdiction"
        case ("source", .training) where defaultSource == nil: column = "institution"
        case ("source", .certificates) where defaultSource == nil: column = "issuer"
        default: break
        }
        guard let header = written[column] else { return column }
        return header == column ? column : "\(header) (\(column))"
    }

    static func event(layout: CSVLayout, cells: [String: String], defaultSource: String?) -> (JSONValue, String?) {
        func string(_ name: String) -> JSONValue { .string(cells[name] ?? "") }
        func data(_ names: [String]) -> JSONValue { .object(names.map { JSONMember($0, string($0)) }) }
        var members = [JSONMember("id", string("id")), JSONMember("worker", string("worker"))]
        switch layout {
        case .workers:
            let source = defaultSource ?? cells["jurisdiction"] ?? ""
            members += [JSONMember("kind", .string(EventKind.workerRegistered.rawValue)), JSONMember("occurred_on", string("registered_on")),
                        JSONMember("source", .string(source)),
                        JSONMember("data", data(["name", "jurisdiction", "employer", "insured_since", "migrant", "frontline"]))]
            return (.object(members), nil)
        case .training:
            members += [JSONMember("kind", .string(EventKind.trainingCompleted.rawValue)), JSONMember("occurred_on", string("completed_on")),
                        JSONMember("source", .string(defaultSource ?? cells["institution"] ?? "")),
                        JSONMember("data", data(["course", "title", "institution", "hours", "started_on", "cost", "paid_by", "track", "occupation"]))]
        case .certificates:
            members += [JSONMember("kind", .string(EventKind.certificationAwarded.rawValue)), JSONMember("occurred_on", string("awarded_on")),
                        JSONMember("source", .string(defaultSource ?? cells["issuer"] ?? "")),
                        JSONMember("data", data(["occupation", "occupation_name", "level", "certificate", "issuer", "route"]))]
        case .payments:
            break
        }
        return (.object(members), cells["name"])
    }
}
