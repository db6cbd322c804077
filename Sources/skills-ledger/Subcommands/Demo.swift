import ArgumentParser
import Foundation
import Intake
import Ledger
import Reconciliation
import Reports
import Rules
import SkillsDomain

struct Demo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Build a fresh ledger from Samples/ and run a whole month end to end: adopt, submit, verify, entitlements, grant, reconcile, close (演示).",
        discussion: "Uses ./skills-ledger-demo.sqlite (rebuilt each run) unless --ledger names a path that does not exist yet.")

    @Option(name: .long, help: ArgumentHelp("Where to build the demo ledger (must not exist).", valueName: "PATH"))
    var ledger: String?

    @Option(help: ArgumentHelp("The samples folder.", valueName: "DIR"))
    var samples = "Samples"

    @Option(help: "The jurisdiction whose month is run.")
    var jurisdiction = "420300"

    @Option(help: ArgumentHelp("The month to grant, reconcile and close.", valueName: "YYYY-MM"))
    var month = "2026-03"

    static let defaultPath = "skills-ledger-demo.sqlite"

    func run() async throws {
        do {
            let path = try preparePath()
            let store = try LedgerStore.open(path: path, create: true)
            let jurisdictionCode = try JurisdictionCode(jurisdiction)
            let demoMonth = try Month(parsing: month)
            try await adoptAndSubmit(store)
            try await showEntitlements(store, jurisdictionCode, demoMonth)
            try await grantMonths(store, jurisdictionCode, demoMonth)
            try await reconcileAndClose(store, jurisdictionCode, demoMonth)
            let digest = try store.verify().digest
            step("⑦ 校验 verify", "ok: \(digest.count) events verified; publish this digest: \(digest)")
            Console.out("\nThe demo ledger is \(path). Try: skills-ledger worker --ledger \(path) <公民身份号码>, or --format html on reconcile.")
        } catch { throw Console.fail(error) }
    }

    func preparePath() throws -> String {
        if let ledger {
            guard !FileManager.default.fileExists(atPath: ledger) else {
                throw ValidationError("demo builds a fresh ledger and will not touch \(ledger), which exists: choose another path")
            }
            return ledger
        }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: Demo.defaultPath + suffix) }
        return Demo.defaultPath
    }

    func step(_ title: String, _ body: String) {
        Console.out("\n" + title + "\n" + String(repeating: "─", count: 60) + "\n" + body)
    }

    func adoptAndSubmit(_ store: LedgerStore) async throws {
        let policies = try FileManager.default.contentsOfDirectory(atPath: samples + "/policies").filter { $0.hasSuffix(".yaml") }.sorted()
        let adopted = try await PolicyAdoption.adopt(paths: policies.map { samples + "/policies/" + $0 }, store: store, operatorName: "demo")
        step("① 采用政策 policy adopt", adopted.adopted.map { "\($0.id) \($0.version) (\($0.jurisdiction))" }.joined(separator: "\n"))
        var lines: [String] = []
        for file in ["workers.csv", "training.csv", "certificates.csv", "events.jsonl"] {
            let path = samples + "/" + file
            var outcome: EventFileReader.Outcome?
            let result = try store.append(operatorName: "demo") { sink in
                let read = try EventFileReader(path: path).read { try sink.add($0) }
                outcome = read
                if let refusal = read.refusal { throw refusal }
            }
            lines.append("\(path): \(result.recorded) recorded (\(outcome?.encoding ?? "UTF-8"))")
        }
        step("② 提交台账 submit", lines.joined(separator: "\n"))
    }

    func showEntitlements(_ store: LedgerStore, _ jurisdiction: JurisdictionCode, _ month: Month) async throws {
        let (entitlements, _) = try await EntitlementEngine.entitlements(store, jurisdiction: jurisdiction, month: month)
        let report = EntitlementReport(jurisdiction: jurisdiction.value, month: month, entitlements: entitlements, identities: try store.identities())
        step("③ 应享补贴 entitlements \(jurisdiction) \(month)", report.table)
    }

    func grantMonths(_ store: LedgerStore, _ jurisdiction: JurisdictionCode, _ month: Month) async throws {
        var lines: [String] = []
        for offset in stride(from: -2, through: 0, by: 1) {
            let granted = month.adding(offset)
            let result = try await Granting.grant(store, jurisdiction: jurisdiction, month: granted, operatorName: "demo")
            lines.append("\(granted): granted \(result.granted.count) (\(result.grantedTotal.yuanString) 元), clawbacks \(result.clawbacks.count)")
        }
        step("④ 核定 grant \(jurisdiction)", lines.joined(separator: "\n"))
    }

    func reconcileAndClose(_ store: LedgerStore, _ jurisdiction: JurisdictionCode, _ month: Month) async throws {
        let reconciler = Reconciler(store: store)
        let file = samples + "/payments/\(jurisdiction.value)-\(month).csv"
        if FileManager.default.fileExists(atPath: file) {
            let recording = try await reconciler.recordPayments(file: file, jurisdiction: jurisdiction, month: month, operatorName: "demo")
            step("⑤ 银行回盘 load payments", "\(file): \(recording.rows) payments, \(recording.result.recorded) recorded (\(recording.encoding))")
        } else {
            step("⑤ 银行回盘 load payments", "no payout file at \(file): every grant stays unpaid")
        }
        let report = try await reconciler.reconcile(jurisdiction: jurisdiction, month: month)
        let masking = IdentifierMasking(identities: try store.identities(), masked: true)
        step("⑥ 对账 reconcile \(jurisdiction) \(month)", ReconciliationRenderer(report, masking: masking).render(.table))
        if case .closed(let close) = try await reconciler.close(report, operatorName: "demo", on: month.lastDay) {
            Console.out("closed \(month) (已结账): \(close.eventID), report digest \(close.reportDigest)")
        }
    }
}
