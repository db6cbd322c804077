import Crypto
import SkillsDomain

/// One line of a reconciliation: a due grant with the month's payments against it, or one payment (and any return
/// of it) that no due grant takes. Every payment of the month and every due grant is in exactly one line.
public struct ReconciliationLine: Sendable, Hashable {
    /// The line's class: how its payments relate to its grant.
    public var classification: ReconciliationClass
    /// The grant's event id; for an `unknown` payment the id the bank named, if any.
    public var grant: String?
    /// The month's payment ids in this line, in matching order.
    public var payments: [String]
    /// The payee as the chain records it (a pseudonym for a person, a 统一社会信用代码 for an organisation).
    public var payee: String
    /// What the grant still owed when the month began (zero for a payment without a due grant).
    public var due: Money
    /// What the month's payments in this line add up to (returns count negative).
    public var paid: Money
    /// The grant's rule and period, for charts; nil when the line has no grant.
    public var rule: String?
    /// The month the grant was made for.
    public var period: Month?

    /// A line as given (tests, and reports rebuilt from lines); amounts in fen.
    public init(classification: ReconciliationClass, grant: String?, payments: [String], payee: String, due: Money, paid: Money,
                rule: String? = nil, period: Month? = nil) {
        self.classification = classification
        self.grant = grant
        self.payments = payments
        self.payee = payee
        self.due = due
        self.paid = paid
        self.rule = rule
        self.period = period
    }

    /// paid − due.
    public var difference: Money { paid - due }

    /// The line's share of its class's amount (SPEC.md "JSON shapes"): the money matched for `matched`, the
    /// outstanding money for `underpaid` and `unpaid`, the excess for `overpaid`, and the payment itself for the
    /// payment classes.
    public var classAmount: Money {
        switch classification {
        case .matched: paid
        case .underpaid, .unpaid: due - paid
        case .overpaid: paid - due
        case .duplicate, .wrongPayee, .revoked, .unknown: paid
        }
    }

    /// A line whose money does not balance: anything but a settled line.
    public var isDiscrepancy: Bool { difference != .zero }
}

/// A class's count of lines and amount (see `ReconciliationLine.classAmount`).
public struct ClassTotal: Sendable, Hashable {
    /// How many lines have the class.
    public var count: Int
    /// The sum of their `classAmount`s, in fen.
    public var amount: Money

    /// A total of `count` lines and `amount`.
    public init(count: Int, amount: Money) {
        self.count = count
        self.amount = amount
    }
}

/// The reconciliation of one jurisdiction's month: totals, per-class totals and the lines. Totals and the digest are
/// computed once, when the report is made.
///
/// Memory: a report made by `Reconciler` does not hold its lines; it keeps the matcher's state (one entry per grant
/// and per payment no grant took) and produces the lines, in report order, each time they are walked
/// (`forEachLine`), so that a million lines are never held at once. `lines` builds them all, for small reports.
public struct ReconciliationReport: Sendable {
    /// The jurisdiction reconciled.
    public let jurisdiction: JurisdictionCode
    /// The month reconciled.
    public let month: Month
    private let source: LineSource
    /// When the month is closed, the `period.closed` event the report was reproduced under: the report is computed
    /// from the ledger as it stood when the month was closed, so it and its digest come out the same every time.
    public var closedBy: PeriodClose?
    /// How many ledger events the report was computed from (the events with seq up to this).
    public var ledgerCount: Int64 = 0

    /// The sum of the lines' `due`, in fen.
    public let due: Money
    /// The sum of the lines' `paid` (returns subtract), in fen.
    public let paid: Money
    /// Every class in `ReconciliationClass` order, with zero for the classes no line has.
    public let classes: [(ReconciliationClass, ClassTotal)]
    /// How many lines the report has.
    public let lineCount: Int
    /// Whether any line's money does not balance (the command then exits 1).
    public let hasDiscrepancies: Bool
    /// SHA-256 (hex) of the canonical JSON of the report with payees as the chain records them (pseudonyms), so that
    /// erasing a person's personal data later does not change a closed month's digest.
    public private(set) var digest = ""

    /// Where the lines come from: given, or produced by the matcher on each walk.
    enum LineSource: Sendable {
        case given([ReconciliationLine])
        case matched(PaymentMatcher)

        func forEach(_ body: (ReconciliationLine) throws -> Void) rethrows {
            switch self {
            case .given(let lines): for line in lines { try body(line) }
            case .matched(let matcher): try matcher.forEachLine(body)
            }
        }

