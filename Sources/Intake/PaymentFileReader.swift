import SkillsDomain

/// Who a payout row paid: a person (公民身份号码) or an organisation (统一社会信用代码).
public enum PaymentPayee: Sendable, Hashable, CustomStringConvertible {
    case person(PersonRef)
    case organisation(String)

    /// The value as an event's `payee` field holds it (a person is pseudonymised by the ledger on the way in).
    public var fieldValue: FieldValue {
        switch self {
        case .person(let person): .person(person)
        case .organisation(let code): .text(code)
        }
    }

    public var description: String {
        switch self {
        case .person(let person): person.token
        case .organisation(let code): code
        }
    }
}

/// One row of a bank's payout file, checked and typed.
public struct PaymentRow: Sendable, Hashable {
    /// The bank's payment id (1–59 of `A-Za-z0-9._:-`); the ledger records the payment as the event `paid:` + this
    /// id, so the same file loaded twice records nothing new.
    public var paymentID: String
    /// The account the bank paid: a person (公民身份号码) or an organisation (统一社会信用代码).
    public var payee: PaymentPayee
    /// Negative for a returned payment (退回); never zero.
    public var amount: Money
    /// The day the bank paid; inside the reader's `month` when it has one.
    public var paidOn: LocalDate
    /// The grant the bank paid against, when the file says.
    public var grant: String?
    /// The bank's own reference (银行流水号), at most 200 characters, when the file has one.
    public var bankRef: String?
    /// Where the row starts in the file (the header is line 1).
    public var line: Int

    /// A row from its parts, without the checks `PaymentFileReader` makes.
    public init(paymentID: String, payee: PaymentPayee, amount: Money, paidOn: LocalDate, grant: String? = nil,
                bankRef: String? = nil, line: Int) {
        self.paymentID = paymentID
        self.payee = payee
        self.amount = amount
        self.paidOn = paidOn
        self.grant = grant
        self.bankRef = bankRef
        self.line = line
    }
}

/// Reads a payout file in the `payments` layout (`payment_id,payee,amount,paid_on,grant,bank_ref`, English or Chinese
/// headers, UTF-8 or GB18030), streaming: rows are handed over one at a time, and every bad row is collected with its
/// line, field and what was expected. Any error refuses the whole file.
///
/// ```swift
/// let reader = PaymentFileReader(path: "payments-2026-03.csv", month: try Month(parsing: "2026-03"))
/// let outcome = try reader.read { row in try sink.add(submission(for: row)) }   // inside the append: a bad file throws
/// ```
public struct PaymentFileReader: Sendable {
    /// A payment becomes the event `paid:` + its id, and event ids hold at most 64 characters.
    public static let eventIDPrefix = "paid:"
    /// The longest payment id: 59 characters, so that `paid:` + the id is a valid event id.
    public static let maximumPaymentIDLength = EventID.maximumLength - eventIDPrefix.utf8.count
    /// The bound on one payout file.
    public static let maximumRows = 20_000_000
    static let maximumBankRefLength = 200

    /// The payout file to read.
    public let path: String
    /// When set, every `paid_on` must fall in this month (the month being reconciled).
    public let month: Month?
    /// The most rows this reader takes (`maximumRows`; lower it to test the limit without a 20-million-row file).
    public var rowLimit = PaymentFileReader.maximumRows

    /// A reader of the payout file at `path`; with `month`, a row paid on a day outside it is refused.
    public init(path: String, month: Month? = nil) {
        self.path = path
        self.month = month
    }

    /// Reads every row, calling `body` with each valid row in file order while no error has been found. Throws
    /// `IntakeError` when the file cannot be read at all or is not a payout file, and when any row was bad (after the
    /// whole file, listing every bad row, with the warnings): call it inside the batch.
    @discardableResult
    public func read(_ body: (PaymentRow) throws -> Void) throws -> EventFileReader.Outcome {
        var outcome = EventFileReader.Outcome()
        outcome.format = .csv(.payments)
        var records = try CSVRecordReader(path: path)
        guard let header = try records.next() else {
            throw IntakeError(file: path, line: 1, message: "the file is empty (expected the header \(CSVLayout.payments.columns.joined(separator: ",")))")
        }
        let (layout, columns) = try CSVLayout.detect(header: header.fields, file: path)
        guard layout == .payments else {
            throw IntakeError(file: path, line: 1, message: "this is a \(layout.rawValue) file; a payout file has the columns "
                + CSVLayout.payments.columns.joined(separator: ",") + " (load the others with `skills-ledger submit`)")
        }
        let positions = ColumnPositions(columns)
        while let record = try records.next() {
            outcome.rows += 1
            guard outcome.rows <= rowLimit else {
                throw IntakeError(file: path, line: record.line, message: "more than \(rowLimit) rows in one payout file: split it")
            }
            guard record.fields.count == columns.count else {
                outcome.add(RowIssue(file: path, line: record.line, field: nil,
                                     message: "\(record.fields.count) columns, expected \(columns.count) as in the header"))
                continue
            }
            var issues: [FieldIssue] = []
            let row = PaymentFileReader.row(positions.cells(record.fields), line: record.line, month: month, issues: &issues)
            for issue in issues { outcome.add(RowIssue(file: path, line: record.line, issue)) }
            if let row, outcome.errorCount == 0 { try body(row) }
        }
        outcome.encoding = records.encodingName
        return try outcome.checked()
    }

