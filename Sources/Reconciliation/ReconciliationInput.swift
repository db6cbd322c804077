import Ledger
import SkillsDomain

/// A grant that can be due in the reconciled jurisdiction.
struct GrantRecord: Sendable {
    var id: String
    var payee: String
    var amount: Money
    var period: Month
    var occurredOn: LocalDate
    var rule: String
}

/// A recorded payment (a `subsidy.paid` event) of the reconciled jurisdiction.
struct PaymentRecord: Sendable {
    var paymentID: String
    var payee: String
    var amount: Money
    var paidOn: LocalDate
    var grant: String?
}

/// What reconciliation reads from the ledger, in one pass over the money events: the jurisdiction's grants up to the
/// month, its payments up to the month, and which grants are reversed. Payees stay as the chain records them.
struct ReconciliationInput: Sendable {
    var grants: [GrantRecord] = []
    var payments: [PaymentRecord] = []
    /// Grant ids reversed by an `event.reversed` or withdrawn by a clawback grant.
    var reversedGrants: Set<String> = []
    /// Clawback grant id → the grant it withdraws, so that a payment naming a clawback is read as naming the
    /// withdrawn grant.
    var clawbacks: [String: String] = [:]

    /// Reads the ledger as it stood before event `cutoff` (a seq).
    ///
    /// Choices, documented here because the report depends on them:
    /// - A grant belongs to `jurisdiction` when its `data.jurisdiction` lies inside it (or, without one, its source does).
    /// - A clawback (a grant with `clawback_of`, negative) is not a due line: it withdraws the grant it names, which
    ///   then counts as reversed (not due; payments against it are `revoked`). The money comes back as a returned
    ///   payment against the original grant. Counting the negative amount as due as well would withdraw it twice.
    /// - Any other grant with an amount of zero or less owes nothing and is left out.
    /// - A reversed `subsidy.paid` event is a payment recorded in error: it does not count.
    static func load(_ store: LedgerStore, jurisdiction: JurisdictionCode, month: Month, before cutoff: Int64) throws -> ReconciliationInput {
        var input = ReconciliationInput()
        var reversalTargets: Set<String> = []
        var paymentEventIDs: [String] = []
        try MoneyEventRow.forEach(in: store, before: cutoff) { row in
            switch row.kind {
            case .eventReversed:
                if let target = row.target { reversalTargets.insert(target) }
            case .subsidyGranted:
                try input.addGrant(row, jurisdiction: jurisdiction, month: month)
            case .subsidyPaid:
                if let payment = try payment(row, jurisdiction: jurisdiction, month: month) {
                    input.payments.append(payment)
                    paymentEventIDs.append(row.id)
                }
            default:
                break
            }
        }
        input.settleReversals(reversalTargets, paymentEventIDs: paymentEventIDs)
        return input
    }

    mutating func addGrant(_ row: MoneyEventRow, jurisdiction: JurisdictionCode, month: Month) throws {
        if let original = row.clawbackOf {
            clawbacks[row.id] = original
            return
        }
        guard let period = try row.period(), period <= month, row.belongs(to: jurisdiction) else { return }
        let amount = try row.amount()
        guard amount > .zero else { return }
        grants.append(GrantRecord(id: row.id, payee: try row.payee(), amount: amount, period: period, occurredOn: row.occurredOn,
                                  rule: row.rule ?? ""))
    }

    static func payment(_ row: MoneyEventRow, jurisdiction: JurisdictionCode, month: Month) throws -> PaymentRecord? {
        guard row.occurredOn.yearMonth <= month, row.belongs(to: jurisdiction) else { return nil }
        return PaymentRecord(paymentID: row.payment ?? row.id, payee: try row.payee(), amount: try row.amount(), paidOn: row.occurredOn,
                             grant: row.grant)
    }

    /// A grant is withdrawn by a reversal of it, or by a clawback that is not itself reversed; reversed payments drop out.
    mutating func settleReversals(_ targets: Set<String>, paymentEventIDs: [String]) {
        reversedGrants = targets
        for (clawback, original) in clawbacks where !targets.contains(clawback) { reversedGrants.insert(original) }
        if !targets.isEmpty {
            payments = zip(payments, paymentEventIDs).filter { !targets.contains($0.1) }.map(\.0)
        }
    }
}
