import Foundation
import Ledger
import LedgerTesting
import SkillsDomain
import SkillsLedgerCore

/// The repository's Samples/ folder.
let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Samples").path

/// Keeps the notes a use case sends, so that tests can see its warnings.
final class RecordingObserver: OperationObserver, @unchecked Sendable {
    private let lock = NSLock()
    private var kept: [String] = []

    var notes: [String] { lock.withLock { kept } }

    func note(_ text: String) { lock.withLock { kept.append(text) } }
    func progress(_ label: String, unit: String) -> any ProgressReporter { HiddenProgress() }
    func fileProgress(_ label: String, path: String) -> any ProgressReporter { HiddenProgress() }
    func ticker(_ label: String) -> any ProgressReporter { HiddenProgress() }
}

/// A fresh ledger and a session on it, dated 2026-06-15.
func session(_ ledger: TemporaryLedger, observer: any OperationObserver = SilentObserver()) -> Session {
    Session(ledger: ledger.store, operatorName: "tester", today: LocalDate.parse("2026-06-15")!, observer: observer)
}

let shiyan = JurisdictionMonth(try! JurisdictionCode("420300"), try! Month(parsing: "2026-03"))

/// A ledger with the demo run on it (packs, sample files, three months granted, March reconciled and closed).
func demoLedger() async throws -> (TemporaryLedger, Session, [(String?, String)]) {
    let ledger = try TemporaryLedger()
    let demoSession = Session(ledger: ledger.store, operatorName: "demo")
    var steps: [(String?, String)] = []
    _ = try await Demo(demoSession, samples: samples, period: shiyan).run { steps.append(($0, $1)) }
    return (ledger, session(ledger), steps)
}
