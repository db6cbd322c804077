import SkillsDomain

/// A grant as the payout generator sees it: its event id, the real payee (公民身份号码 or 统一社会信用代码) and the amount.
public struct PayoutGrant: Sendable, Hashable {
    /// The grant's event id (a `subsidy.granted` event).
    public var id: String
    /// The real payee as the bank's file writes it: a 公民身份号码 or a 统一社会信用代码.
    public var payee: String
    /// The amount granted (`Money`, in fen).
    public var amount: Money

    /// A grant from its parts.
    public init(id: String, payee: String, amount: Money) {
        self.id = id
        self.payee = payee
        self.amount = amount
    }
}

/// What the paying bank did with each grant, chosen per grant from the seed; and the reconciliation classes those
/// actions must produce (SPEC.md "Reconciliation").
public enum PayoutAction: String, Sendable, CaseIterable {
    case matched, underpaid, overpaid, duplicate, wrongPayee = "wrong-payee", returned, unpaid

    /// Odds per 1,000 grants.
    static let weights: [PayoutAction: Int] = [.matched: 900, .underpaid: 20, .overpaid: 10, .duplicate: 10, .wrongPayee: 10,
                                               .returned: 10, .unpaid: 40]
}

/// Writes a month's payout file (payments layout) for a month's grants, with a known, seeded mix of discrepancies,
/// and the same payments as an hledger journal. Stray payments to people the ledger has never seen (`unknown`) are
/// added at 1 per 100 grants.
///
/// Every payment names its grant, except a matched payment to a payee with a single grant (the matcher then finds
/// the grant by payee and amount): so each action yields exactly the classes `expectedClasses` says.
public struct PayoutGenerator: Sendable {
    /// The month paid: the files are named after it and every `paid_on` falls on its days 1–28.
    public let month: Month
    /// The seed: the same grants, month and seed give the same files.
    public let seed: UInt64
    /// Stray payments to unknown payees per 1,000 grants: 10, one in a hundred.
    public static let unknownPerThousand = 10

    /// A generator for `month`'s payout file under `seed`.
    public init(month: Month, seed: UInt64) {
        self.month = month
        self.seed = seed
    }

    /// What was written.
    public struct Mix: Sendable, Equatable {
        /// Grants paid against: all of those given to `write(grants:to:)`.
        public var grants = 0
        /// Rows of the payout file, stray payments included.
        public var payments = 0
        /// How many grants got each `PayoutAction`, keyed by its raw value (`wrong-payee`, …).
        public var actions: [String: Int] = [:]
        /// Stray payments to payees the ledger has never seen (class `unknown`).
        public var unknown = 0

        /// The reconciliation classes these actions produce: a duplicated grant is itself matched; a returned payment
        /// leaves its grant underpaid; a payment to the wrong payee leaves its grant unpaid.
        public var expectedClasses: [String: Int] {
            let count = { (action: PayoutAction) in actions[action.rawValue] ?? 0 }
            return ["matched": count(.matched) + count(.duplicate), "underpaid": count(.underpaid) + count(.returned),
                    "overpaid": count(.overpaid), "duplicate": count(.duplicate), "wrong-payee": count(.wrongPayee),
                    "unknown": unknown, "unpaid": count(.unpaid) + count(.wrongPayee)]
        }

        /// The mix as `payments-M.mix.json` holds it: `grants`, `payments`, `actions`, `unknown_payments` and
        /// `expected_classes`.
        public var json: JSONValue {
            .object([
                JSONMember("grants", .number(String(grants))), JSONMember("payments", .number(String(payments))),
                JSONMember("actions", .object(actions.map { JSONMember($0.key, .number(String($0.value))) })),
                JSONMember("unknown_payments", .number(String(unknown))),
                JSONMember("expected_classes", .object(expectedClasses.map { JSONMember($0.key, .number(String($0.value))) })),
            ])
        }
    }

