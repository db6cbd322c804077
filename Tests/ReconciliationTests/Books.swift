import Foundation
import Intake
import Ledger
import LedgerTesting
import Reconciliation
import SkillsDomain

/// A jurisdiction's books for a test: a temporary ledger where grants are written directly as `subsidy.granted`
/// events (the rules engine is not under test here), payout files are loaded and months reconciled.
final class Books: Sendable {
    let ledger: TemporaryLedger
    let reconciler: Reconciler
    let jurisdiction: JurisdictionCode

    static let header = "payment_id,payee,amount,paid_on,grant,bank_ref"
    /// Two workers of the public contract scenario and two more.
    static let alice = "420304198606060136"
    static let bob = "420305199802140249"
    static let carol = CitizenID.withCheckCharacter("42030219900101011")
    static let dave = CitizenID.withCheckCharacter("42030319850505023")
    static let employer = CreditCode.withCheckCharacter("91420300MA1A2B3C9")

    init(jurisdiction: String = "420300") throws {
        ledger = try TemporaryLedger()
        reconciler = Reconciler(store: ledger.store)
        self.jurisdiction = try JurisdictionCode(jurisdiction)
    }

    var store: LedgerStore { ledger.store }

    static func payee(_ text: String) throws -> FieldValue {
        CitizenID.looksLikeOne(text) ? .person(.citizen(try CitizenID(text))) : .text(text)
    }

    /// Records a grant as the rules engine would.
    func grant(_ id: String, to payee: String, _ amount: String, period: String, jurisdiction: String = "420304",
               rule: String = "skill-upgrade", clawbackOf: String? = nil, adjusts: String? = nil) throws {
        let month = try Month(parsing: period)
        var fields: [(String, FieldValue)] = [
            ("rule", .text(rule)), ("policy", .text("national-skill-upgrade")), ("period", .month(month)),
            ("payee", try Books.payee(payee)), ("amount", .money(try Money(yuan: amount))), ("evidence", .list([])),
            ("explanation", .text("技能提升补贴 skill-upgrade subsidy")), ("jurisdiction", .text(jurisdiction)),
        ]
        if let clawbackOf { fields.append(("clawback_of", .text(clawbackOf))) }
        if let adjusts { fields.append(("adjusts", .text(adjusts))) }
        let event = Event(id: id, kind: .subsidyGranted, occurredOn: month.lastDay, source: self.jurisdiction.value, data: EventData(fields))
        try store.append([Submission(event: event, origin: "test")], operatorName: "test")
    }

    func reverse(_ target: String, on date: String = "2026-03-01") throws {
        let event = Event(id: "rev:" + target, kind: .eventReversed, occurredOn: try LocalDate(parsing: date), source: jurisdiction.value,
                          data: EventData([("target", .text(target)), ("reason", .text("录入错误 keyed in error"))]))
        try store.append([Submission(event: event, origin: "test")], operatorName: "test")
    }

    /// Loads a payout file for `month` made of `rows` (CSV lines without the header).
    @discardableResult
    func pay(_ month: String, _ rows: [String], file: String? = nil) async throws -> PaymentRecording {
        let path = try ledger.file(file ?? "payments-\(month)-\(UUID().uuidString.prefix(8)).csv",
                                   ([Books.header] + rows).joined(separator: "\n") + "\n")
        return try await reconciler.recordPayments(file: path, jurisdiction: jurisdiction, month: try Month(parsing: month), operatorName: "test")
    }

    func reconcile(_ month: String) async throws -> ReconciliationReport {
        try await reconciler.reconcile(jurisdiction: jurisdiction, month: try Month(parsing: month))
    }

    /// How a payee appears in report lines (the chain's pseudonym for a person).
    func chained(_ payee: String) throws -> String {
        CitizenID.looksLikeOne(payee) ? store.pseudonym(for: try CitizenID(payee)) : payee
    }

    var eventCount: Int64 { get throws { try store.digest().count } }
}

extension ReconciliationReport {
    func line(grant: String, _ classification: ReconciliationClass? = nil) -> ReconciliationLine? {
        lines.first { $0.grant == grant && (classification == nil || $0.classification == classification) }
    }

    func lines(_ classification: ReconciliationClass) -> [ReconciliationLine] {
        lines.filter { $0.classification == classification }
    }

    func line(payment: String) -> ReconciliationLine? {
        lines.first { $0.payments.contains(payment) }
    }
}

func yuan(_ text: String) -> Money { try! Money(yuan: text) }
