import Foundation
import Testing

/// SPEC.md's exit codes stay what they were where the service answers 404 for "nothing there to act on": an audit of
/// a year no adopted pack sets a floor for, and an objection to an entitlement on no notice, are refused requests
/// (exit 2, "error: …"), so that an audit's exit 1 keeps meaning findings.
@Suite struct ExitCodeTests {
    @Test func anAuditWithoutAFloorAndAnObjectionToAnUnknownEntitlementExit2() throws {
        let workspace = try SpreadsheetTests.month()
        let before = try workspace.digest()
        for arguments in [["audit", "budget", "--year", "1900"], ["audit", "employers", "--year", "1900"],
                          ["object", "ent-unknown", "--reason", "x"]] {
            let result = try workspace.run(arguments)
            #expect(result.status == 2 && result.err.hasPrefix("error: ") && (result.err.contains("no adopted policy pack sets") || result.err.contains("on no public notice")), "\(arguments): \(result)")
        }
        #expect(try workspace.digest() == before)
    }

    /// A new user who runs the demo outside the repository is told where it looks and what to do, and no ledger is
    /// left behind (it used to print a Foundation error about a missing folder after creating an empty ledger).
    @Test func theDemoOutsideTheRepositorySaysWhereItLooked() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("demo-elsewhere-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try CLI.run(["demo"], in: folder)
        #expect(result.status == 2 && result.err.contains("no Samples/policies folder") && result.err.contains("--samples DIR"), "\(result)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("skills-ledger-demo.sqlite").path))
    }
}
