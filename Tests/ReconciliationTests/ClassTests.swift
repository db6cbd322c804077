import Reconciliation
import SkillsDomain
import Testing

/// Each class of SPEC.md "Reconciliation" from a small hand-made case.
@Suite struct ClassTests {
    @Test func aGrantPaidExactlyIsMatchedAndTheMonthIsClean() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-03")
        try await books.pay("2026-03", ["p1,\(Books.alice),1000.00,2026-03-25,,BK1"])
        let report = try await books.reconcile("2026-03")
        let line = try #require(report.line(grant: "g1"))
        #expect(line.classification == .matched)
        #expect(line.payments == ["p1"])
        #expect(line.payee == (try books.chained(Books.alice)))
        #expect((line.due, line.paid, line.difference) == (yuan("1000"), yuan("1000"), .zero))
        #expect(report.total(of: .matched) == ClassTotal(count: 1, amount: yuan("1000")))
        #expect(!report.hasDiscrepancies)
    }

    @Test func aGrantPaidShortIsUnderpaidByWhatIsOutstanding() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-03")
        try await books.pay("2026-03", ["p1,\(Books.alice),600,2026-03-25,,"])
        let report = try await books.reconcile("2026-03")
        let line = try #require(report.line(grant: "g1", .underpaid))
        #expect(line.difference == yuan("-400"))
        #expect(report.total(of: .underpaid) == ClassTotal(count: 1, amount: yuan("400")))
        #expect(report.hasDiscrepancies)
    }

    @Test func aGrantPaidBeyondItsAmountIsOverpaidByTheExcess() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-03")
        try await books.pay("2026-03", ["p1,\(Books.alice),1200,2026-03-25,,"])
        let report = try await books.reconcile("2026-03")
        #expect(report.line(grant: "g1")?.classification == .overpaid)
        #expect(report.total(of: .overpaid) == ClassTotal(count: 1, amount: yuan("200")))
        #expect(report.difference == yuan("200"))
    }

    @Test func aSecondPaymentOfAGrantPaidInFullIsADuplicate() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-03")
        try await books.pay("2026-03", ["p1,\(Books.alice),1000,2026-03-20,,", "p2,\(Books.alice),1000,2026-03-25,,"])
        let report = try await books.reconcile("2026-03")
        #expect(report.line(grant: "g1", .matched)?.payments == ["p1"])
        let duplicate = try #require(report.line(payment: "p2"))
        #expect(duplicate.classification == .duplicate)
        #expect(duplicate.grant == "g1")
        #expect((duplicate.due, duplicate.paid) == (.zero, yuan("1000")))
        #expect(report.total(of: .duplicate) == ClassTotal(count: 1, amount: yuan("1000")))
        #expect((report.due, report.paid) == (yuan("1000"), yuan("2000")))
    }

    @Test func namingAGrantPaidInFullInAnEarlierMonthIsADuplicate() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-02")
        try await books.pay("2026-02", ["p1,\(Books.alice),1000,2026-02-20,g1,"])
        try await books.pay("2026-03", ["p2,\(Books.alice),1000,2026-03-05,g1,"])
        let report = try await books.reconcile("2026-03")
        #expect(report.lines.count == 1)
        #expect(report.line(payment: "p2")?.classification == .duplicate)
        #expect(report.due == .zero)
    }

    @Test func aPaymentNamingAnotherPayeesGrantIsWrongPayeeAndTheGrantStaysUnpaid() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-03")
        try await books.pay("2026-03", ["p1,\(Books.bob),1000,2026-03-25,g1,"])
        let report = try await books.reconcile("2026-03")
        let wrong = try #require(report.line(payment: "p1"))
        #expect(wrong.classification == .wrongPayee)
        #expect(wrong.grant == "g1")
        #expect(wrong.payee == (try books.chained(Books.bob)))
        #expect(report.line(grant: "g1", .unpaid)?.due == yuan("1000"))
        #expect(report.total(of: .wrongPayee) == ClassTotal(count: 1, amount: yuan("1000")))
    }

    @Test func aPaymentAgainstAReversedGrantIsRevokedAndTheGrantIsNotDue() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-03")
        try books.reverse("g1")
        try await books.pay("2026-03", ["p1,\(Books.alice),1000,2026-03-25,g1,"])
        let report = try await books.reconcile("2026-03")
        #expect(report.lines.count == 1)
        #expect(report.line(payment: "p1")?.classification == .revoked)
        #expect(report.total(of: .revoked) == ClassTotal(count: 1, amount: yuan("1000")))
        #expect(report.due == .zero)
    }

    @Test func aClawbackWithdrawsItsGrantAndIsNotADueLineItself() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-02")
        try books.grant("g1-clawback", to: Books.alice, "-1000", period: "2026-03", clawbackOf: "g1")
        try await books.pay("2026-03", ["p1,\(Books.alice),1000,2026-03-25,g1-clawback,"])
        let report = try await books.reconcile("2026-03")
        #expect(report.lines.count == 1)
        let revoked = try #require(report.line(payment: "p1"))
        #expect(revoked.classification == .revoked)
        #expect(revoked.grant == "g1")
        #expect(report.due == .zero)
    }

    @Test func aPaymentNoGrantExplainsIsUnknown() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-03")
        try await books.pay("2026-03", [
            "p1,\(Books.alice),1000,2026-03-25,,", "p2,\(Books.carol),500,2026-03-25,,", "p3,\(Books.bob),300,2026-03-26,no-such-grant,",
        ])
        let report = try await books.reconcile("2026-03")
        #expect(report.line(payment: "p2")?.classification == .unknown)
        #expect(report.line(payment: "p2")?.grant == nil)
        #expect(report.line(payment: "p3")?.classification == .unknown)
        #expect(report.line(payment: "p3")?.grant == "no-such-grant")
        #expect(report.total(of: .unknown) == ClassTotal(count: 2, amount: yuan("800")))
    }

    @Test func aDueGrantWithNothingPaidIsUnpaid() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.employer, "6000", period: "2026-03", rule: "apprenticeship")
        let report = try await books.reconcile("2026-03")
        let line = try #require(report.line(grant: "g1", .unpaid))
        #expect(line.payee == Books.employer)
        #expect(line.payments.isEmpty)
        #expect(report.total(of: .unpaid) == ClassTotal(count: 1, amount: yuan("6000")))
        #expect(report.difference == yuan("-6000"))
    }

    @Test func grantsOfOtherJurisdictionsAndLaterMonthsAreNotDue() async throws {
        let books = try Books()
        try books.grant("here", to: Books.alice, "1000", period: "2026-03", jurisdiction: "420304")
        try books.grant("elsewhere", to: Books.alice, "1000", period: "2026-03", jurisdiction: "510107")
        try books.grant("later", to: Books.alice, "1000", period: "2026-04", jurisdiction: "420304")
        let report = try await books.reconcile("2026-03")
        #expect(report.lines.map(\.grant) == ["here"])
    }

    /// SPEC.md's hand-made case: one duplicate, one underpayment, one unknown payee and one returned payment.
    @Test func aMixedFileGivesEachClassAndTotalsThatAddUp() async throws {
        let books = try Books()
        try books.grant("g-alice", to: Books.alice, "1000", period: "2026-03")
        try books.grant("g-bob", to: Books.bob, "1500", period: "2026-03")
        try books.grant("g-dave", to: Books.dave, "2000", period: "2026-02")
        try await books.pay("2026-02", ["d1,\(Books.dave),2000,2026-02-25,,"])
        try await books.pay("2026-03", [
            "a1,\(Books.alice),1000,2026-03-10,,", "a2,\(Books.alice),1000,2026-03-11,,", "b1,\(Books.bob),1000,2026-03-10,,",
            "c1,\(Books.carol),800,2026-03-12,,", "d1-back,\(Books.dave),-2000,2026-03-15,,",
        ])
        let report = try await books.reconcile("2026-03")
        #expect(report.line(grant: "g-alice")?.classification == .matched)
        #expect(report.line(payment: "a2")?.classification == .duplicate)
        #expect(report.line(grant: "g-bob")?.classification == .underpaid)
        #expect(report.line(payment: "c1")?.classification == .unknown)
        let returned = try #require(report.line(grant: "g-dave"))
        #expect(returned.classification == .underpaid)
        #expect((returned.due, returned.paid) == (.zero, yuan("-2000")))
        #expect(report.due == yuan("2500"))
        #expect(report.paid == yuan("1800"))
        #expect(report.difference == yuan("-700"))
        #expect(report.total(of: .underpaid) == ClassTotal(count: 2, amount: yuan("2500")))
        #expect(report.hasDiscrepancies)
    }
}