        func lines(from cursor: LineCursor, limit: Int) -> (lines: [ReconciliationLine], next: LineCursor?) {
            switch self {
            case .given(let lines):
                let end = min(lines.count, cursor.position + limit)
                return (Array(lines[cursor.position..<end]), end < lines.count ? LineCursor(classIndex: 0, position: end) : nil)
            case .matched(let matcher): return matcher.lines(from: cursor, limit: limit)
            }
        }

        /// Each line's class, due and paid (for the totals, without building the matcher's lines).
        func forEachAmount(_ body: (ReconciliationClass, Money, Money) -> Void) {
            switch self {
            case .given(let lines): for line in lines { body(line.classification, line.due, line.paid) }
            case .matched(let matcher): matcher.forEachLineAmount(body)
            }
        }
    }

    /// A report over lines given in report order; totals and the digest are computed from them here.
    public init(jurisdiction: JurisdictionCode, month: Month, lines: [ReconciliationLine], closedBy: PeriodClose? = nil) {
        self.init(jurisdiction: jurisdiction, month: month, source: .given(lines), closedBy: closedBy)
    }

    /// The report of a matcher that has seen every payment (`PaymentMatcher.finish()` called).
    init(jurisdiction: JurisdictionCode, month: Month, matcher: PaymentMatcher, closedBy: PeriodClose? = nil) {
        self.init(jurisdiction: jurisdiction, month: month, source: .matched(matcher), closedBy: closedBy)
    }