    /// Writes `payments-M.csv`, `payments-M.journal` and `payments-M.mix.json` into `directory`.
    public func write(grants unsorted: [PayoutGrant], to directory: String) throws -> Mix {
        let grants = unsorted.sorted { ($0.payee, $0.id) < ($1.payee, $1.id) }
        var grantsPerPayee: [String: Int] = [:]
        for grant in grants { grantsPerPayee[grant.payee, default: 0] += 1 }
        var output = try PayoutFiles(directory: directory, month: month)
        var random = SeededRandom(seed: seed, stream: UInt64(month.index))
        var mix = Mix(grants: grants.count)
        let actions = PayoutAction.allCases
        let weights = actions.map { PayoutAction.weights[$0]! }
        for (position, grant) in grants.enumerated() {
            let action = actions[random.weighted(weights)]
            mix.actions[action.rawValue, default: 0] += 1
            let other = grants[(position + 1 + random.int(in: 0...max(0, grants.count - 2))) % grants.count]
            let single = grantsPerPayee[grant.payee] == 1
            pay(grant, action: action, singleGrant: single, otherPayee: other.payee, random: &random, output: &output)
            if random.chance(PayoutGenerator.unknownPerThousand, in: 1_000) {
                let amount = Money(yuanWhole: Int64(random.int(in: 2...40) * 50))
                output.payment(payee: SyntheticIdentifiers.strangerID(index: mix.unknown), amount: amount, day: random.int(in: 1...20), grant: nil)
                mix.unknown += 1
            }
        }
        mix.payments = output.count
        try output.close(mix: mix)
        return mix
    }

    func pay(_ grant: PayoutGrant, action: PayoutAction, singleGrant: Bool, otherPayee: String,
             random: inout SeededRandom, output: inout PayoutFiles) {
        let day = random.int(in: 1...20)
        switch action {
        case .matched:
            output.payment(payee: grant.payee, amount: grant.amount, day: day, grant: singleGrant && random.chance(3, in: 10) ? nil : grant.id)
        case .underpaid:
            output.payment(payee: grant.payee, amount: grant.amount.scaled(by: 1, over: 2), day: day, grant: grant.id)
        case .overpaid:
            output.payment(payee: grant.payee, amount: grant.amount + Money(yuanWhole: 100), day: day, grant: grant.id)
        case .duplicate:
            output.payment(payee: grant.payee, amount: grant.amount, day: day, grant: grant.id)
            output.payment(payee: grant.payee, amount: grant.amount, day: day + random.int(in: 1...5), grant: grant.id)
        case .wrongPayee:
            // Another grant's payee is a real person or employer: the bank paid the right amount to the wrong account.
            let payee = otherPayee == grant.payee ? SyntheticIdentifiers.strangerID(index: 900_000 + day) : otherPayee
            output.payment(payee: payee, amount: grant.amount, day: day, grant: grant.id)
        case .returned:
            output.payment(payee: grant.payee, amount: grant.amount, day: day, grant: grant.id)
            output.payment(payee: grant.payee, amount: -grant.amount, day: random.int(in: 21...28), grant: grant.id)
        case .unpaid:
            break
        }
    }
}

/// The payout CSV and the journal of the same payments.
struct PayoutFiles {
    let month: Month
    let csv: BufferedFile
    let journal: BufferedFile
    let mixPath: String
    private(set) var count = 0

    init(directory: String, month: Month) throws {
        self.month = month
        csv = try BufferedFile(path: "\(directory)/payments-\(month).csv")
        journal = try BufferedFile(path: "\(directory)/payments-\(month).journal")
        mixPath = "\(directory)/payments-\(month).mix.json"
        csv.write(CSVText.row(["payment_id", "payee", "amount", "paid_on", "grant", "bank_ref"]))
    }

    mutating func payment(payee: String, amount: Money, day: Int, grant: String?) {
        count += 1
        // The month in the id (`P2026070000001`), as a bank numbers its transfers: each month's file is recorded
        // beside the earlier ones (a payment's event id is `paid:` and its id, one event for good).
        let number = "\(month.year)" + SyntheticIdentifiers.pad(month.month, 2) + SyntheticIdentifiers.pad(count, 7)
        let paymentID = "P" + number
        let date = LocalDate(year: month.year, month: month.month, day: min(day, LocalDate.daysIn(year: month.year, month: month.month)))!
        csv.write(CSVText.row([paymentID, payee, amount.yuanString, date.description, grant ?? "", "BK" + number]))
        journal.write("\(date) * payout \(paymentID)\n    assets:payees:p\(payee.lowercased())  CNY \(amount.yuanString)\n    income:subsidy\n\n")
    }

    func close(mix: PayoutGenerator.Mix) throws {
        try csv.close()
        try journal.close()
        let file = try BufferedFile(path: mixPath)
        file.write(CanonicalJSONWriter.string(mix.json) + "\n")
        try file.close()
    }
}
