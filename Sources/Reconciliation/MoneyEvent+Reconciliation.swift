import Ledger
import SkillsDomain

/// The checked values reconciliation reads from a grant, payment or reversal: a stored value that does not read back
/// is an integrity failure, as in the ledger's own reads.
extension MoneyEvent {
    func amount() throws -> Money {
        guard let amountText, let money = try? Money(yuan: amountText) else {
            throw MoneyEvent.unreadable(seq, id, "the stored amount \(amountText ?? "(none)") is not a yuan amount")
        }
        return money
    }

    func period() throws -> Month? {
        guard let periodText else { return nil }
        guard let month = try? Month(parsing: periodText) else {
            throw MoneyEvent.unreadable(seq, id, "the stored period \(periodText) is not a month")
        }
        return month
    }

    func payee() throws -> String {
        guard let payeeText, !payeeText.isEmpty else { throw MoneyEvent.unreadable(seq, id, "the stored payee is missing") }
        return payeeText
    }

    /// Whether the event's `data.jurisdiction` (or, without one, its source) lies inside `jurisdiction`.
    func belongs(to jurisdiction: JurisdictionCode) -> Bool {
        guard let code = try? JurisdictionCode(self.jurisdiction ?? source) else { return false }
        return jurisdiction.contains(code)
    }
}
