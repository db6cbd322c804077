import Reconciliation
import SkillsDomain
import Testing

/// Returned payments (退回) reopen what they returned; what is not paid carries to the next month.
@Suite struct ReturnsAndCarryOverTests {
    @Test func aReturnReopensTheGrantItPaidAndTheGrantIsDueAgainNextMonth() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-02")
        try await books.pay("2026-02", ["p1,\(Books.alice),1000,2026-02-20,,"])
        #expect(try await books.reconcile("2026-02").line(grant: "g1")?.classification == .matched)

        try await books.pay("2026-03", ["p1-back,\(Books.alice),-1000,2026-03-03,,"])
        let march = try await books.reconcile("2026-03")
        let reopened = try #require(march.line(grant: "g1"))
        #expect(reopened.classification == .underpaid)
        #expect(reopened.payments == ["p1-back"])
        #expect((reopened.due, reopened.paid) == (.zero, yuan("-1000")))
        #expect(march.total(of: .underpaid).amount == yuan("1000"))

        let april = try await books.reconcile("2026-04")
        #expect(april.line(grant: "g1", .unpaid)?.due == yuan("1000"))
    }

    @Test func aReturnedDuplicateSettlesTheDuplicateAndReopensNothing() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-03")
        try await books.pay("2026-03", [
            "p1,\(Books.alice),1000,2026-03-10,g1,", "p2,\(Books.alice),1000,2026-03-11,g1,", "p2-back,\(Books.alice),-1000,2026-03-20,g1,",
        ])
        let report = try await books.reconcile("2026-03")
        #expect(report.line(grant: "g1", .matched)?.payments == ["p1"])
        let duplicate = try #require(report.line(payment: "p2"))
        #expect(duplicate.classification == .duplicate)
        #expect(duplicate.payments == ["p2", "p2-back"])
        #expect(duplicate.paid == .zero)
        #expect(!report.hasDiscrepancies)
        #expect(try await books.reconcile("2026-04").lines.isEmpty)
    }

    @Test func anEarlierMonthsDuplicateReturnedLaterReopensNothing() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-02")
        try await books.pay("2026-02", ["p1,\(Books.alice),1000,2026-02-10,,", "p2,\(Books.alice),1000,2026-02-11,,"])
        try await books.pay("2026-03", ["p2-back,\(Books.alice),-1000,2026-03-05,,"])
        let march = try await books.reconcile("2026-03")
        #expect(march.lines.count == 1)
        #expect(march.line(payment: "p2-back")?.classification == .duplicate)
        #expect(march.line(payment: "p2-back")?.paid == yuan("-1000"))
        #expect(try await books.reconcile("2026-04").lines.isEmpty)
    }

    @Test func returningAnOverpaymentSettlesTheGrant() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-02")
        try await books.pay("2026-02", ["p1,\(Books.alice),1200,2026-02-10,,"])
        try await books.pay("2026-03", ["p1-excess,\(Books.alice),-200,2026-03-05,,"])
        let march = try await books.reconcile("2026-03")
        let line = try #require(march.line(grant: "g1"))
        #expect(line.classification == .matched)
        #expect((line.due, line.paid, line.difference) == (yuan("-200"), yuan("-200"), .zero))
    }

    @Test func aReturnOfMoneyNeverPaidIsUnknown() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-03")
        try await books.pay("2026-03", ["r1,\(Books.alice),-300,2026-03-05,,", "r2,\(Books.alice),-300,2026-03-06,g1,"])
        let report = try await books.reconcile("2026-03")
        #expect(report.line(payment: "r1")?.classification == .unknown)
        #expect(report.line(payment: "r2")?.classification == .unknown)
        #expect(report.line(grant: "g1", .unpaid)?.due == yuan("1000"))
    }

    @Test func unpaidAndUnderpaidGrantsCarryAcrossThreeMonths() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-01")
        try books.grant("g2", to: Books.bob, "500", period: "2026-02")

        let january = try await books.reconcile("2026-01")
        #expect(january.line(grant: "g1")?.classification == .unpaid)
        #expect(january.due == yuan("1000"))

        try await books.pay("2026-02", ["p1,\(Books.alice),400,2026-02-15,g1,"])
        let february = try await books.reconcile("2026-02")
        #expect(february.line(grant: "g1")?.classification == .underpaid)
        #expect(february.line(grant: "g2")?.classification == .unpaid)
        #expect((february.due, february.paid) == (yuan("1500"), yuan("400")))

        try await books.pay("2026-03", ["p2,\(Books.alice),600,2026-03-15,,"])
        let march = try await books.reconcile("2026-03")
        let g1 = try #require(march.line(grant: "g1"))
        #expect(g1.classification == .matched)
        #expect((g1.due, g1.paid) == (yuan("600"), yuan("600")))
        #expect(march.line(grant: "g2", .unpaid)?.due == yuan("500"))
        #expect((march.due, march.paid, march.difference) == (yuan("1100"), yuan("600"), yuan("-500")))
        #expect(march.total(of: .matched).amount == yuan("600"))
    }

    @Test func aPaymentOfAnEarlierMonthOnlyMatchedGrantsDueByThen() async throws {
        let books = try Books()
        try await books.pay("2026-01", ["early,\(Books.alice),1000,2026-01-10,,"])
        try books.grant("g1", to: Books.alice, "1000", period: "2026-02")
        // January's payment had no grant in January (unknown then): it does not pay February's grant.
        #expect(try await books.reconcile("2026-01").line(payment: "early")?.classification == .unknown)
        #expect(try await books.reconcile("2026-02").line(grant: "g1")?.classification == .unpaid)
    }
}
