import Ledger
import SkillsDomain

/// A `period.closed` event as reconciliation reads it.
public struct PeriodClose: Sendable, Hashable {
    /// The id of the `period.closed` event (`closed:J:YYYY-MM:N`).
    public var eventID: String
    /// Its place in the chain: the report it closed was computed from the events before it.
    public var seq: Int64
    /// The digest of the report the month was closed on (SHA-256 hex of its canonical JSON, payees as pseudonyms).
    public var reportDigest: String
    /// The date the close is dated (its `occurred_on`).
    public var closedOn: LocalDate

    /// A close as read from, or just written to, the ledger.
    public init(eventID: String, seq: Int64, reportDigest: String, closedOn: LocalDate) {
        self.eventID = eventID
        self.seq = seq
        self.reportDigest = reportDigest
        self.closedOn = closedOn
    }
}

/// The close and reopen marks of one jurisdiction's month, in recording order.
public struct PeriodMarks: Sendable {
    /// The jurisdiction whose month the marks are for (matched by its exact code).
    public var jurisdiction: JurisdictionCode
    /// The month the marks are for.
    public var month: Month
    /// Every `period.closed` mark of the month, in recording order.
    public private(set) var closes: [PeriodClose] = []
    /// How many `period.reopened` marks the month has.
    public private(set) var reopenCount = 0
    /// The last mark's kind decides: closed after a `period.closed`, open after a `period.reopened` (or no mark).
    public private(set) var isClosed = false

    /// Reads the marks of `jurisdiction`'s `month` from the ledger.
    public static func load(_ store: any LedgerStorage, jurisdiction: JurisdictionCode, month: Month) async throws -> PeriodMarks {
        var marks = PeriodMarks(jurisdiction: jurisdiction, month: month)
        try await store.forEachEvent(kinds: [.periodClosed, .periodReopened]) { stored in
            let data = stored.event.data
            guard data.text("jurisdiction") == jurisdiction.value, data.month("period") == month else { return }
            if stored.event.kind == .periodClosed {
                marks.closes.append(PeriodClose(eventID: stored.event.id, seq: stored.seq, reportDigest: data.text("report_digest") ?? "",
                                                closedOn: stored.event.occurredOn))
                marks.isClosed = true
            } else {
                marks.reopenCount += 1
                marks.isClosed = false
            }
        }
        return marks
    }

    /// The close in force, if the month is closed now.
    public var currentClose: PeriodClose? { isClosed ? closes.last : nil }

    /// Event ids count the marks, so that a month can be closed, reopened and closed again:
    /// `closed:420300:2026-03:1`, `reopened:420300:2026-03:1`, `closed:420300:2026-03:2`.
    public var nextCloseID: String { "closed:\(jurisdiction.value):\(month):\(closes.count + 1)" }
    /// The id the next reopening is recorded under (`reopened:J:YYYY-MM:N`).
    public var nextReopenID: String { "reopened:\(jurisdiction.value):\(month):\(reopenCount + 1)" }
}