    private init(jurisdiction: JurisdictionCode, month: Month, source: LineSource, closedBy: PeriodClose?) {
        self.jurisdiction = jurisdiction
        self.month = month
        self.source = source
        self.closedBy = closedBy
        var due = Money.zero, paid = Money.zero, count = 0, discrepancies = false
        var totals = Array(repeating: ClassTotal(count: 0, amount: .zero), count: ReconciliationClass.allCases.count)
        source.forEachAmount { classification, lineDue, linePaid in
            let line = ReconciliationLine(classification: classification, grant: nil, payments: [], payee: "", due: lineDue, paid: linePaid)
            due += lineDue
            paid += linePaid
            count += 1
            discrepancies = discrepancies || line.isDiscrepancy
            totals[classification.rank].count += 1
            totals[classification.rank].amount += line.classAmount
        }
        self.due = due
        self.paid = paid
        lineCount = count
        hasDiscrepancies = discrepancies
        classes = ReconciliationClass.allCases.map { ($0, totals[$0.rank]) }
        var hasher = SHA256()
        writeCanonicalJSON { bytes in bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
        digest = Hex.string(hasher.finalize())
    }

    /// Every line in report order: by class in `ReconciliationClass` order; within a class, grants by age and
    /// payments in matching order.
    public func forEachLine(_ body: (ReconciliationLine) throws -> Void) rethrows {
        try source.forEach(body)
    }

    /// Up to `limit` lines in `forEachLine`'s order, starting where `cursor` says (`LineCursor()` for the first),
    /// and the cursor of the next chunk, nil after the last. The report is not changed by walking it.
    public func lines(from cursor: LineCursor, limit: Int) -> (lines: [ReconciliationLine], next: LineCursor?) {
        source.lines(from: cursor, limit: limit)
    }

    /// Every line, built at once (for small reports and tests; large ones are better walked with `forEachLine`).
    public var lines: [ReconciliationLine] {
        var lines: [ReconciliationLine] = []
        lines.reserveCapacity(lineCount)
        forEachLine { lines.append($0) }
        return lines
    }

    /// paid − due.
    public var difference: Money { paid - due }

    /// The count and amount of one class (zero when no line has it).
    public func total(of classification: ReconciliationClass) -> ClassTotal {
        classes.first { $0.0 == classification }!.1
    }

    /// The SPEC.md shape, with each payee passed through `identify` (the ledger's registry turns pseudonyms back into
    /// 公民身份号码 at the edge).
    public func json(identify: (String) -> String = { $0 }) -> JSONValue {
        var members = header
        members.insert(JSONMember("lines", .array(lines.map { line(json: $0, identify: identify) })), at: 4)
        return .object(members)
    }

    /// Everything but the lines, in SPEC.md's order: jurisdiction, month, totals, classes.
    public var header: [JSONMember] {
        [
            JSONMember("jurisdiction", .string(jurisdiction.value)),
            JSONMember("month", .string(month.description)),
            JSONMember("totals", .object([
                JSONMember("due", .string(due.yuanString)), JSONMember("paid", .string(paid.yuanString)),
                JSONMember("difference", .string(difference.yuanString)),
            ])),
            JSONMember("classes", .object(classes.map { classification, total in
                JSONMember(classification.rawValue, .object([
                    JSONMember("count", .number(String(total.count))), JSONMember("amount", .string(total.amount.yuanString)),
                ]))
            })),
        ]
    }

    /// One line in SPEC.md's shape.
    public func line(json line: ReconciliationLine, identify: (String) -> String = { $0 }) -> JSONValue {
        .object([
            JSONMember("class", .string(line.classification.rawValue)),
            JSONMember("grant", line.grant.map(JSONValue.string) ?? .null),
            JSONMember("payments", .array(line.payments.map(JSONValue.string))),
            JSONMember("payee", .string(identify(line.payee))),
            JSONMember("due", .string(line.due.yuanString)), JSONMember("paid", .string(line.paid.yuanString)),
            JSONMember("difference", .string(line.difference.yuanString)),
        ])
    }

    /// The canonical JSON of `json()` (keys sorted, no spaces), written in pieces of about 64 KiB so that a report of
    /// a million lines is hashed without building it whole. Top-level keys in code-point order: classes,
    /// jurisdiction, lines, month, totals; a line's keys: class, difference, due, grant, paid, payee, payments.
    func writeCanonicalJSON(_ write: ([UInt8]) -> Void) {
        let members = Dictionary(uniqueKeysWithValues: header.map { ($0.key, $0.value) })
        var bytes: [UInt8] = []
        bytes.reserveCapacity(1 << 16)
        func member(_ key: String, first: Bool = false) {
            bytes.append(contentsOf: ((first ? "{" : ",") + "\"\(key)\":").utf8)
            bytes.append(contentsOf: CanonicalJSONWriter.encode(members[key]!))
        }
        member("classes", first: true)
        member("jurisdiction")
        CanonicalJSONWriter.appendLiteral(",\"lines\":[", to: &bytes)
        var first = true
        forEachLine { line in
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            ReconciliationReport.appendCanonical(line, to: &bytes)
            if bytes.count >= 1 << 16 {
                write(bytes)
                bytes.removeAll(keepingCapacity: true)
            }
        }
        bytes.append(UInt8(ascii: "]"))
        member("month")
        member("totals")
        bytes.append(UInt8(ascii: "}"))
        write(bytes)
    }

    /// `CanonicalJSONWriter.encode(line(json: line))`, written without building the JSON value.
    static func appendCanonical(_ line: ReconciliationLine, to bytes: inout [UInt8]) {
        CanonicalJSONWriter.appendLiteral(#"{"class":"#, to: &bytes)
        CanonicalJSONWriter.appendQuoted(line.classification.rawValue, to: &bytes)
        CanonicalJSONWriter.appendLiteral(#","difference":"#, to: &bytes)
        CanonicalJSONWriter.appendQuoted(line.difference.yuanString, to: &bytes)
        CanonicalJSONWriter.appendLiteral(#","due":"#, to: &bytes)
        CanonicalJSONWriter.appendQuoted(line.due.yuanString, to: &bytes)
        CanonicalJSONWriter.appendLiteral(#","grant":"#, to: &bytes)
        if let grant = line.grant { CanonicalJSONWriter.appendQuoted(grant, to: &bytes) } else { CanonicalJSONWriter.appendLiteral("null", to: &bytes) }
        CanonicalJSONWriter.appendLiteral(#","paid":"#, to: &bytes)
        CanonicalJSONWriter.appendQuoted(line.paid.yuanString, to: &bytes)
        CanonicalJSONWriter.appendLiteral(#","payee":"#, to: &bytes)
        CanonicalJSONWriter.appendQuoted(line.payee, to: &bytes)
        CanonicalJSONWriter.appendLiteral(#","payments":["#, to: &bytes)
        for (index, payment) in line.payments.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            CanonicalJSONWriter.appendQuoted(payment, to: &bytes)
        }
        CanonicalJSONWriter.appendLiteral("]}", to: &bytes)
    }
}


/// Where a chunked walk of a report's lines stopped (`ReconciliationReport.lines(from:limit:)`).
public struct LineCursor: Sendable, Equatable {
    var classIndex = 0
    var position = 0

    /// The start of the walk.
    public init() {}

    init(classIndex: Int, position: Int) {
        self.classIndex = classIndex
        self.position = position
    }
}
