import Foundation
import Intake
import Ledger
import LedgerTesting
import Reconciliation
import Reports
import Rules
import SkillsDomain
import SkillsLedgerCore
import Testing

/// Every use case reached as the service will reach it: through SkillsLedgerCore, without the binary.
@Suite struct UseCaseTests {
    @Test func demoRunsTheWholeMonthAndClosesIt() async throws {
        let (ledger, session, steps) = try await demoLedger()
        defer { withExtendedLifetime(ledger) {} }
        #expect(steps.compactMap(\.0).map { String($0.prefix(1)) } == ["①", "②", "③", "④", "⑤", "⑥", "⑦", "⑧"])
        // The notice step: the award is held while the notice runs, and granted after it with the objection dismissed.
        let notice = try #require(steps.first { $0.0 == nil && $0.1.contains("objection recorded") }?.1)
        #expect(notice.contains("held back 1 (objection-open 1)") && notice.contains("granted 1 (10000.00 元)"))
        #expect(steps.contains { $0.0 == nil && $0.1.hasPrefix("closed 2026-03 (已结账): ") })
        let digest = try await Integrity(session).digest().digest
        #expect(steps.last?.1.hasSuffix("publish this digest: \(digest)") == true)
        // The closed month is reported as it stood at the close, and a payment dated in it is refused.
        let report = try await Payouts(session, shiyan).reconcile()
        #expect(report.closedBy != nil)
    }

    @Test func aRefusedFileWritesNothingAndNamesEveryBadRow() async throws {
        let ledger = try TemporaryLedger()
        let observer = RecordingObserver()
        let submit = SubmitBatch(session(ledger, observer: observer))
        _ = try await submit.record(file: samples + "/workers.csv")
        let before = try await Integrity(session(ledger)).digest().digest
        await #expect(throws: IntakeError.self) { try await submit.record(file: samples + "/bad/training.csv") }
        do { _ = try await submit.record(file: samples + "/bad/training.csv") } catch {
            #expect("\(error)".contains("training.csv:3: field worker") && "\(error)".contains("training.csv:4: field completed_on"))
            #expect(FailureKind(error) == .badInput)
        }
        #expect(try await Integrity(session(ledger)).digest().digest == before)
        let again = try await submit.record(file: samples + "/workers.csv")
        #expect(again.recorded == 0 && again.alreadyRecorded == 60)
    }

    @Test func workerAndCreditsAnswerForKnownPeopleAndNotFoundForOthers() async throws {
        let (ledger, session, _) = try await demoLedger()
        defer { withExtendedLifetime(ledger) {} }
        let report = try await WorkerLookup(session).report(for: "420303198610101192")
        #expect(!report.history.certificates.isEmpty)
        #expect(report.rendered(.json).contains("\"worker\": \"420303198610101192\""))
        #expect(report.rendered(.table).contains("420303********1192") && !report.rendered(.table).contains("420303198610101192"))
        let credits = try await WorkerLookup(session).credits(for: "420303198610101192")
        #expect(credits.balance == credits.movements.map(\.credits).reduce(Credits.zero, +))
        do {
            _ = try await WorkerLookup(session).report(for: Build.citizenID(877).value)
            Issue.record("an unknown worker was found")
        } catch {
            #expect(FailureKind(error) == .notFound)
        }
        await #expect(throws: ValueError.self) { try await WorkerLookup(session).report(for: "not-an-id") }
    }

    @Test func auditsFindTheShortfallsOfTheSamples() async throws {
        let (ledger, session, _) = try await demoLedger()
        defer { withExtendedLifetime(ledger) {} }
        let budget = try await Compliance(session).budget(year: 2026)
        #expect(budget.hasShortfall)
        #expect(budget.rows.contains { $0.ratio.description == "0.1800" })
        #expect(budget.rendered(.json).hasPrefix("{\n  \"year\": 2026,\n  \"jurisdictions\": ["))
        let employers = try await Compliance(session).employers(year: 2026)
        #expect(!employers.rows.isEmpty)
        #expect(employers.rendered(.table).hasPrefix("职工教育经费一线使用 frontline share 2026\n"))
    }

    @Test func policiesAreListedAndAdoptedOnce() async throws {
        let (ledger, session, _) = try await demoLedger()
        defer { withExtendedLifetime(ledger) {} }
        let list = try await Policies(session).list()
        #expect(list.packs.count == 6)
        let again = try await Policies(session).adopt(files: [samples + "/policies/" + "baiyin-2021.yaml"])
        #expect(again.adopted.isEmpty && again.alreadyAdopted == 1)
    }

