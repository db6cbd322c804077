import PropertyBased
@testable import Reconciliation
import SkillsDomain
import Testing

/// For random grants and payments over three months: the lines' differences sum to paid − due, every payment of the
/// month is in exactly one line, no grant has two lines of its own, and each line's class agrees with its money.
@Suite struct PropertyTests {
    struct GrantSpec: Sendable, CustomStringConvertible {
        var payee: Int
        var amountFen: Int64
        var monthOffset: Int
        var reversed: Bool
        var description: String { "grant(payee \(payee), \(Money(fen: amountFen)), month +\(monthOffset)\(reversed ? ", reversed" : ""))" }
    }

    struct PaymentSpec: Sendable, CustomStringConvertible {
        var payee: Int
        var amountFen: Int64
        var monthOffset: Int
        var day: Int
        /// An index into the grants (beyond them: an id no grant has), or nil for no grant named.
        var grant: Int?
        var description: String { "payment(payee \(payee), \(Money(fen: amountFen)), month +\(monthOffset) day \(day), grant \(grant.map(String.init) ?? "-"))" }
    }

    static let amounts: [Int64] = [30_000, 50_000, 100_000]
    static let paymentAmounts: [Int64] = [-100_000, -50_000, 30_000, 50_000, 70_000, 100_000, 120_000]

    static let grants = zip(Gen.int(in: 0...2), Gen.int(in: 0...2), Gen.int(in: 0...2), Gen.int(in: 0...9))
        .map { GrantSpec(payee: $0.0, amountFen: amounts[$0.1], monthOffset: $0.2, reversed: $0.3 == 0) }
        .array(of: 0...8)

    static let payments = zip(Gen.int(in: 0...2), Gen.int(in: 0...6), Gen.int(in: 0...2), Gen.int(in: 1...28), Gen.int(in: -4...9))
        .map { PaymentSpec(payee: $0.0, amountFen: paymentAmounts[$0.1], monthOffset: $0.2, day: $0.3, grant: $0.4 < 0 ? nil : $0.4) }
        .array(of: 0...14)

    static let january = Month(year: 2026, month: 1)!
    static let march = Month(year: 2026, month: 3)!

    static func input(_ grants: [GrantSpec], _ payments: [PaymentSpec]) -> ReconciliationInput {
        var input = ReconciliationInput()
        for (index, spec) in grants.enumerated() {
            let period = january.adding(spec.monthOffset)
            input.grants.append(DueGrant(id: "g\(index)", payee: "payee\(spec.payee)", amount: Money(fen: spec.amountFen),
                                            period: period, occurredOn: period.lastDay, rule: "rule\(index % 2)"))
            if spec.reversed { input.reversedGrants.insert("g\(index)") }
        }
        for (index, spec) in payments.enumerated() {
            let month = january.adding(spec.monthOffset)
            input.payments.append(PaymentRecord(eventID: "paid:p\(index)", paymentID: "p\(index)", payee: "payee\(spec.payee)", amount: Money(fen: spec.amountFen),
                                                paidOn: LocalDate(year: month.year, month: month.month, day: spec.day)!,
                                                grant: spec.grant.map { "g\($0)" }))
        }
        return input
    }

    static func checkInvariants(_ report: ReconciliationReport, monthPayments: [String: Money]) {
        #expect(report.lines.map(\.difference).sum() == report.paid - report.due)
        #expect(report.paid == monthPayments.values.sum())
        let listed = report.lines.flatMap(\.payments)
        #expect(listed.count == Set(listed).count, "a payment is in two lines")
        #expect(Set(listed) == Set(monthPayments.keys), "a payment of the month is in no line")
        let ownGrants = report.lines.filter { !$0.classification.isStrayPayment }.compactMap(\.grant)
        #expect(ownGrants.count == Set(ownGrants).count, "a grant has two lines")
        for line in report.lines {
            switch line.classification {
            case .matched: #expect(line.difference == .zero)
            case .underpaid: #expect(line.difference < .zero && !line.payments.isEmpty)
            case .overpaid: #expect(line.difference > .zero)
            case .unpaid: #expect(line.payments.isEmpty && line.paid == .zero && line.due > .zero)
            case .duplicate, .wrongPayee, .revoked, .unknown: #expect(line.due == .zero && !line.payments.isEmpty)
            }
        }
        let classTotal = report.classes.map(\.1.count).reduce(0, +)
        #expect(classTotal == report.lines.count)
    }

    @Test func linesAccountForEveryFenOnce() async {
        await propertyCheck(count: 300, input: PropertyTests.grants, PropertyTests.payments) { grants, payments in
            let input = PropertyTests.input(grants, payments)
            let report = ReconciliationReport(jurisdiction: try JurisdictionCode("420300"), month: PropertyTests.march,
                                              lines: PaymentMatcher.lines(input, month: PropertyTests.march))
            var monthPayments: [String: Money] = [:]
            for payment in input.payments where PropertyTests.march.contains(payment.paidOn) { monthPayments[payment.paymentID] = payment.amount }
            PropertyTests.checkInvariants(report, monthPayments: monthPayments)
        }
    }

    /// The same through a real ledger: payout files recorded month by month, grants as events, reversals as events.
    @Test func throughTheLedgerTheSameHolds() async {
        let people = [Books.alice, Books.bob, Books.employer]
        await propertyCheck(count: 25, input: PropertyTests.grants, PropertyTests.payments) { grants, payments in
            let books = try Books()
            for (index, spec) in grants.enumerated() {
                try books.grant("g\(index)", to: people[spec.payee], Money(fen: spec.amountFen).yuanString,
                                period: PropertyTests.january.adding(spec.monthOffset).description)
                if spec.reversed { try books.reverse("g\(index)") }
            }
            var monthPayments: [String: Money] = [:]
            for offset in 0...2 {
                let month = PropertyTests.january.adding(offset)
                let rows = payments.enumerated().filter { $0.element.monthOffset == offset }.map { index, spec in
                    let date = LocalDate(year: month.year, month: month.month, day: spec.day)!
                    return "p\(index),\(people[spec.payee]),\(Money(fen: spec.amountFen).yuanString),\(date),\(spec.grant.map { "g\($0)" } ?? ""),"
                }
                if offset == 2 { for (index, spec) in payments.enumerated() where spec.monthOffset == 2 { monthPayments["p\(index)"] = Money(fen: spec.amountFen) } }
                if !rows.isEmpty { try await books.pay(month.description, rows) }
            }
            PropertyTests.checkInvariants(try await books.reconcile("2026-03"), monthPayments: monthPayments)
        }
    }
}
