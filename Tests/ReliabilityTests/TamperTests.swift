import Foundation
import GRDB
@testable import Ledger
import LedgerTesting
import SkillsDomain
import Testing

/// Tamper evidence (RELIABILITY.md §3): copies of a ledger changed at the SQLite level (triggers dropped and put
/// back) and at the byte level; every change must be reported by `verify` (integrity failure, exit 3) or refused with
/// a clear error, and `verify --digest` must catch a history rewritten consistently.
@Suite("tamper campaign", .serialized)
struct TamperTests {
    @Test("randomised SQL-level changes to events, chain, registry, grant facts, settings and schema are all detected")
    func sqlCampaign() throws {
        let fixture = try TamperFixture()
        let rounds = Campaign.size("tamper_sql", ci: 120, full: 3_000)
        var random = Campaign.random("tamper-sql")
        var detected: [String: Int] = [:]
        var refusedBySchema = 0
        for round in 0..<rounds {
            let mutation = SQLMutation.all[round % SQLMutation.all.count]
            let (plain, refused) = try fixture.applying(mutation, to: "plain.sqlite", &random)
            refusedBySchema += refused
            guard let plain else {
                Issue.record("round \(round): \(mutation.name) was refused by the schema 20 times in a row: the mutation cannot be applied")
                continue
            }
            let audited = fixture.scratch.path("audited.sqlite")
            try LedgerFiles.copy(plain, to: audited)
            let withDigest = Detection.check(audited, extending: fixture.published)
            let without = Detection.check(plain)
            #expect(withDigest.caught, "round \(round): \(mutation.name) was accepted by verify --digest")
            if !mutation.needsDigest {
                #expect(without.caught, "round \(round): \(mutation.name) was accepted by verify")
            } else {
                #expect(!without.caught, "round \(round): \(mutation.name) should leave a consistent chain (the test's forgery is wrong)")
            }
            if withDigest.caught { detected[mutation.name, default: 0] += 1 }
        }
        let total = detected.values.reduce(0, +)
        Campaign.record("tamper sql: \(total) of \(rounds) applied mutations detected (\(refusedBySchema) picks refused by CHECK/UNIQUE "
            + "even without triggers, drawn again) over \(SQLMutation.all.count) kinds: " + detected.keys.sorted().map { "\($0) ×\(detected[$0]!)" }.joined(separator: ", "))
        #expect(Set(detected.keys).count == SQLMutation.all.count, "every kind of mutation ran at least once")
    }

    @Test("a history rewritten with every hash recomputed verifies, and verify --digest names the rewrite (CLI exit 3)",
          .enabled(if: SkillsLedgerBinary.path != nil, Comment(rawValue: SkillsLedgerBinary.missing)))
    func consistentRewrite() throws {
        let fixture = try TamperFixture()
        let forged = try fixture.copy("forged.sqlite")
        try Tampering.edit(forged) { db in
            try db.execute(sql: "UPDATE events SET data = replace(data, '\"amount\":\"1000.00\"', '\"amount\":\"9000.00\"') WHERE id = 'g-1'")
            #expect(db.changesCount == 1)
            let seq = try Int64.fetchOne(db, sql: "SELECT seq FROM events WHERE id = 'g-1'")!
            try Tampering.rechain(db, from: seq)
        }
        let plain = try SkillsLedgerProcess.run(["verify", "--ledger", forged])
        #expect(plain.status == 0, "a consistent rewrite passes the chain check alone: that is what the digest is for")
        let audited = try SkillsLedgerProcess.run(["verify", "--ledger", forged, "--digest", fixture.published.description])
        #expect(audited.status == 3, "\(audited)")
        #expect(audited.stderr.contains("history was rewritten"), "\(audited)")

        let cut = try fixture.copy("cut.sqlite")
        try Tampering.edit(cut) { db in try db.execute(sql: "DELETE FROM events WHERE seq > ?", arguments: [fixture.eventCount - 2]) }
        let truncated = try SkillsLedgerProcess.run(["verify", "--ledger", cut, "--digest", fixture.published.description])
        #expect(truncated.status == 3 && truncated.stderr.contains("events were removed"), "\(truncated)")
    }