    @Test func aClosedMonthIsReopenedWithItsReason() async throws {
        let (ledger, session, _) = try await demoLedger()
        defer { withExtendedLifetime(ledger) {} }
        let id = try await Payouts(session, shiyan).reopen(reason: "银行退票 returned payment")
        let event = try await session.ledger.event(id: id)
        #expect(event?.event.kind == .periodReopened)
        #expect(event?.event.data.text("reason") == "银行退票 returned payment")
        #expect(try await Payouts(session, shiyan).reconcile().closedBy == nil)
    }

    @Test func grantTwiceGrantsNothingNew() async throws {
        let (ledger, session, _) = try await demoLedger()
        defer { withExtendedLifetime(ledger) {} }
        let month = JurisdictionMonth(shiyan.jurisdiction, try Month(parsing: "2026-04"))
        let entitlements = try await MonthEnd(session, month).entitlements()
        let first = try await MonthEnd(session, month).grant()
        #expect(first.result.granted.count == entitlements.entitlements.filter { $0.amount != nil }.count)
        // Nothing recorded since: the second run computes nobody; asked to compute everyone, it finds all granted.
        let second = try await MonthEnd(session, month).grant()
        #expect(second.result.granted.count == 0 && second.result.computed == 0 && second.result.scope.workers == [])
        let everyone = try await MonthEnd(session, month).grant(allWorkers: true)
        #expect(everyone.result.granted.count == 0 && everyone.result.alreadyGranted >= first.result.granted.count)
        #expect(everyone.result.scope.workers == nil && everyone.result.computed > 0)
    }

    @Test func reversalsNeedAKnownEventAndAReason() async throws {
        let (ledger, session, _) = try await demoLedger()
        defer { withExtendedLifetime(ledger) {} }
        let corrections = Corrections(session)
        do { _ = try await corrections.reverse("no-such-event", reason: "x"); Issue.record("reversed an unknown event") } catch {
            #expect(FailureKind(error) == .badInput)
        }
        do { _ = try await corrections.reverse("sy-c-002", reason: "  "); Issue.record("reversed without a reason") } catch {
            #expect(error is OperationError)
        }
        let reversal = try await corrections.reverse("sy-c-002", reason: "证书信息有误")
        #expect(reversal.recorded && reversal.id == "rev:sy-c-002")
        #expect(try await corrections.reverse("sy-c-002", reason: "证书信息有误").recorded == false)
    }

    @Test func erasingKeepsTheChainAndSaysWhenThereIsNothingToErase() async throws {
        let (ledger, session, _) = try await demoLedger()
        defer { withExtendedLifetime(ledger) {} }
        let citizen = try CitizenID("420303198610101192")
        let pseudonym = try await Corrections(session).erase(citizen, reason: "本人申请")
        #expect(pseudonym.hasPrefix("ps_"))
        _ = try await Integrity(session).verify()
        do { _ = try await Corrections(session).erase(citizen, reason: "again"); Issue.record("erased twice") } catch {
            #expect(FailureKind(error) == .notFound)
        }
        #expect(try await WorkerLookup(session).report(for: pseudonym).rendered(.json).contains("\"worker\": \"\(pseudonym)\""))
    }

    @Test func verifyDigestAndExportAgree() async throws {
        let (ledger, session, _) = try await demoLedger()
        defer { withExtendedLifetime(ledger) {} }
        let digest = try await Integrity(session).digest().digest
        #expect(try await Integrity(session).verify().report.digest == digest)
        #expect(try await Integrity(session).verify(extending: digest).report.eventsChecked == digest.count)
        var lines = 0
        try await Integrity(session).export { _ in lines += 1 }
        #expect(Int64(lines) == digest.count)
    }

    @Test func failuresAreClassifiedForBothFrontEnds() {
        #expect(FailureKind(LedgerError.integrity(IntegrityFailure(seq: 1, eventID: "x", reason: "r"))) == .integrity)
        #expect(FailureKind(LedgerError.conflicts([])) == .conflict)
        #expect(FailureKind(LedgerError.busy(path: "p", seconds: 1)) == .busy)
        #expect(FailureKind(OperationError.notFound("n")) == .notFound)
        #expect(FailureKind(OperationError.badRequest("b")) == .badInput)
        #expect(FailureKind(OperationError.forbidden("f")) == .forbidden)
    }
}
