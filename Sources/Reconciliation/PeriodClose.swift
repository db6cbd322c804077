import Ledger
import SkillsDomain

/// A `period.closed` event as reconciliation reads it.
public struct PeriodClose: Sendable, Hashable {
    public var eventID: String
    public var seq: Int64
    public var reportDigest: String
    public var closedOn: LocalDate

    public init(eventID: String, seq: Int64, reportDigest: String, closedOn: LocalDate) {
        self.eventID = eventID
        self.seq = seq
        self.reportDigest = reportDigest
        self.closedOn = closedOn
    }
}

/// The close and reopen marks of one jurisdiction's month, in recording order.
public struct PeriodMarks: Sendable {
    public var jurisdiction: JurisdictionCode
    public var month: Month
    public private(set) var closes: [PeriodClose] = []
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
    public var nextReopenID: String { "reopened:\(jurisdiction.value):\(month):\(reopenCount + 1)" }
}
