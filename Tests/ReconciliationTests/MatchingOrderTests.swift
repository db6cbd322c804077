import Reconciliation
import SkillsDomain
import Testing

/// The matching order of SPEC.md: payments in paid_on, then payment_id order; with no grant named, the payee's
/// oldest open grant of exactly the payment's amount before their oldest open grant; paid in full before duplicate.
@Suite struct MatchingOrderTests {
    @Test func theGrantOfExactlyThePaymentIsTakenBeforeTheOldest() async throws {
        let books = try Books()
        try books.grant("january", to: Books.alice, "1000", period: "2026-01")
        try books.grant("february", to: Books.alice, "500", period: "2026-02")
        try await books.pay("2026-03", ["p1,\(Books.alice),500,2026-03-10,,"])
        let report = try await books.reconcile("2026-03")
        #expect(report.line(grant: "february")?.classification == .matched)
        #expect(report.line(grant: "january")?.classification == .unpaid)
    }

    @Test func withoutAnExactAmountTheOldestOpenGrantIsTaken() async throws {
        let books = try Books()
        try books.grant("january", to: Books.alice, "1000", period: "2026-01")
        try books.grant("february", to: Books.alice, "500", period: "2026-02")
        try await books.pay("2026-03", ["p1,\(Books.alice),700,2026-03-10,,"])
        let report = try await books.reconcile("2026-03")
        #expect(report.line(grant: "january")?.classification == .underpaid)
        #expect(report.total(of: .underpaid).amount == yuan("300"))
        #expect(report.line(grant: "february")?.classification == .unpaid)
    }

    @Test func amongGrantsOfTheSameAmountTheOldestIsPaidFirst() async throws {
        let books = try Books()
        try books.grant("march", to: Books.alice, "500", period: "2026-03")
        try books.grant("february", to: Books.alice, "500", period: "2026-02")
        try await books.pay("2026-03", ["p1,\(Books.alice),500,2026-03-10,,"])
        let report = try await books.reconcile("2026-03")
        #expect(report.line(grant: "february")?.classification == .matched)
        #expect(report.line(grant: "march")?.classification == .unpaid)
    }

    @Test func theEarlierPaymentPaysInFullAndTheLaterIsTheDuplicateWhateverTheFileOrder() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-03")
        try books.grant("g2", to: Books.bob, "1000", period: "2026-03")
        try await books.pay("2026-03", [
            "a-late,\(Books.alice),1000,2026-03-20,,", "z-early,\(Books.alice),1000,2026-03-05,,",
            "b-2,\(Books.bob),1000,2026-03-09,,", "b-1,\(Books.bob),1000,2026-03-09,,",
        ])
        let report = try await books.reconcile("2026-03")
        #expect(report.line(grant: "g1", .matched)?.payments == ["z-early"])
        #expect(report.line(payment: "a-late")?.classification == .duplicate)
        #expect(report.line(grant: "g2", .matched)?.payments == ["b-1"])
        #expect(report.line(payment: "b-2")?.classification == .duplicate)
    }

    @Test func aNamedGrantIsCheckedForPayeeThenReversalThenFullPayment() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-02")
        try await books.pay("2026-02", ["p0,\(Books.alice),1000,2026-02-10,g1,"])
        try books.reverse("g1")
        // Another payee naming a reversed grant paid in full: wrong payee comes first; the payee's own: revoked.
        try await books.pay("2026-03", ["p1,\(Books.bob),1000,2026-03-10,g1,", "p2,\(Books.alice),1000,2026-03-11,g1,"])
        let report = try await books.reconcile("2026-03")
        #expect(report.line(payment: "p1")?.classification == .wrongPayee)
        #expect(report.line(payment: "p2")?.classification == .revoked)
    }

    @Test func severalPaymentsCanSettleOneGrant() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "1000", period: "2026-03")
        try await books.pay("2026-03", ["p1,\(Books.alice),600,2026-03-10,,", "p2,\(Books.alice),400,2026-03-12,,"])
        let report = try await books.reconcile("2026-03")
        #expect(report.lines.count == 1)
        #expect(report.line(grant: "g1", .matched)?.payments == ["p1", "p2"])
    }
}
