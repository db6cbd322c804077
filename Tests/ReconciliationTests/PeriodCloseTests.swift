import Intake
import Ledger
import LedgerTesting
import Reconciliation
import SkillsDomain
import Testing

/// Closing a month, reproducing it, refusing payments in it, reopening it; payment ids that conflict.
@Suite struct PeriodCloseTests {
    static let closeDay = LocalDate(year: 2026, month: 4, day: 2)!

    func closedMarch() async throws -> (Books, ReconciliationReport) {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-03")
        try books.grant("g2", to: Books.bob, "1000", period: "2026-03")
        try await books.pay("2026-03", ["p1,\(Books.alice),1000,2026-03-25,,"], file: "march.csv")
        let report = try await books.reconcile("2026-03")
        let outcome = try await books.reconciler.close(report, operatorName: "finance", on: PeriodCloseTests.closeDay)
        guard case .closed(let close) = outcome else { Issue.record("not closed: \(outcome)"); return (books, report) }
        #expect(close.eventID == "closed:420300:2026-03:1")
        #expect(close.reportDigest == report.digest)
        return (books, report)
    }

    @Test func closingRecordsTheDigestAndTotals() async throws {
        let (books, report) = try await closedMarch()
        let stored = try #require(try books.store.event(id: "closed:420300:2026-03:1")).event
        #expect(stored.kind == .periodClosed)
        #expect(stored.data.text("report_digest") == report.digest)
        #expect(stored.data.money("due") == yuan("2000"))
        #expect(stored.data.money("paid") == yuan("1000"))
        #expect(stored.data.money("difference") == yuan("-1000"))
    }

    @Test func reconcilingAClosedMonthAgainReproducesTheReportAndDigest() async throws {
        let (books, report) = try await closedMarch()
        // Later events (a reversal of a March grant) do not change the closed month's report.
        try books.reverse("g2", on: "2026-04-05")
        try await books.reconciler.recordPayments(file: books.ledger.path("march.csv"), jurisdiction: books.jurisdiction,
                                            month: try Month(parsing: "2026-03"), operatorName: "finance")
        let again = try await books.reconcile("2026-03")
        #expect(again.digest == report.digest)
        #expect(again.lines == report.lines)
        #expect(again.closedBy?.eventID == "closed:420300:2026-03:1")
        #expect(try await books.reconciler.close(again, operatorName: "finance", on: PeriodCloseTests.closeDay) == .alreadyClosed(again.closedBy!))
    }

    @Test func aPaymentDatedInAClosedMonthIsRefusedAndNothingIsWritten() async throws {
        let (books, _) = try await closedMarch()
        let before = try books.eventCount
        let error = await #expect(throws: LedgerError.self) {
            try await books.pay("2026-03", ["p1,\(Books.alice),1000,2026-03-25,,", "p2,\(Books.bob),1000,2026-03-28,,"])
        }
        let message = error.map { "\($0)" } ?? ""
        #expect(message.contains("2026-03 is closed for 420300"))
        #expect(message.contains(":3:"))
        #expect(message.contains("reopen"))
        #expect(try books.eventCount == before)
    }

    @Test func reopeningAcceptsPaymentsAgainAndTheMonthCanBeClosedAnew() async throws {
        let (books, _) = try await closedMarch()
        let reopened = try await books.reconciler.reopen(jurisdiction: books.jurisdiction, month: try Month(parsing: "2026-03"),
                                                   reason: "银行补发 the bank paid late", operatorName: "finance", on: PeriodCloseTests.closeDay)
        #expect(reopened == "reopened:420300:2026-03:1")
        try await books.pay("2026-03", ["p2,\(Books.bob),1000,2026-03-28,,"])
        let report = try await books.reconcile("2026-03")
        #expect(report.closedBy == nil)
        #expect(!report.hasDiscrepancies)
        let outcome = try await books.reconciler.close(report, operatorName: "finance", on: PeriodCloseTests.closeDay)
        #expect(outcome == .closed(PeriodClose(eventID: "closed:420300:2026-03:2", seq: try books.eventCount, reportDigest: report.digest,
                                               closedOn: PeriodCloseTests.closeDay)))
    }

    @Test func anOpenMonthCannotBeReopenedAndAReopeningNeedsAReason() async throws {
        let books = try Books()
        let march = try Month(parsing: "2026-03")
        await #expect(throws: LedgerError.self) {
            try await books.reconciler.reopen(jurisdiction: books.jurisdiction, month: march, reason: "why not", operatorName: "f", on: PeriodCloseTests.closeDay)
        }
        let (closed, _) = try await closedMarch()
        await #expect(throws: ValueError.self) {
            try await closed.reconciler.reopen(jurisdiction: closed.jurisdiction, month: march, reason: "  ", operatorName: "f", on: PeriodCloseTests.closeDay)
        }
    }

    @Test func closingIsRefusedWhenTheLedgerChangedSinceTheReport() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-03")
        let report = try await books.reconcile("2026-03")
        try await books.pay("2026-03", ["p1,\(Books.alice),1000,2026-03-25,,"])
        await #expect(throws: LedgerError.self) { try await books.reconciler.close(report, operatorName: "f", on: PeriodCloseTests.closeDay) }
    }

    @Test func loadingTheSameFileTwiceRecordsNothingNew() async throws {
        let books = try Books()
        let rows = ["p1,\(Books.alice),1000,2026-03-25,,BK1", "p2,\(Books.bob),500,2026-03-26,,BK2"]
        let first = try await books.pay("2026-03", rows)
        let second = try await books.pay("2026-03", rows)
        #expect((first.result.recorded, first.result.alreadyRecorded) == (2, 0))
        #expect((second.result.recorded, second.result.alreadyRecorded) == (0, 2))
        #expect(try books.store.event(id: "paid:p1")?.event.data.text("bank_ref") == "BK1")
    }

    @Test func aPaymentIdRecordedWithOtherContentRefusesTheWholeFile() async throws {
        let books = try Books()
        try await books.pay("2026-03", ["p1,\(Books.alice),1000,2026-03-25,,"])
        let before = try books.eventCount
        let error = await #expect(throws: LedgerError.self) {
            try await books.pay("2026-03", ["p9,\(Books.bob),500,2026-03-26,,", "p1,\(Books.alice),1200,2026-03-25,,"])
        }
        guard case .conflicts(let conflicts)? = error else { Issue.record("expected conflicts, got \(String(describing: error))"); return }
        #expect(conflicts.map(\.id) == ["paid:p1"])
        #expect(conflicts.first?.origin.hasSuffix(":3") == true)
        #expect(try books.eventCount == before)
        #expect(try books.store.event(id: "paid:p9") == nil)
    }
}
