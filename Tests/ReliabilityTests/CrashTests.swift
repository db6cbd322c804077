import Foundation
import Ledger
import LedgerTesting
import SkillsDomain
import Testing

/// Crash safety (RELIABILITY.md §1): the built binary is killed with SIGKILL at random moments while it records a
/// large batch; every time, the ledger must verify, hold all of the batch or none of it, and take the batch whole
/// when the command runs again. CI runs a few kills per command; `Scripts/reliability-campaign.sh` runs ≥ 50.
@Suite("crash safety: SIGKILL at random moments", .serialized, .enabled(if: SkillsLedgerBinary.path != nil, Comment(rawValue: SkillsLedgerBinary.missing)))
struct CrashTests {
    static let month = ["--jurisdiction", "420300", "--month", "2026-03"]

    @Test("submit of a large batch, killed: all or nothing, verify passes, resubmitting completes it")
    func submitKilled() throws {
        let events = Campaign.size("crash_events", ci: 2_500, full: 50_000)
        let people = min(events, 3_000)
        let scratch = try TemporaryLedger()
        let template = scratch.path("template.sqlite")
        try LedgerFiles.make(template, [Population.registrations(0..<people)])
        let batch = try scratch.file("credits.jsonl", Population.creditsJSONL(prefix: "crash", count: events, people: people))
        let campaign = KillCampaign(name: "submit", template: template, working: scratch.path("round.sqlite"),
                                    command: { ["submit", "--ledger", $0, "--operator", "crash-test", "--quiet", batch] },
                                    countBatch: { try LedgerFiles.count($0, idGlob: "crash-*") })
        let tally = try campaign.run(kills: Campaign.size("crash_kills", ci: 3, full: 60))
        #expect(tally.batchSize == events)
    }

    @Test("grant of a month's entitlements, killed: all grants or none, granting again completes it")
    func grantKilled() throws {
        let people = Campaign.size("crash_grants", ci: 400, full: 5_000)
        let scratch = try TemporaryLedger()
        let template = try CrashTests.grantTemplate(scratch, people: people)
        let campaign = KillCampaign(name: "grant", template: template, working: scratch.path("round.sqlite"),
                                    command: { ["grant", "--ledger", $0, "--operator", "crash-test", "--quiet"] + CrashTests.month },
                                    countBatch: { try LedgerFiles.count($0, kind: "subsidy.granted") })
        let tally = try campaign.run(kills: Campaign.size("crash_kills", ci: 3, full: 60))
        #expect(tally.batchSize == people, "one skill-upgrade grant per certified worker")
    }

    @Test("reconcile loading a payout file, killed: all payments or none, reconciling again completes it")
    func reconcileKilled() throws {
        let people = Campaign.size("crash_grants", ci: 400, full: 5_000)
        let scratch = try TemporaryLedger()
        let granted = try CrashTests.grantTemplate(scratch, people: people)
        let grant = try SkillsLedgerProcess.run(["grant", "--ledger", granted, "--operator", "setup", "--quiet"] + CrashTests.month)
        try #require(grant.status == 0, "setting up the grants: \(grant)")
        let payments = try Population.paymentsCSV(for: LedgerStore.open(path: granted))
        #expect(payments.rows == people)
        let file = try scratch.file("payments-2026-03.csv", payments.text)
        let campaign = KillCampaign(name: "reconcile", template: granted, working: scratch.path("round.sqlite"),
                                    command: { ["reconcile", "--ledger", $0, "--operator", "crash-test", "--quiet", "--payments", file] + CrashTests.month },
                                    countBatch: { try LedgerFiles.count($0, kind: "subsidy.paid") },
                                    acceptedExits: [0, 1])
        let tally = try campaign.run(kills: Campaign.size("crash_kills", ci: 3, full: 60))
        #expect(tally.batchSize == people)
    }

    /// A closed ledger with the national skill-upgrade pack adopted, `people` insured workers and a junior certificate
    /// for each in March 2026: `grant` for 420300 / 2026-03 owes each of them 1,000 yuan.
    static func grantTemplate(_ scratch: TemporaryLedger, people: Int) throws -> String {
        let template = scratch.path("grant-template.sqlite")
        try LedgerFiles.make(template, [Population.registrations(0..<people), Population.certificates(0..<people)])
        let pack = SkillsLedgerBinary.packageRoot + "/Samples/policies/national-skill-upgrade.yaml"
        let adopt = try SkillsLedgerProcess.run(["policy", "adopt", "--ledger", template, "--operator", "setup", "--quiet", pack])
        try #require(adopt.status == 0, "adopting the national pack: \(adopt)")
        return template
    }
}
