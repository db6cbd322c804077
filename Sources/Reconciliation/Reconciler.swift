import Intake
import Ledger
import SkillsDomain

/// What loading a payout file did.
public struct PaymentRecording: Sendable {
    /// How many payment rows the file held.
    public var rows: Int
    /// What the ledger recorded: new payments, and those already recorded with the same content.
    public var result: AppendResult
    /// Warnings that do not refuse the file (an early 统一社会信用代码 whose check character fails).
    public var warnings: [RowIssue]
    /// The file's encoding as read: `UTF-8` or `GB18030`.
    public var encoding: String
}

/// What `close` did.
public enum CloseOutcome: Sendable, Equatable {
    /// The month is closed now, by the `period.closed` event recorded.
    case closed(PeriodClose)
    /// The month was closed already (and not reopened): nothing was written.
    case alreadyClosed(PeriodClose)
}

/// Monthly payout reconciliation over a ledger: load the bank's payout file, reconcile a jurisdiction's month, close
/// and reopen it.
///
/// ```swift
/// let reconciler = Reconciler(store: ledger)
/// try await reconciler.recordPayments(file: "payments-2026-03.csv", jurisdiction: j, month: m, operatorName: "finance-1")
/// let report = try await reconciler.reconcile(jurisdiction: j, month: m)
/// try await reconciler.close(report, operatorName: "finance-1", on: today)
/// ```
public struct Reconciler: Sendable {
    /// The ledger it reads and records in.
    public let store: any LedgerStorage

    /// A reconciler over a ledger (or a view of it as of a day, which reads but refuses writes).
    public init(store: any LedgerStorage) { self.store = store }

    /// Records a payout file's rows as `subsidy.paid` events (id `paid:` + payment id) in one batch: all or nothing.
    /// A payment recorded before with the same content is skipped; with other content the batch is refused, as is a
    /// payment dated in a closed month (the ledger checks it).
    /// `progress` is told the line of the file reached.
    ///
    /// - Throws: `IntakeError` listing every bad row; `LedgerError.conflicts` or `.refused`. Nothing is written then.
    @discardableResult
    public func recordPayments(file path: String, jurisdiction: JurisdictionCode, month: Month, operatorName: String,
                               progress: ((Int) -> Void)? = nil) async throws -> PaymentRecording {
        let reader = PaymentFileReader(path: path, month: month)
        var outcome: EventFileReader.Outcome?
        let result = try await store.append(operatorName: operatorName, recordedAt: Timestamp.now(), cache: .standard) { sink in
            let read = try reader.read { row in
                try sink.add(Submission(event: Reconciler.paymentEvent(row, jurisdiction: jurisdiction), origin: "\(path):\(row.line)"))
                progress?(row.line)
            }
            outcome = read
        }
        return PaymentRecording(rows: outcome?.rows ?? 0, result: result, warnings: outcome?.warnings ?? [], encoding: outcome?.encoding ?? "UTF-8")
    }

    /// The `subsidy.paid` event of one payout row.
    public static func paymentEvent(_ row: PaymentRow, jurisdiction: JurisdictionCode) -> Event {
        var fields: [(String, FieldValue)] = [
            ("payment", .text(row.paymentID)), ("payee", row.payee.fieldValue), ("amount", .money(row.amount)),
            ("jurisdiction", .text(jurisdiction.value)),
        ]
        if let grant = row.grant { fields.append(("grant", .text(grant))) }
        if let bankRef = row.bankRef { fields.append(("bank_ref", .text(bankRef))) }
        return Event(id: PaymentFileReader.eventIDPrefix + row.paymentID, kind: .subsidyPaid, occurredOn: row.paidOn,
                     source: jurisdiction.value, data: EventData(fields))
    }

    /// Reconciles the jurisdiction's month: every grant due up to the month that is not fully paid, and every payment
    /// of the month. A closed month is reconciled from the ledger as it stood when it was closed, so the report and
    /// its digest come out the same each time.
    public func reconcile(jurisdiction: JurisdictionCode, month: Month) async throws -> ReconciliationReport {
        let marks = try await PeriodMarks.load(store, jurisdiction: jurisdiction, month: month)
        let head = try await store.digest()
        let cutoff = marks.currentClose?.seq ?? head.count + 1
        var input = try await ReconciliationInput.load(store, jurisdiction: jurisdiction, month: month, before: cutoff)
        var matcher = PaymentMatcher(taking: &input, month: month)
        try await input.forEachPayment(store, jurisdiction: jurisdiction, month: month, before: cutoff) { matcher.feed($0) }
        matcher.finish()
        var report = ReconciliationReport(jurisdiction: jurisdiction, month: month, matcher: matcher, closedBy: marks.currentClose)
        report.ledgerCount = cutoff - 1
        return report
    }

    /// Closes the report's month with a `period.closed` event carrying the report's digest and totals. Refused when
    /// the ledger has changed since the report was made (reconcile again), so that the digest always describes the
    /// ledger the month was closed on.
    @discardableResult
    public func close(_ report: ReconciliationReport, operatorName: String, on date: LocalDate) async throws -> CloseOutcome {
        let marks = try await PeriodMarks.load(store, jurisdiction: report.jurisdiction, month: report.month)
        if let current = marks.currentClose { return .alreadyClosed(current) }
        guard try await store.digest().count == report.ledgerCount else {
            throw LedgerError.refused("the ledger changed after \(report.month) was reconciled for \(report.jurisdiction); reconcile again, then close")
        }
        let digest = report.digest
        let event = Event(id: marks.nextCloseID, kind: .periodClosed, occurredOn: date, source: report.jurisdiction.value, data: EventData([
            ("jurisdiction", .text(report.jurisdiction.value)), ("period", .month(report.month)), ("report_digest", .text(digest)),
            ("due", .money(report.due)), ("paid", .money(report.paid)), ("difference", .money(report.difference)),
        ]))
        let result = try await store.append([Submission(event: event, origin: "reconcile --close")], operatorName: operatorName,
                                            recordedAt: Timestamp.now())
        return .closed(PeriodClose(eventID: event.id, seq: result.head.count, reportDigest: digest, closedOn: date))
    }

    /// Reopens a closed month with a `period.reopened` event saying why; payments dated in it are accepted again.
    /// - Returns: the id of the event recorded.
    @discardableResult
    public func reopen(jurisdiction: JurisdictionCode, month: Month, reason: String, operatorName: String,
                       on date: LocalDate) async throws -> String {
        let marks = try await PeriodMarks.load(store, jurisdiction: jurisdiction, month: month)
        guard marks.isClosed else { throw LedgerError.refused("\(month) is not closed for \(jurisdiction): there is nothing to reopen") }
        let reason = reason.trimmingSpaces
        guard !reason.isEmpty else { throw ValueError(expected: "a reason for reopening the month (kept in the ledger)", found: "") }
        _ = try FieldReader.readText(reason, as: EventCatalogue.spec(for: .periodReopened).field("reason")!.type)
        let event = Event(id: marks.nextReopenID, kind: .periodReopened, occurredOn: date, source: jurisdiction.value, data: EventData([
            ("jurisdiction", .text(jurisdiction.value)), ("period", .month(month)), ("reason", .text(reason)),
        ]))
        _ = try await store.append([Submission(event: event, origin: "reopen")], operatorName: operatorName, recordedAt: Timestamp.now())
        return event.id
    }
}
