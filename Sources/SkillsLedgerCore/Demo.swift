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
        let digest = try await session.ledger.verify(progress: nil).digest
        show("⑦ 校验 verify", "ok: \(digest.count) events verified; publish this digest: \(digest)")
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
