import Foundation
import LedgerTesting
import Reports
import SkillsDomain
import SkillsLedgerCore
import Testing

/// `--output` and `--format xlsx` as both front ends reach them: a workbook only to a file, refused as bad input else.
@Suite struct ReportDestinationTests {
    @Test func xlsxWithoutAFileIsBadInputNamingOutput() throws {
        do {
            _ = try ReportDestination(format: .xlsx, path: nil)
            Issue.record("xlsx to stdout was accepted")
        } catch {
            #expect(FailureKind(error) == .badInput && "\(error)".contains("--output"))
        }
        #expect(try ReportDestination(format: .csv, path: nil).path == nil)
    }

    @Test func aFileInAFolderThatCannotBeWrittenIsRefusedBeforeAnythingIsDone() throws {
        for format in [ReportFormat.xlsx, .csv] {
            #expect(throws: OperationError.self) { try ReportDestination(format: format, path: "/no-such-folder/march.xlsx") }
        }
        #expect(try ReportDestination(format: .xlsx, path: "march.xlsx").path == "march.xlsx", "a bare name is in the working folder")
    }

    @Test func entitlementsAndReconciliationAreWrittenAsWorkbooks() async throws {
        let (ledger, _, _) = try await demoLedger()
        defer { withExtendedLifetime(ledger) {} }
        let observer = RecordingObserver()
        let session = session(ledger, observer: observer)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("destination-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let entitlements = folder.appendingPathComponent("entitlements.xlsx").path
        try ReportDestination(format: .xlsx, path: entitlements).write(try await MonthEnd(session, shiyan).entitlements(), session)
        let payouts = Payouts(session, shiyan)
        let march = folder.appendingPathComponent("march.xlsx").path
        try await payouts.write(try await payouts.reconcile(), to: ReportDestination(format: .xlsx, path: march), unmasked: false)
        for path in [entitlements, march] {
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)).prefix(4) == Data([0x50, 0x4B, 0x03, 0x04]), "a ZIP archive: \(path)")
            #expect(observer.notes.contains("wrote \(path)"))
        }
    }
}
