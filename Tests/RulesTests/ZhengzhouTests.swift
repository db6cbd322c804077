import Ledger
import LedgerTesting
import Rules
import SkillsDomain
import Testing

/// 郑州 2024: city competition ranks 1–3 enter the high-skill talent pool (no amount).
@Suite struct ZhengzhouTests {
    @Test func cityRanksOneToThreeAreDesignated() async throws {
        let fixture = try await RulesFixture()
        let first = worker(1, "410103"), fourth = worker(2, "410103"), district = worker(3, "410103")
        try fixture.add(
            Build.workerRegistered("r1", worker: first, jurisdiction: "410103"), Build.workerRegistered("r2", worker: fourth, jurisdiction: "410103"),
            Build.workerRegistered("r3", worker: district, jurisdiction: "410103"),
            Build.competitionPlaced("p1", worker: first, rank: 3), Build.competitionPlaced("p2", worker: fourth, rank: 4),
            Build.competitionPlaced("p3", worker: district, rank: 1, tier: "district"))
        let entitlements = try await fixture.entitlements("410100", "2026-05")
        #expect(entitlements.map { fixture.real($0.payee) } == [first.value])
        #expect(entitlements.first?.amount == nil && entitlements.first?.designation?.contains("高技能人才库") == true)
        #expect(try await fixture.grant("410100", "2026-05").granted.isEmpty, "a designation carries no money to grant")
    }
}
