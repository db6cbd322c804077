import Foundation
import Intake
import Ledger
import LedgerTesting
import Rules
import SkillsDomain
import Testing

/// The samples' cases, computed by hand from SPEC.md's reference policies (Samples/README.md lists them), against
/// what the engine finds: every amount to the fen, and nothing where nothing is due.
@Suite struct SamplesTests {
    static let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Samples").path

    static func fixture() async throws -> RulesFixture {
        let fixture = try await RulesFixture()
        for file in ["workers.csv", "training.csv", "certificates.csv", "events.jsonl"] {
            try fixture.store.append(operatorName: "test") { sink in
                try EventFileReader(path: samples + "/" + file).read { try sink.add($0) }
            }
        }
        return fixture
    }

    /// Evidence (the triggering event) → amount, over all months and jurisdictions.
    static func amountsByTrigger(_ fixture: RulesFixture) async throws -> [String: [String]] {
        var result: [String: [String]] = [:]
        try await EntitlementEngine.forEachOutcome(fixture.store, context: RulesContext.load(fixture.store)) { outcome in
            for entitlement in outcome.entitlements {
                result[entitlement.evidence.last!, default: []].append(entitlement.amount?.yuanString ?? "designation")
            }
        }
        return result
    }

    @Test func handCalculatedCases() async throws {
        let amounts = try await Self.amountsByTrigger(Self.fixture())
        let expected: [String: [String]?] = [
            // National skill-upgrade.
            "sy-c-001": ["1500.00"], "sy-c-017": ["2000.00"], "wh-c-002": ["1500.00"], "zz-c-003": ["2000.00"], "by-c-002": ["1500.00"],
            "sy-c-002": ["1000.00"], "by-c-001": ["1000.00"],
            "sy-c-003": ["1000.00"],  // #17 only: under 12 insured months
            "wh-c-004": nil, "by-c-004": nil,
            "sy-c-007": ["1000.00"], "sy-c-008": ["1000.00"], "sy-c-009": ["1000.00"], "sy-c-010": nil,
            "sy-c-011": ["2000.00"], "sy-c-012": nil,
            "sy-c-014": nil, "sy-c-015": ["1500.00"], "sy-c-013": nil,
            // Technician training (Shiyan #15, Wuhou #22).
            "sy-c-005": ["3000.00"], "sy-c-006": ["3800.00"], "wh-c-001": ["3000.00"], "wh-c-011": nil,
            // #17 against skill-upgrade: the larger (skill-upgrade) wins.
            "sy-c-004": ["1000.00"],
            // 诸葛工匠: once in a lifetime.
            "wh-hon-001": ["10000.00"], "wh-hon-003": nil, "wh-hon-002": ["10000.00"],
            // Zhengzhou talent pool: ranks 1–3 of a city competition.
            "zz-cmp-001": ["designation"], "zz-cmp-002": ["designation"], "zz-cmp-003": ["designation"],
            "zz-cmp-004": nil, "zz-cmp-005": nil, "zz-cmp-006": nil, "zz-cmp-007": nil,
            // Nanyue: 80% / 50% of employer-paid cost, 2,000 a worker a year.
            "yq-t-001": ["1200.00"], "yq-t-007": ["960.00"], "yq-t-008": ["1600.00"], "yq-t-002": ["900.00"], "yq-t-011": ["500.00"],
            "yq-t-003": ["1440.00"], "yq-t-004": ["560.00"], "yq-t-006": ["800.00"], "yq-t-005": nil, "yq-t-009": nil, "yq-t-010": nil,
        ]
        for (evidence, amount) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(amounts[evidence] == amount, "\(evidence)")
        }
        // Baiyin: 500 a completed month, by apprenticeship.
        #expect(amounts["by-app-003"]?.count == 5, "terminated after five completed months")
        #expect(amounts["by-app-004"]?.count == 12, "completed after twelve months")
        #expect(amounts["by-app-005"]?.count == 24, "36 planned, at most 24")
        #expect(Set(amounts["by-app-001"] ?? []) == ["500.00"])
    }

    @Test func auditsOfTheSamples() async throws {
        let fixture = try await Self.fixture()
        let budget = Dictionary(uniqueKeysWithValues: try await Audits.budget(fixture.store, year: 2026).map { ($0.jurisdiction, $0) })
        #expect(budget["620400"]?.ratio.description == "0.1800" && budget["620400"]?.shortfall.yuanString == "1680000.00")
        #expect(budget.filter { $0.value.shortfall.fen > 0 }.keys.sorted() == ["620400"])
        let employers = try await Audits.employers(fixture.store, year: 2026)
        #expect(employers.filter { $0.shortfall.fen > 0 }.map { "\($0.ratio) \($0.shortfall.yuanString)" } == ["0.4500 277500.00"])
    }

    @Test func learningAccountsOfTheSamples() async throws {
        let fixture = try await Self.fixture()
        var credits: [String: String] = [:]
        try await EntitlementEngine.forEachOutcome(fixture.store, context: RulesContext.load(fixture.store)) { outcome in
            for movement in outcome.credits where movement.sourceKind == "course" && movement.rule != nil { credits[movement.event] = movement.credits.text }
        }
        #expect(credits["sy-t-005"] == "6.0" && credits["sy-t-002"] == "4.0" && credits["sy-t-003"] == "15.0")
    }
}
