import Foundation
import Intake
import Ledger
import LedgerTesting
import Reconciliation
import SkillsDomain
import Testing

/// The bank's payout file: every bad row reported with its line and field, the whole file refused; Chinese headers
/// and GB18030 as Excel on Chinese Windows writes them.
@Suite struct PaymentFileTests {
    static let march = Month(year: 2026, month: 3)!
    static let gb18030 = String.Encoding(rawValue: 0x8000_0632)

    func refusal(_ path: String) -> IntakeError? {
        do {
            _ = try PaymentFileReader(path: path, month: PaymentFileTests.march).readAll()
            return nil
        } catch let error as IntakeError { return error } catch { return nil }
    }

    @Test func aGoodFileGivesTypedRows() throws {
        let ledger = try TemporaryLedger()
        let path = try ledger.file("p.csv", """
            payment_id,payee,amount,paid_on,grant,bank_ref
            p1,\(Books.alice),1000.00,2026-03-25,g1,BK0325001
            p2,\(Books.employer),-200.5,2026/3/26,,

            """)
        let rows = try PaymentFileReader(path: path, month: PaymentFileTests.march).readAll()
        #expect(rows == [
            PaymentRow(paymentID: "p1", payee: .person(.citizen(try CitizenID(Books.alice))), amount: yuan("1000"),
                       paidOn: LocalDate(year: 2026, month: 3, day: 25)!, grant: "g1", bankRef: "BK0325001", line: 2),
            PaymentRow(paymentID: "p2", payee: .organisation(Books.employer), amount: yuan("-200.50"),
                       paidOn: LocalDate(year: 2026, month: 3, day: 26)!, line: 3),
        ])
    }

    @Test func aCallerThatIgnoresTheOutcomeStillCannotRecordPartOfABadFile() throws {
        let ledger = try TemporaryLedger()
        let path = try ledger.file("p.csv", """
            payment_id,payee,amount,paid_on,grant,bank_ref
            p1,\(Books.alice),1000.00,2026-03-25,,
            p2,\(Books.alice),lots,2026-03-25,,
            p3,\(Books.employer),200.00,2026-03-26,,

            """)
        var handedOn = 0
        #expect {
            try ledger.store.append(operatorName: "careless") { sink in
                _ = try PaymentFileReader(path: path, month: PaymentFileTests.march).read { row in
                    try sink.add(Submission(event: Reconciler.paymentEvent(row, jurisdiction: try JurisdictionCode("420300")), origin: "p.csv"))
                    handedOn += 1
                }
            }
        } throws: { error in
            (error as? IntakeError)?.issues.map(\.line) == [3]
        }
        #expect(handedOn == 1)
        #expect(try ledger.store.digest().count == 0)
    }

    @Test func everyBadRowIsListedWithItsLineAndField() throws {
        let ledger = try TemporaryLedger()
        let longID = String(repeating: "x", count: 60)
        let badCheck = String(Books.alice.dropLast()) + (Books.alice.hasSuffix("6") ? "7" : "6")
        let path = try ledger.file("p.csv", """
            payment_id,payee,amount,paid_on,grant,bank_ref
            ok-1,\(Books.alice),1000,2026-03-25,,
            p2,\(badCheck),1000,2026-03-25,,
            p3,\(Books.bob),0,2026-03-25,,
            p4,\(Books.bob),12.345,2026-02-30,,
            p5,\(Books.bob),100,2026-04-01,,
            \(longID),\(Books.bob),100,2026-03-01,bad grant id,
            p7,\(Books.bob),100
            ,,,,,

            """)
        let error = try #require(refusal(path))
        let found = error.issues.map { "\($0.line) \($0.field ?? "-")" }
        #expect(found == ["3 payee", "4 amount", "5 amount", "5 paid_on", "6 paid_on", "7 payment_id", "7 grant", "8 -"])
        #expect(error.description.contains("p.csv:6: field paid_on: expected a date in 2026-03"))
    }

    @Test func aRowWithNothingInItIsSkippedButMissingRequiredFieldsAreNamed() throws {
        let ledger = try TemporaryLedger()
        let path = try ledger.file("p.csv", "payment_id,payee,amount,paid_on\n,,5,\n")
        let error = try #require(refusal(path))
        #expect(error.issues.map(\.field) == ["payment_id", "payee", "paid_on"])
        #expect(error.issues.allSatisfy { $0.line == 2 && $0.message.contains("required") })
    }

    @Test func chineseHeadersInGB18030AreRead() throws {
        let ledger = try TemporaryLedger()
        let text = "支付编号,收款人,金额,支付日期,补贴编号,银行流水号\r\np1,\(Books.alice),1000.00,2026-03-25,,工行0325001\r\n"
        let bytes = try #require(text.data(using: PaymentFileTests.gb18030))
        #expect(String(data: bytes, encoding: .utf8) == nil)
        let path = try ledger.file("工资.csv", bytes: Array(bytes))
        let reader = PaymentFileReader(path: path, month: PaymentFileTests.march)
        var rows: [PaymentRow] = []
        let outcome = try reader.read { rows.append($0) }
        #expect(outcome.encoding == "GB18030")
        #expect(rows.map(\.bankRef) == ["工行0325001"])
        #expect(rows.map(\.amount) == [yuan("1000")])
    }

    @Test func errorsInAGB18030FileNameTheirLines() throws {
        let ledger = try TemporaryLedger()
        let text = "付款编号,收款人证件号码,发放金额,发放日期\np1,\(Books.alice),1000,2026-03-25\np2,\(Books.bob),一千元,2026-03-25\n"
        let path = try ledger.file("bank.csv", bytes: Array(try #require(text.data(using: PaymentFileTests.gb18030))))
        let error = try #require(refusal(path))
        #expect(error.issues.count == 1)
        #expect(error.issues.first?.line == 3)
        #expect(error.issues.first?.field == "amount")
        #expect(error.description.contains("一千元"))
    }

    @Test func aFileOfAnotherLayoutOrMissingAColumnIsRefusedAtTheHeader() throws {
        let ledger = try TemporaryLedger()
        let training = try ledger.file("t.csv", "id,worker,name,course,title,institution,hours,started_on,completed_on,cost,paid_by,track\n")
        #expect(refusal(training)?.description.contains("payout file has the columns") == true)
        let missing = try ledger.file("m.csv", "payment_id,payee,paid_on\np1,\(Books.alice),2026-03-01\n")
        let error = try #require(refusal(missing))
        #expect(error.issues.map(\.line) == [1])
        #expect(error.issues.map(\.field) == ["amount"])
        let empty = try ledger.file("e.csv", "")
        #expect(refusal(empty)?.description.contains("empty") == true)
    }

    @Test func anEarlyCreditCodeWhoseCheckFailsIsAWarningNotARefusal() throws {
        let ledger = try TemporaryLedger()
        let body = String(Books.employer.dropLast())
        let wrongCheck = body + (Books.employer.hasSuffix("1") ? "2" : "1")
        let path = try ledger.file("p.csv", "payment_id,payee,amount,paid_on\np1,\(wrongCheck),500,2026-03-02\n")
        var rows: [PaymentRow] = []
        let outcome = try PaymentFileReader(path: path, month: PaymentFileTests.march).read { rows.append($0) }
        #expect(outcome.warnings.map(\.field) == ["payee"])
        #expect(rows.count == 1)
    }
}