    @Test("the CLI reports tampering with exit 3 and says what it found",
          .enabled(if: SkillsLedgerBinary.path != nil, Comment(rawValue: SkillsLedgerBinary.missing)),
          arguments: [
            ("events.data changed", "does not match its hash"),
            ("registry: a name changed", "personal-data registry"),
            ("registry: a row deleted", "personal-data registry"),
            ("schema: a guard trigger rewritten to do nothing", "schema is not the one"),
            ("ledger_meta: pseudonym key deleted", "pseudonym key"),
            ("grant_facts: an amount changed", "skills-ledger rebuild"),
            ("grant_facts: a row deleted", "the grant has no row in grant_facts"),
            ("schema: the record of a migration deleted", "schema cannot be brought up to date"),
          ])
    func cliExitCode(mutationName: String, expected: String) throws {
        let fixture = try TamperFixture()
        let mutation = try #require(SQLMutation.all.first { $0.name == mutationName })
        var random = Campaign.random("tamper-cli-" + mutationName)
        let path = try #require(try fixture.applying(mutation, to: "cli.sqlite", &random).path,
                                "\(mutationName) was refused by the schema 20 times in a row (seed 0x\(String(Campaign.seed, radix: 16)))")
        let outcome = try SkillsLedgerProcess.run(["verify", "--ledger", path])
        #expect(outcome.status == 3, "\(mutationName): \(outcome)")
        #expect(outcome.stderr.contains(expected), "\(mutationName): \(outcome)")
    }

    @Test("randomised byte-level damage to the file: every change of content is reported, never a crash",
          .enabled(if: SkillsLedgerBinary.path != nil, Comment(rawValue: SkillsLedgerBinary.missing)))
    func byteCampaign() throws {
        let fixture = try TamperFixture()
        let original = try Data(contentsOf: URL(fileURLWithPath: fixture.original))
        let meaning = try #require(Tampering.dump(fixture.original))
        let rounds = Campaign.size("tamper_bytes", ci: 60, full: 2_000)
        var random = Campaign.random("tamper-bytes")
        var tally: [String: Int] = [:]
        var messages: [String: Int] = [:]
        for round in 0..<rounds {
            let damage = ByteDamage.all[round % ByteDamage.all.count]
            let bytes = damage.apply(original, &random)
            let path = fixture.scratch.path("damaged.sqlite")
            LedgerFiles.remove(path)
            try bytes.write(to: URL(fileURLWithPath: path))
            let outcome = try SkillsLedgerProcess(["verify", "--ledger", path]).wait(limitSeconds: 120)
            let context = "round \(round), \(damage.name) (seed 0x\(String(Campaign.seed, radix: 16)))"
            #expect(!outcome.killed, "\(context): verify crashed or hung: \(outcome)")
            switch outcome.status {
            case 0:
                LedgerFiles.remove(path + "-wal")
                #expect(Tampering.dump(path) == meaning, "\(context): the content changed and verify accepted it: \(outcome)")
                tally["no change of content", default: 0] += 1
            case 2, 3:
                #expect(outcome.stderr.hasPrefix("error: "), "\(context): not a clear error: \(outcome)")
                tally[outcome.status == 3 ? "integrity failure (exit 3)" : "refused (exit 2)", default: 0] += 1
                messages[ByteDamage.gist(outcome.stderr), default: 0] += 1
            default:
                Issue.record("\(context): unexpected exit: \(outcome)")
            }
        }
        Campaign.record("tamper bytes: \(rounds) damaged copies over \(ByteDamage.all.count) kinds: "
            + tally.keys.sorted().map { "\($0) ×\(tally[$0]!)" }.joined(separator: ", "))
        Campaign.record("tamper bytes, what verify said: " + messages.keys.sorted().map { "\"\($0)\" ×\(messages[$0]!)" }.joined(separator: "; "))
    }
}

/// One way to damage the file's bytes.
struct ByteDamage: Sendable {
    var name: String
    var apply: @Sendable (Data, inout SeededRandom) -> Data

    static let pageSize = 4096

