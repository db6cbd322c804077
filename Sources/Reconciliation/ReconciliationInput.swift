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

    /// Reads the ledger as it stood up to (not including) `cutoff`, when given.
    ///
    /// Choices, documented here because the report depends on them:
    /// - A grant belongs to `jurisdiction` when its `data.jurisdiction` lies inside it (or, without one, its source does).
    /// - A clawback (a grant with `clawback_of`, negative) is not a due line: it withdraws the grant it names, which
    ///   then counts as reversed (not due; payments against it are `revoked`). The money comes back as a returned
    ///   payment against the original grant. Counting the negative amount as due as well would withdraw it twice.
    /// - Any other grant with an amount of zero or less owes nothing and is left out.
    /// - A reversed `subsidy.paid` event is a payment recorded in error: it does not count.
    static func load(_ store: LedgerStore, jurisdiction: JurisdictionCode, month: Month, before cutoff: Int64?) throws -> ReconciliationInput {
        var input = ReconciliationInput()
        var reversalTargets: Set<String> = []
        var paymentEventIDs: [String] = []
        try store.forEachEvent(kinds: [.subsidyGranted, .subsidyPaid, .eventReversed]) { stored in
            if let cutoff, stored.seq >= cutoff { return }
            let event = stored.event
            switch event.kind {
            case .eventReversed:
                if let target = event.data.text("target") { reversalTargets.insert(target) }
            case .subsidyGranted:
                input.addGrant(event, jurisdiction: jurisdiction, month: month)
            case .subsidyPaid:
                if let payment = payment(event, jurisdiction: jurisdiction, month: month) {
                    input.payments.append(payment)
                    paymentEventIDs.append(event.id)
                }
            default:
                break
            }
        }
        input.settleReversals(reversalTargets, paymentEventIDs: paymentEventIDs)
        return input
    }

    mutating func addGrant(_ event: Event, jurisdiction: JurisdictionCode, month: Month) {
        let data = event.data
        if let original = data.text("clawback_of") {
            clawbacks[event.id] = original
            return
        }
        guard let amount = data.money("amount"), amount > .zero, let period = data.month("period"), period <= month,
              let payee = data.text("payee"), ReconciliationInput.belongs(event, to: jurisdiction) else { return }
        grants.append(GrantRecord(id: event.id, payee: payee, amount: amount, period: period, occurredOn: event.occurredOn,
                                  rule: data.text("rule") ?? ""))
    }

    static func payment(_ event: Event, jurisdiction: JurisdictionCode, month: Month) -> PaymentRecord? {
        let data = event.data
        guard event.occurredOn.yearMonth <= month, belongs(event, to: jurisdiction), let amount = data.money("amount"),
              let payee = data.text("payee") else { return nil }
        return PaymentRecord(paymentID: data.text("payment") ?? event.id, payee: payee, amount: amount, paidOn: event.occurredOn,
                             grant: data.text("grant"))
    }

    static func belongs(_ event: Event, to jurisdiction: JurisdictionCode) -> Bool {
        let text = event.data.text("jurisdiction") ?? event.source
        guard let code = try? JurisdictionCode(text) else { return false }
        return jurisdiction.contains(code)
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
