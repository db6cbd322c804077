import Ledger
import SkillsDomain

/// A grant that can be due in the reconciled jurisdiction, kept compact: a province holds a million of them.
struct DueGrant: Sendable {
    var packedID: PackedText
    var packedPayee: PayeeKey
    var amount: Money
    var periodIndex: Int32
    var dayNumber: Int32
    var rule: String
    /// Whether a settlement recovery (追回) reduced its amount: it then keeps a line while it is overpaid.
    var recovered = false

    init(id: String, payee: String, amount: Money, period: Month, occurredOn: LocalDate, rule: String) {
        packedID = PackedText(id)
        packedPayee = PayeeKey(payee)
        self.amount = amount
        periodIndex = Int32(period.index)
        dayNumber = Int32(occurredOn.dayNumber)
        self.rule = rule
    }

    var id: String { packedID.string }
    var payee: String { packedPayee.string }
    var period: Month { Month(index: Int(periodIndex)) }
}

/// A recorded payment (a `subsidy.paid` event) of the reconciled jurisdiction.
struct PaymentRecord: Sendable {
    var eventID: String
    var paymentID: String
    var payee: String
    var amount: Money
    var paidOn: LocalDate
    var grant: String?

    /// Matching order: `paid_on`, then `payment_id` (then the event id, should two events carry one payment id).
    static func precedes(_ lhs: PaymentRecord, _ rhs: PaymentRecord) -> Bool {
        if lhs.paidOn != rhs.paidOn { return lhs.paidOn < rhs.paidOn }
        if lhs.paymentID != rhs.paymentID { return lhs.paymentID < rhs.paymentID }
        return lhs.eventID < rhs.eventID
    }
}

/// The grants reconciliation works from: the jurisdiction's grants up to the month, which of them are reversed, and
/// the clawbacks. Payees stay as the chain records them. Payments are not held here: they stream past in matching
/// order (`forEachPayment`), so memory grows with the grants, not with the payment history.
///
/// Choices, documented here because the report depends on them:
/// - A grant belongs to the jurisdiction when its `data.jurisdiction` lies inside it (or, without one, its source does).
/// - A clawback (a grant with `clawback_of`, negative) is not a due line: it withdraws the grant it names, which then
///   counts as reversed (not due; payments against it are `revoked`), and the money comes back as returned payments.
///   Counting the negative amount as due as well would withdraw it twice. A payment naming a clawback is read as
///   naming the grant it withdraws.
/// - A settlement adjustment (`adjusts`) of arrears (补发, positive) is due like a grant. A recovery (追回, negative)
///   is, like a clawback, not a due line: it reduces the amount of the grant it adjusts, from the recovery's month
///   on; a grant paid beyond its reduced amount is `overpaid` (carried each month) until the money comes back as a
///   returned payment. A payment naming a recovery is read as naming the grant it adjusts. A grant withdrawn by a
///   clawback takes its adjustments with it (the clawback's amount is their net).
/// - Any other grant with an amount of zero or less owes nothing and is left out.
/// - A reversed `subsidy.paid` event is a payment recorded in error: it does not count.
struct ReconciliationInput: Sendable {
    var grants: [DueGrant] = []
    /// Grant ids reversed by an `event.reversed` or withdrawn by a clawback grant.
    var reversedGrants: Set<String> = []
    /// Clawback grant id → the grant it withdraws.
    var clawbacks: [String: String] = [:]
    /// Settlement adjustment id → the grant it adjusts; and the recoveries of the month or before (by their id).
    var adjustments: [String: String] = [:]
    var recoveries: [String: Money] = [:]
    /// Every id an `event.reversed` names (grants and payments alike).
    var inForce = EventsInForce()
    /// Payments held in memory, for matching without a ledger (tests); the ledger's stream past instead.
    var payments: [PaymentRecord] = []
    /// One copy of each rule name: a province has a handful of rules and a million grants.
    private var rules: [String: String] = [:]

    mutating func interned(_ rule: String) -> String {
        if let known = rules[rule] { return known }
        rules[rule] = rule
        return rule
    }

    /// Reads the grants and reversals recorded before event `cutoff` (a seq).
    static func load(_ store: any LedgerStorage, jurisdiction: JurisdictionCode, month: Month,
                     before cutoff: Int64) async throws -> ReconciliationInput {
        var input = ReconciliationInput()
        try await store.forEachGrantOrReversal(before: cutoff) { row in
            if row.kind == .eventReversed {
                if let target = row.target { input.inForce.noteReversal(row.id, of: target) }
            } else {
                try input.addGrant(row, jurisdiction: jurisdiction, month: month)
            }
        }
        input.reversedGrants = Set(input.inForce.reversedBy.keys)
        for (clawback, original) in input.clawbacks where !input.inForce.isReversed(clawback) { input.reversedGrants.insert(original) }
        for (adjustment, original) in input.adjustments where input.reversedGrants.contains(original) { input.reversedGrants.insert(adjustment) }
        input.applyRecoveries()
        return input
    }

    mutating func addGrant(_ row: MoneyEvent, jurisdiction: JurisdictionCode, month: Month) throws {
        if let original = row.clawbackOf {
            clawbacks[row.id] = original
            return
        }
        guard let period = try row.period(), period <= month, row.belongs(to: jurisdiction) else { return }
        let amount = try row.amount()
        if let adjusted = row.adjusts {
            adjustments[row.id] = adjusted
            if amount < .zero {
                recoveries[row.id] = amount
                return
            }
        }
        guard amount > .zero else { return }
        grants.append(DueGrant(id: row.id, payee: try row.payee(), amount: amount, period: period, occurredOn: row.occurredOn,
                                  rule: interned(row.rule ?? "")))
    }

    /// Reduces each grant by the recoveries in force that adjust it (one pass over the grants, only when there are
    /// some), once every reversal has been read.
    mutating func applyRecoveries() {
        var byGrant: [String: Money] = [:]
        for (recovery, amount) in recoveries where !inForce.isReversed(recovery) {
            if let original = adjustments[recovery] { byGrant[original, default: .zero] += amount }
        }
        guard !byGrant.isEmpty else { return }
        for index in grants.indices {
            guard let recovered = byGrant[grants[index].id] else { continue }
            grants[index].amount += recovered
            grants[index].recovered = true
        }
    }

    /// The jurisdiction's payments up to the end of `month` recorded before `cutoff`, in matching order, reversed
    /// ones left out.
    func forEachPayment(_ store: any LedgerStorage, jurisdiction: JurisdictionCode, month: Month, before cutoff: Int64,
                        _ body: (PaymentRecord) throws -> Void) async throws {
        try await store.forEachPayment(through: month.lastDay, before: cutoff) { row in
            guard !inForce.isReversed(row.id), row.belongs(to: jurisdiction) else { return }
            try body(PaymentRecord(eventID: row.id, paymentID: row.payment ?? row.id, payee: try row.payee(), amount: try row.amount(),
                                   paidOn: row.occurredOn, grant: row.grant))
        }
    }
}
