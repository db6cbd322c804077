import Foundation
import Testing

/// Runs one command of the built binary against a fresh copy of a ledger, SIGKILLs it at a random moment, and checks
/// what a power cut of the process must leave: a ledger that verifies, holding all of the batch or none of it, and
/// that running the same command again completes the batch with nothing doubled.
struct KillCampaign {
    var name: String
    /// A closed ledger each round starts from.
    var template: String
    /// Where each round's copy lives.
    var working: String
    /// The command line for a ledger path.
    var command: (String) -> [String]
    /// How many of the batch's events a ledger holds.
    var countBatch: (String) throws -> Int
    /// Exit codes that mean the command did its job (reconcile exits 1 when it finds discrepancies).
    var acceptedExits: Set<Int32> = [0]

    struct Tally: CustomStringConvertible {
        var kills = 0
        var finishedBeforeKill = 0
        var none = 0
        var all = 0
        var batchSize = 0
        var calibrationSeconds = 0.0
        var description: String {
            "\(kills) kills (\(none) left none of the batch, \(all) all of it), \(finishedBeforeKill) runs finished before their kill; "
                + "batch of \(batchSize) events, an uninterrupted run takes \(String(format: "%.2f", calibrationSeconds)) s"
        }
    }

    /// Runs kill rounds until `kills` of them killed the command mid-run (a round whose command finished before its
    /// kill does not count; at most twice as many rounds), after one uninterrupted run that measures how long the
    /// command takes.
    func run(kills: Int) throws -> Tally {
        var tally = Tally()
        try LedgerFiles.copy(template, to: working)
        let base = try LedgerFiles.count(working)
        // The fastest of three uninterrupted runs: kill moments spread over a slow first run would mostly land
        // after the end of the later, warmer ones.
        tally.calibrationSeconds = .infinity
        for _ in 0..<3 {
            try LedgerFiles.copy(template, to: working)
            let started = Date()
            let calibration = try SkillsLedgerProcess.run(command(working))
            tally.calibrationSeconds = min(tally.calibrationSeconds, Date().timeIntervalSince(started))
            #expect(acceptedExits.contains(calibration.status), "\(name): an uninterrupted run failed: \(calibration)")
            tally.batchSize = try countBatch(working)
            #expect(tally.batchSize > 0, "\(name): an uninterrupted run recorded nothing: \(calibration)")
        }
        var random = Campaign.random("crash-" + name)
        var round = 0
        while tally.kills < kills && round < 2 * kills {
            defer { round += 1 }
            let delay = KillCampaign.moment(&random, within: tally.calibrationSeconds)
            let landed = try killRound(round, delay: delay, base: base, batchSize: tally.batchSize, tally: &tally)
            Campaign.record("crash \(name) round \(round): SIGKILL after \(Int(delay * 1000)) ms of ~\(Int(tally.calibrationSeconds * 1000)) ms: "
                + "\(landed == 0 ? "none" : landed == tally.batchSize ? "all" : "PART (\(landed))") of \(tally.batchSize) events")
        }
        Campaign.record("crash \(name): \(tally)")
        return tally
    }

    /// One round: copy, start, kill, then check and complete.
    func killRound(_ round: Int, delay: Double, base: Int, batchSize: Int, tally: inout Tally) throws -> Int {
        let context = "\(name) round \(round), SIGKILL after \(Int(delay * 1000)) ms (seed 0x\(String(Campaign.seed, radix: 16)))"
        try LedgerFiles.copy(template, to: working)
        let child = try SkillsLedgerProcess(command(working))
        pause(seconds: delay)
        let finished = !child.isRunning
        child.kill()
        let outcome = child.wait()
        if finished || !outcome.killed { tally.finishedBeforeKill += 1 } else { tally.kills += 1 }
        let verify = try SkillsLedgerProcess.run(["verify", "--ledger", working])
        #expect(verify.status == 0, "\(context): verify after the kill: \(verify)")
        let landed = try countBatch(working)
        #expect(landed == 0 || landed == batchSize, "\(context): \(landed) of the batch's \(batchSize) events are in the ledger")
        #expect(try LedgerFiles.count(working) == base + landed, "\(context): events other than the batch's appeared")
        if landed == 0 { tally.none += 1 } else { tally.all += 1 }
        let again = try SkillsLedgerProcess.run(command(working))
        #expect(acceptedExits.contains(again.status), "\(context): running it again: \(again)")
        #expect(try countBatch(working) == batchSize, "\(context): running it again did not complete the batch")
        #expect(try LedgerFiles.count(working) == base + batchSize, "\(context): running it again doubled events")
        let final = try SkillsLedgerProcess.run(["verify", "--ledger", working])
        #expect(final.status == 0, "\(context): verify after completing: \(final)")
        return landed
    }

    /// A kill moment: uniform over the run, with a third of the kills packed near its end, where the commit is.
    static func moment(_ random: inout SeededRandom, within seconds: Double) -> Double {
        if Int.random(in: 0..<3, using: &random) == 0 { return seconds * Double.random(in: 0.8...1.02, using: &random) }
        return seconds * Double.random(in: 0.02...1.0, using: &random)
    }
}