    /// The kind of an error message, without the path, seq or event that vary from copy to copy.
    static func gist(_ stderr: String) -> String {
        var text = stderr.split(separator: "\n").first.map(String.init) ?? ""
        if let range = text.range(of: " is not a SkillsLedger ledger: ") { text = "… is not a SkillsLedger ledger: " + text[range.upperBound...] }
        if let range = text.range(of: #"integrity failure at seq \d+( \(event [^)]*\))?"#, options: .regularExpression) {
            text.replaceSubrange(range, with: "integrity failure at seq N")
        }
        if let range = text.range(of: #"ps_[0-9a-f]{32}"#, options: .regularExpression) { text.replaceSubrange(range, with: "ps_…") }
        return String(text.prefix(140))
    }

    /// A byte flipped somewhere inside the first occurrence of `needle` (a name, an ID number, a key, a hash).
    static func inside(_ name: String, _ needle: @escaping @Sendable (Data) -> Data?) -> ByteDamage {
        ByteDamage(name: "a byte inside \(name)") { data, random in
            var copy = data
            guard let target = needle(data), let range = data.range(of: target) else { return flip(data, &random) }
            let offset = Int.random(in: range, using: &random)
            copy[offset] ^= UInt8.random(in: 1...255, using: &random)
            return copy
        }
    }

    static func flip(_ data: Data, _ random: inout SeededRandom) -> Data {
        var copy = data
        let offset = Int.random(in: 0..<copy.count, using: &random)
        copy[offset] ^= UInt8(1) << UInt8.random(in: 0...7, using: &random)
        return copy
    }

    static func page(_ data: Data, _ random: inout SeededRandom, from first: Int = 1) -> Range<Int> {
        let pages = data.count / pageSize
        let index = Int.random(in: min(first, pages - 1)..<pages, using: &random)
        return index * pageSize..<(index + 1) * pageSize
    }

    static let all: [ByteDamage] = [
        ByteDamage(name: "a bit flipped anywhere") { data, random in flip(data, &random) },
        ByteDamage(name: "a bit flipped anywhere") { data, random in flip(data, &random) },
        inside("a worker's name") { _ in Data(Population.name(3).utf8) },
        inside("an ID number in the registry") { _ in Data(Population.citizen(4).value.utf8) },
        inside("an event's data") { _ in Data("\"reference\":\"XF-7\"".utf8) },
        inside("an event id") { _ in Data("cr-11".utf8) },
        inside("an operator name") { _ in Data("institution-2".utf8) },
        inside("a pseudonym") { data in data.range(of: Data("ps_".utf8)).map { data.subdata(in: $0.lowerBound..<$0.lowerBound + 35) } },
        ByteDamage(name: "a page zeroed") { data, random in
            var copy = data
            copy.replaceSubrange(page(data, &random), with: Data(count: pageSize))
            return copy
        },
        ByteDamage(name: "the header page zeroed") { data, _ in
            var copy = data
            copy.replaceSubrange(0..<pageSize, with: Data(count: pageSize))
            return copy
        },
        ByteDamage(name: "a page copied over another") { data, random in
            var copy = data
            copy.replaceSubrange(page(data, &random), with: data.subdata(in: page(data, &random)))
            return copy
        },
        ByteDamage(name: "two pages swapped") { data, random in
            var copy = data
            let first = page(data, &random), second = page(data, &random)
            copy.replaceSubrange(first, with: data.subdata(in: second))
            copy.replaceSubrange(second, with: data.subdata(in: first))
            return copy
        },
        ByteDamage(name: "the file truncated at a page boundary") { data, random in
            data.prefix(Int.random(in: 1..<max(2, data.count / pageSize), using: &random) * pageSize)
        },
        ByteDamage(name: "the file truncated anywhere") { data, random in data.prefix(Int.random(in: 0..<data.count, using: &random)) },
        ByteDamage(name: "garbage appended") { data, random in
            data + Data((0..<Int.random(in: 1...(2 * pageSize), using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
        },
        ByteDamage(name: "random bytes over a stretch") { data, random in
            var copy = data
            let start = Int.random(in: 0..<data.count, using: &random)
            for offset in start..<min(data.count, start + Int.random(in: 1...64, using: &random)) { copy[offset] = UInt8.random(in: 0...255, using: &random) }
            return copy
        },
    ]
}