    /// Every row of the file, or the refusal listing every bad row.
    public func readAll() throws -> [PaymentRow] {
        var rows: [PaymentRow] = []
        try read { rows.append($0) }
        return rows
    }

    /// Where each column of the layout is in the file (a file may leave out the optional ones), so that a row's
    /// cells are found by position rather than through a dictionary per row.
    struct ColumnPositions {
        var indexes: [Int?]

        init(_ columns: [String]) {
            indexes = CSVLayout.payments.columns.map { columns.firstIndex(of: $0) }
        }

        /// The row's cells in the layout's order (`payment_id`, `payee`, `amount`, `paid_on`, `grant`, `bank_ref`), trimmed.
        func cells(_ fields: [String]) -> [String] {
            indexes.map { index in index.map { fields[$0].trimmingSpaces } ?? "" }
        }
    }

    /// One row's fields checked; nil when any field is bad (all of its problems are in `issues`, warnings too).
    static func row(_ cells: [String], line: Int, month: Month?, issues: inout [FieldIssue]) -> PaymentRow? {
        // `cells` are in the layout's column order; fields are found by position, named only in issues.
        func check<T>(_ position: Int, _ body: (String) throws(ValueError) -> T?) -> T? {
            do { return try body(cells[position]) } catch {
                issues.append(FieldIssue(field: CSVLayout.payments.columns[position], error: error))
                return nil
            }
        }
        let paymentID = check(0, paymentIdentifier)
        let payee = check(1, payeeValue)
        if case .organisation(let code)? = payee, let warning = (try? CreditCode(code))?.checkWarning {
            issues.append(FieldIssue(field: "payee", error: warning))
        }
        let amount = check(2, nonzeroAmount)
        let paidOn = check(3) { text throws(ValueError) in try paymentDate(text, month: month) }
        let grant = check(4, grantIdentifier)
        let bankRef = check(5, bankReference)
        guard let paymentID, let payee, let amount, let paidOn, !issues.contains(where: { !$0.error.isWarning }) else { return nil }
        return PaymentRow(paymentID: paymentID, payee: payee, amount: amount, paidOn: paidOn, grant: grant, bankRef: bankRef, line: line)
    }

    static func required(_ text: String, _ expectation: String) throws(ValueError) -> String {
        guard !text.isEmpty else { throw ValueError(expected: expectation + " (required)", found: "") }
        return text
    }

    static func paymentIdentifier(_ text: String) throws(ValueError) -> String {
        let expectation = "a payment id of 1–\(maximumPaymentIDLength) characters from A-Z a-z 0-9 . _ : -"
        let text = try required(text, expectation)
        guard EventID.isValid(text), text.utf8.count <= maximumPaymentIDLength else { throw ValueError(expected: expectation, found: text) }
        return text
    }

    static func payeeValue(_ text: String) throws(ValueError) -> PaymentPayee {
        let text = try required(text, "a 公民身份号码 or 统一社会信用代码")
        if CitizenID.looksLikeOne(text) { return .person(.citizen(try CitizenID(text))) }
        do { return .organisation(try CreditCode(text).value) } catch {
            throw ValueError(expected: "a payee's 18-character 公民身份号码 or 统一社会信用代码", found: text)
        }
    }

    static func nonzeroAmount(_ text: String) throws(ValueError) -> Money {
        let expectation = "a nonzero yuan amount with at most two decimals, e.g. 1000.00 (negative for a returned payment, 退回)"
        let text = try required(text, expectation)
        guard let money = try? Money(yuan: text), money != .zero else { throw ValueError(expected: expectation, found: text) }
        return money
    }

    static func paymentDate(_ text: String, month: Month?) throws(ValueError) -> LocalDate {
        let date: LocalDate
        if let iso = isoDate(text) { date = iso } else { date = try LocalDate(parsing: try required(text, "a date YYYY-MM-DD")) }
        if let month, !month.contains(date) {
            throw ValueError(expected: "a date in \(month), the month being reconciled (reconcile other months' payments with their own month)",
                             found: text)
        }
        return date
    }

    /// A date written `YYYY-MM-DD`, as bank files have it, read without the general parser; nil for anything else
    /// (which `LocalDate(parsing:)` then reads or refuses with its message).
    static func isoDate(_ text: String) -> LocalDate? {
        var text = text
        return text.withUTF8 { utf8 in
            guard utf8.count == 10, utf8[4] == UInt8(ascii: "-"), utf8[7] == UInt8(ascii: "-") else { return nil }
            var parts = (0, 0, 0)
            for (index, byte) in utf8.enumerated() where index != 4 && index != 7 {
                guard (48...57).contains(byte) else { return nil }
                let digit = Int(byte - 48)
                switch index {
                case 0..<4: parts.0 = parts.0 * 10 + digit
                case 5..<7: parts.1 = parts.1 * 10 + digit
                default: parts.2 = parts.2 * 10 + digit
                }
            }
            return LocalDate(year: parts.0, month: parts.1, day: parts.2)
        }
    }

    static func grantIdentifier(_ text: String) throws(ValueError) -> String? {
        guard !text.isEmpty else { return nil }
        guard EventID.isValid(text) else {
            throw ValueError(expected: "empty, or a grant's event id (1–64 of A-Z a-z 0-9 . _ : -)", found: text)
        }
        return text
    }

    static func bankReference(_ text: String) throws(ValueError) -> String? {
        guard !text.isEmpty else { return nil }
        guard case .text(let value) = try FieldReader.readText(text, as: .text(maxLength: maximumBankRefLength)) else { return nil }
        return value
    }
}
