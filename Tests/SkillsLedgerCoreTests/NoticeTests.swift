import Foundation
import Ledger
import LedgerTesting
import Reports
import Rules
import SkillsDomain
import SkillsLedgerCore
import Testing

/// Public notice (公示) and objections (异议), SPEC.md "Public notice": the list is masked, `grant` holds back what
/// a running notice or an open objection holds, and an upheld objection withdraws the entitlement.
@Suite struct NoticeTests {
    static let wuhou = JurisdictionMonth(try! JurisdictionCode("510107"), try! Month(parsing: "2026-02"))
    static let calendar = try! WorkingCalendar.load(path: samples + "/calendars/2026.yaml")

    /// The samples' packs and files in a fresh ledger (Wuhou's pack asks for a 5-working-day notice).
    func samplesLedger() async throws -> (TemporaryLedger, Session) {
        let ledger = try TemporaryLedger()
        let session = session(ledger)
        let folder = samples + "/policies"
        let packs = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
        _ = try await Policies(session).adopt(files: packs.map { folder + "/" + $0 })
        for file in Demo.eventFiles { _ = try await SubmitBatch(session).record(file: samples + "/" + file) }
        return (ledger, session)
    }

    func date(_ text: String) -> LocalDate { LocalDate.parse(text)! }

    @Test func namesKeepTheirFirstCharacter() {
        #expect(IdentifierMasking.maskName("张三") == "张*")
        #expect(IdentifierMasking.maskName("欧阳明月") == "欧***")
        #expect(IdentifierMasking.maskName("") == "")
        #expect(CitizenID.mask("510107197005051299") == "510107********1299")
    }

    @Test func theNoticeListsTheMonthMaskedInSpecsShape() async throws {
        let (ledger, session) = try await samplesLedger()
        defer { withExtendedLifetime(ledger) {} }
        // From Thu 12 Feb: the make-up Saturday counts, 春节 does not: 5 working days end on Wed 25 Feb.
        let report = try await Notices(session).publish(Self.wuhou, from: date("2026-02-12"), calendar: Self.calendar)
        #expect(report.until == date("2026-02-25") && report.days == 5)
        let json = try JSONParser.parse(report.rendered(.json))
        guard case .object(let members) = json else { Issue.record("not an object"); return }
        #expect(members.map { $0.key } == ["jurisdiction", "month", "from", "until", "days", "entries", "total", "notice", "digest"])
        guard case .array(let entries) = json["entries"], case .object(let entry) = entries.first else { Issue.record("no entries"); return }
        #expect(entry.map { $0.key } == ["entitlement", "name", "worker", "payee", "item", "amount"])
        #expect(json["total"] == JSONValue.string("12000.00") && json["from"] == JSONValue.string("2026-02-12") && json["until"] == JSONValue.string("2026-02-25"))
        let text = report.rendered(.json) + report.rendered(.csv) + report.rendered(.html) + report.rendered(.table)
        #expect(!text.contains("510107197005051299") && text.contains("510107********1299") && text.contains("诸葛工匠"))
        // The event carries the ids and the digest of the list's canonical JSON; publishing again records nothing.
        let event = try #require(try await session.ledger.event(id: report.noticeID)).event
        #expect(event.data.list("entitlements") == report.entries.map(\.entitlement) && event.data.text("digest") == report.digest)
        let again = try await Notices(session).publish(Self.wuhou, from: date("2026-02-12"), calendar: Self.calendar)
        #expect(!again.recorded && again.noticeID == report.noticeID)
        #expect(report.rendered(.html).contains("@page{size:A4"))
    }

    /// `latest` shows the month's most recent notice again, as it was published, and records nothing.
    @Test func theLatestNoticeOfAMonthIsShownAsPublished() async throws {
        let (ledger, session) = try await samplesLedger()
        defer { withExtendedLifetime(ledger) {} }
        let notices = Notices(session)
        await #expect(throws: OperationError.self) { _ = try await notices.latest(Self.wuhou) }
        let first = try await notices.publish(Self.wuhou, from: date("2026-02-12"), calendar: Self.calendar)
        #expect(try await notices.latest(Self.wuhou).rendered(.json) == first.rendered(.json))
        let second = try await notices.publish(Self.wuhou, from: date("2026-03-02"), days: 7)
        let digest = try ledger.store.digest()
        let latest = try await notices.latest(Self.wuhou)
        #expect(latest.rendered(.json) == second.rendered(.json) && latest.noticeID != first.noticeID && latest.days == 7)
        #expect(try ledger.store.digest() == digest)
        let other = JurisdictionMonth(Self.wuhou.jurisdiction, try Month(parsing: "2026-01"))
        await #expect(throws: OperationError.self) { _ = try await notices.latest(other) }
        #expect(try await notices.jurisdiction(of: first.entries[0].entitlement).value == "510107")
    }

