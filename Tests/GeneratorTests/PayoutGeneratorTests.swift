import Foundation
import Generator
import Intake
import SkillsDomain
import Testing

@Suite struct PayoutGeneratorTests {
    static func grants(_ count: Int) -> [PayoutGrant] {
        (0..<count).map { index in
            // Every third grant goes to the payee of the grant before it, so that single- and several-grant payees
            // both occur; (p % 12, p / 12 % 28, p / 336) is a distinct birth date and sequence for each payee p.
            let person = index % 3 == 2 ? index - 1 : index
            let body = "4203021980" + String(format: "%02d%02d%03d", person % 12 + 1, person / 12 % 28 + 1, person / 336)
            return PayoutGrant(id: "grant:g\(index)", payee: CitizenID.withCheckCharacter(body),
                               amount: Money(yuanWhole: Int64(1_000 + index % 3 * 500)))
        }
    }

    @Test func sameGrantsAndSeedGiveByteIdenticalFiles() throws {
        let first = temporaryDirectory(), second = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: first); try? FileManager.default.removeItem(atPath: second) }
        let month = try Month(parsing: "2026-06")
        let grants = PayoutGeneratorTests.grants(3_000)
        let mix = try PayoutGenerator(month: month, seed: 9).write(grants: grants, to: first)
        _ = try PayoutGenerator(month: month, seed: 9).write(grants: grants.reversed(), to: second)
        #expect(try contents(first) == contents(second))
        #expect(mix.actions.values.reduce(0, +) == 3_000)
    }

    /// The payout file is one `reconcile` accepts: every row valid, every date in the month, and every action of the
    /// known mix present.
    @Test func thePayoutFileIsValidAndHoldsEveryDiscrepancy() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let month = try Month(parsing: "2026-06")
        let mix = try PayoutGenerator(month: month, seed: 4).write(grants: PayoutGeneratorTests.grants(5_000), to: directory)
        let rows = try PaymentFileReader(path: directory + "/payments-2026-06.csv", month: month).readAll()
        #expect(rows.count == mix.payments)
        #expect(Set(rows.map(\.paymentID)).count == rows.count)
        #expect(rows.contains { $0.amount.isNegative })
        for action in PayoutAction.allCases { #expect((mix.actions[action.rawValue] ?? 0) > 0, "no \(action) in the mix") }
        #expect(mix.unknown > 0)
        let expected = mix.expectedClasses
        // Every grant has exactly one grant line: matched, underpaid, overpaid or unpaid.
        #expect(expected["matched"]! + expected["underpaid"]! + expected["overpaid"]! + expected["unpaid"]! == 5_000)
    }

    /// A payout file per month, each recorded by `reconcile` beside the earlier ones: no payment id of one month's
    /// file is one of another month's (each would be refused as an id already recorded with other content).
    @Test func successiveMonthsNameTheirPaymentsApart() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var seen: Set<String> = []
        for text in ["2026-06", "2026-07", "2027-06"] {
            let month = try Month(parsing: text)
            _ = try PayoutGenerator(month: month, seed: 4).write(grants: PayoutGeneratorTests.grants(200), to: directory)
            let rows = try PaymentFileReader(path: directory + "/payments-\(text).csv", month: month).readAll()
            let ids = Set(rows.map(\.paymentID))
            #expect(ids.count == rows.count && ids.isDisjoint(with: seen), "\(text)")
            #expect(rows.allSatisfy { $0.paymentID.hasPrefix("P" + text.replacingOccurrences(of: "-", with: "")) })
            seen.formUnion(ids)
        }
    }
}
