import Reconciliation
import SkillsDomain
import Testing

/// Settlement adjustments (补发 / 追回) in reconciliation: arrears are due like a grant, a recovery reduces the grant
/// it adjusts (like a clawback, in part) and the overpayment stays a line until the money comes back.
@Suite struct SettlementLineTests {
    @Test func arrearsAreDueLikeAGrant() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "500", period: "2026-01")
        try await books.pay("2026-01", ["p1,\(Books.alice),500,2026-01-20,g1,"])
        try books.grant("adj:1", to: Books.alice, "100", period: "2026-07", adjusts: "g1")
        let july = try await books.reconcile("2026-07")
        #expect(july.line(grant: "adj:1", .unpaid)?.due == yuan("100"))
        try await books.pay("2026-07", ["p2,\(Books.alice),100,2026-07-20,adj:1,"])
        let paid = try await books.reconcile("2026-07")
        #expect(paid.line(grant: "adj:1")?.classification == .matched)
        #expect(!paid.hasDiscrepancies)
    }

    @Test func aRecoveryLeavesThePaidGrantOverpaidUntilTheMoneyComesBack() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "600", period: "2026-01")
        try await books.pay("2026-01", ["p1,\(Books.alice),600,2026-01-20,g1,"])
        try books.grant("adj:1", to: Books.alice, "-100", period: "2026-07", adjusts: "g1")
        #expect(try await books.reconcile("2026-01").line(grant: "g1")?.classification == .matched, "an earlier month is not rewritten")
        let july = try await books.reconcile("2026-07")
        let line = try #require(july.line(grant: "g1"))
        #expect(line.classification == .overpaid)
        #expect(july.total(of: .overpaid).amount == yuan("100"))
        #expect(try await books.reconcile("2026-08").line(grant: "g1")?.classification == .overpaid, "carried until recovered")

        try await books.pay("2026-08", ["p1-back,\(Books.alice),-100,2026-08-05,,"])
        let august = try await books.reconcile("2026-08")
        #expect(august.line(grant: "g1")?.classification == .matched)
        #expect(!august.hasDiscrepancies)
        #expect(try await books.reconcile("2026-09").lines.isEmpty)
    }

    @Test func aRecoveryBeforePaymentLowersWhatIsDue() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "600", period: "2026-06")
        try books.grant("adj:1", to: Books.alice, "-100", period: "2026-07", adjusts: "g1")
        try await books.pay("2026-07", ["p1,\(Books.alice),500,2026-07-20,adj:1,"])
        let july = try await books.reconcile("2026-07")
        #expect(july.line(grant: "g1")?.classification == .matched, "a payment naming the recovery pays the grant it reduces")
    }

    @Test func aClawbackWithdrawsTheGrantWithItsAdjustments() async throws {
        let books = try Books()
        try books.grant("g1", to: Books.alice, "500", period: "2026-01")
        try books.grant("adj:1", to: Books.alice, "100", period: "2026-07", adjusts: "g1")
        try books.grant("claw:1", to: Books.alice, "-600", period: "2026-08", clawbackOf: "g1")
        let august = try await books.reconcile("2026-08")
        #expect(august.line(grant: "g1") == nil && august.line(grant: "adj:1") == nil)
    }
}
