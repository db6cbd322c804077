import Foundation
import Intake
import Ledger
import Reconciliation
import Reports
import Rules
import SkillsDomain

/// A whole month on the sample files, in a fresh ledger (`demo`): adopt the packs, submit the files, show the
/// entitlements, grant three months, load the payout file, reconcile and close, verify. Each step is handed to
/// `show` as it finishes, with a title (nil for a plain line) and the text a person reads.
public struct Demo: Sendable {
    /// The ledger (fresh) and operator the demo runs with.
    public var session: Session
    /// The samples folder (`Samples/`): policies/*.yaml, the four event files, payments/J-M.csv.
    public var samples: String
    /// The jurisdiction and month granted, reconciled and closed.
    public var period: JurisdictionMonth
    var jurisdiction: JurisdictionCode { period.jurisdiction }
    var month: Month { period.month }

    /// A demo of `period` on the files in `samples`.
    public init(_ session: Session, samples: String, period: JurisdictionMonth) {
        self.session = session
        self.samples = samples
        self.period = period
    }

    /// Where the demo ledger goes when none is named; rebuilt on every run.
    public static let defaultPath = "skills-ledger-demo.sqlite"

    /// The path to build the demo ledger at: `requested`, which must not exist (the demo will not touch a ledger it
    /// did not make), or the default one, removed first.
    public static func freshLedgerPath(_ requested: String?) throws -> String {
        if let requested {
            guard !FileManager.default.fileExists(atPath: requested) else {
                throw OperationError.badRequest("demo builds a fresh ledger and will not touch \(requested), which exists: choose another path")
            }
            return requested
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: defaultPath + suffix) }
        return defaultPath
    }

    /// The sample event files, in the order they are submitted.
    public static let eventFiles = ["workers.csv", "training.csv", "certificates.csv", "events.jsonl"]

    /// Runs every step; `show(title, body)` prints one.
    /// - Returns: the digest the demo ends with, for publishing.
    public func run(show: (String?, String) -> Void) async throws -> LedgerDigest {
        try await adoptAndSubmit(show)
        let entitlements = try await MonthEnd(session, period).entitlements()
        show("③ 应享补贴 entitlements \(jurisdiction) \(month)", entitlements.table)
        try await grantMonths(show)
        try await reconcileAndClose(show)
        try await noticeAndObjection(show)
        let digest = try await session.ledger.verify(progress: nil).digest
        show("⑧ 校验 verify", "ok: \(digest.count) events verified; publish this digest: \(digest)")
        return digest
    }

    func adoptAndSubmit(_ show: (String?, String) -> Void) async throws {
        let folder = samples + "/policies"
        let policies = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted()
        let adopted = try await Policies(session).adopt(files: policies.map { folder + "/" + $0 })
        show("① 采用政策 policy adopt", adopted.adopted.map { "\($0.id) \($0.version) (\($0.jurisdiction))" }.joined(separator: "\n"))
        var lines: [String] = []
        for file in Demo.eventFiles {
            let path = samples + "/" + file
            var encoding = "UTF-8"
            let result = try await session.ledger.append(operatorName: session.operatorName, recordedAt: Timestamp.now(), cache: .standard) { sink in
                let read = try EventFileReader(path: path).read { try sink.add($0) }
                encoding = read.encoding
            }
            lines.append("\(path): \(result.recorded) recorded (\(encoding))")
        }
        show("② 提交台账 submit", lines.joined(separator: "\n"))
    }

    func grantMonths(_ show: (String?, String) -> Void) async throws {
        var lines: [String] = []
        for offset in stride(from: -2, through: 0, by: 1) {
            let granted = month.adding(offset)
            let result = try await MonthEnd(session, JurisdictionMonth(jurisdiction, granted)).grant().result
            lines.append("\(granted): granted \(result.granted.count) (\(result.grantedTotal.yuanString) 元), clawbacks \(result.clawbacks.count)")
        }
        show("④ 核定 grant \(jurisdiction)", lines.joined(separator: "\n"))
    }

    /// Wuhou's February, whose pack asks for a public notice of 5 working days before its 诸葛工匠 award is granted.
    public static let noticePeriod = JurisdictionMonth(try! JurisdictionCode("510107"), Month(year: 2026, month: 2)!)

    /// Public notice end to end: post the list over 春节 (the calendar's holidays and make-up Saturday), object to the
    /// award, grant while the notice runs (held back), dismiss the objection, grant after the notice has ended.
    func noticeAndObjection(_ show: (String?, String) -> Void) async throws {
        let period = Demo.noticePeriod
        let calendarPath = samples + "/calendars/2026.yaml"
        let calendar = FileManager.default.fileExists(atPath: calendarPath) ? try WorkingCalendar.load(path: calendarPath) : nil
        let notices = Notices(session)
        let notice = try await notices.publish(period, from: LocalDate(year: 2026, month: 2, day: 12)!, calendar: calendar)
        show("⑦ 公示与异议 notice and objection \(period.jurisdiction) \(period.month)", notice.table)
        guard let award = notice.entries.max(by: { ($0.amount ?? .zero) < ($1.amount ?? .zero) }) else { return }
        var lines = [try await notices.object(award.entitlement, reason: "举报：获奖人不符合条件 / reported as ineligible").rendered(.table)]
        let held = try await MonthEnd(session, period).grant(on: notice.until)
        lines.append("grant on \(notice.until): " + held.table)
        lines.append(try await notices.resolve(award.entitlement, upheld: false, reason: "经核查，符合条件 / checked: eligible").rendered(.table))
        let after = LocalDate(dayNumber: notice.until.dayNumber + 1)!
        lines.append("grant on \(after): " + (try await MonthEnd(session, period).grant(on: after)).table)
        show(nil, lines.joined(separator: "\n").replacingOccurrences(of: "\n\n", with: "\n"))
    }

    func reconcileAndClose(_ show: (String?, String) -> Void) async throws {
        // The demo closes the month on its last day, so that the run reads the same whatever day it is.
        var closing = session
        closing.today = month.lastDay
        let payouts = Payouts(closing, period)
        let file = samples + "/payments/\(jurisdiction.value)-\(month).csv"
        if FileManager.default.fileExists(atPath: file) {
            let recording = try await payouts.recordPayments(file: file)
            show("⑤ 银行回盘 load payments", "\(file): \(recording.rows) payments, \(recording.result.recorded) recorded (\(recording.encoding))")
        } else {
            show("⑤ 银行回盘 load payments", "no payout file at \(file): every grant stays unpaid")
        }
        let report = try await payouts.reconcile()
        var text = ""
        try await payouts.write(report, format: .table, unmasked: false) { text += $0 }
        show("⑥ 对账 reconcile \(jurisdiction) \(month)", text)
        let close = try await payouts.close(report)
        show(nil, "closed \(month) (已结账): \(close.eventID), report digest \(close.reportDigest)")
    }
}