    @Test func grantHoldsBackUntilTheNoticeEndsAndWhileAnObjectionIsOpen() async throws {
        let (ledger, session) = try await samplesLedger()
        defer { withExtendedLifetime(ledger) {} }
        let award = try #require(try await MonthEnd(session, Self.wuhou).entitlements().entitlements.first { $0.rule.hasSuffix("zhuge-craftsman-award") })
        // No notice yet: the award is held; the national subsidies (no notice asked) of January and February are granted.
        var result = try await MonthEnd(session, Self.wuhou).grant(on: date("2026-02-27")).result
        #expect(result.held == [NoticeBook.Hold(entitlement: award.id, reason: .noNotice)] && result.granted.count == 2)
        _ = try await Notices(session).publish(Self.wuhou, from: date("2026-02-12"), calendar: Self.calendar)
        // On its last day the notice has not ended.
        result = try await MonthEnd(session, Self.wuhou).grant(on: date("2026-02-25")).result
        #expect(result.held == [NoticeBook.Hold(entitlement: award.id, reason: .noticeRunning, until: date("2026-02-25"))])
        // An objection holds it after the period too, until it is resolved.
        let objection = try await Notices(session).object(award.id, reason: "举报：获奖人不符合条件")
        let march = JurisdictionMonth(Self.wuhou.jurisdiction, try Month(parsing: "2026-03"))
        result = try await MonthEnd(session, march).grant(on: date("2026-03-02")).result
        let held = try #require(result.held.first { $0.entitlement == award.id })
        #expect(held.reason == .objectionOpen && held.objections == [objection.event] && !result.granted.contains("grant:" + award.id))
        #expect(GrantReport(jurisdiction: march.jurisdiction, month: march.month, result: result).rendered(.json).contains("\"reason\":\"objection-open\""))
        _ = try await Notices(session).resolve(award.id, upheld: false, reason: "经核查，符合条件")
        // Dismissed: granted in the later month, within the 12-month window.
        result = try await MonthEnd(session, march).grant(on: date("2026-03-02")).result
        #expect(!result.held.contains { $0.entitlement == award.id } && Array(result.granted) == ["grant:" + award.id])
        await #expect(throws: OperationError.self) { try await Notices(session).resolve(award.id, upheld: true, reason: "again") }
    }

    @Test func anUpheldObjectionWithdrawsAndClawsBack() async throws {
        let (ledger, session) = try await samplesLedger()
        defer { withExtendedLifetime(ledger) {} }
        let notice = try await Notices(session).publish(Self.wuhou, from: date("2026-02-12"), calendar: Self.calendar)
        var result = try await MonthEnd(session, Self.wuhou).grant(on: date("2026-02-26")).result
        #expect(result.granted.count == 3 && result.held.isEmpty)
        let upgrade = try #require(try await MonthEnd(session, Self.wuhou).entitlements().entitlements.first { $0.rule.hasPrefix("national") })
        _ = try await Notices(session).object(upgrade.id, reason: "证书系伪造")
        let action = try await Notices(session).resolve(upgrade.id, upheld: true, reason: "经核查属实")
        #expect(action.outcome == "upheld")
        let march = JurisdictionMonth(Self.wuhou.jurisdiction, try Month(parsing: "2026-03"))
        result = try await MonthEnd(session, march).grant(on: date("2026-03-02")).result
        #expect(result.clawbacks.count == 1 && result.clawbackTotal == Money(yuanWhole: -2_000))
        // Withdrawn: not on the next notice, and no further objection is taken.
        let next = try await Notices(session).publish(Self.wuhou, from: date("2026-03-02"), calendar: Self.calendar)
        #expect(!next.entries.map(\.entitlement).contains(upgrade.id) && next.noticeID != notice.noticeID)
        await #expect(throws: OperationError.self) { try await Notices(session).object(upgrade.id, reason: "again") }
    }

    @Test func anObjectionNeedsAnEntitlementOnANoticeAndAReason() async throws {
        let (ledger, session) = try await samplesLedger()
        defer { withExtendedLifetime(ledger) {} }
        let before = try await Integrity(session).digest().digest
        await #expect(throws: OperationError.self) { try await Notices(session).object("ent-00000000000000000000", reason: "x") }
        _ = try await Notices(session).publish(Self.wuhou, from: date("2026-02-12"), calendar: Self.calendar)
        let listed = try await Integrity(session).digest().digest
        #expect(listed.count == before.count + 1)
        let id = try #require(try await MonthEnd(session, Self.wuhou).entitlements().entitlements.first?.id)
        await #expect(throws: OperationError.self) { try await Notices(session).object(id, reason: "  ") }
        await #expect(throws: OperationError.self) { try await Notices(session).resolve(id, upheld: true, reason: "no objection yet") }
        #expect(try await Integrity(session).digest().digest == listed)
    }
}
