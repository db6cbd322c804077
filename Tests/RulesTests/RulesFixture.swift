import Foundation
import Ledger
import LedgerTesting
import Rules
import SkillsDomain
import Testing

/// A temporary ledger with the six reference packs of Samples/policies adopted, as a bureau would set it up.
struct RulesFixture {
    let ledger: TemporaryLedger
    var store: LedgerStore { ledger.store }

    static let packsDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Samples/policies").path

    static func packPath(_ name: String) -> String { packsDirectory + "/" + name + ".yaml" }

    init(packs: [String] = ["national-skill-upgrade", "shiyan-2018", "wuhou-2019", "baiyin-2021", "zhengzhou-2024", "nanyue-2020"]) async throws {
        ledger = try TemporaryLedger()
        if !packs.isEmpty {
            _ = try await PolicyAdoption.adopt(paths: packs.map(RulesFixture.packPath), store: ledger.store, operatorName: "test")
        }
    }

    func add(_ events: Event...) throws { try add(events) }

    func add(_ events: [Event]) throws {
        try store.append(events.map { $0.submission(name: "测试") }, operatorName: "test")
    }

    /// `[payee, amount]` pairs for a jurisdiction and month, with payees as the real identifiers (the shape of the
    /// contract's expected.json).
    func due(_ jurisdiction: String, _ month: String) async throws -> [[String]] {
        try await entitlements(jurisdiction, month).map { [real($0.payee), $0.amount?.yuanString ?? "designation"] }
    }

    func entitlements(_ jurisdiction: String, _ month: String) async throws -> [Entitlement] {
        try await EntitlementEngine.entitlements(store, jurisdiction: JurisdictionCode(jurisdiction), month: Month(parsing: month)).entitlements
    }

    func outcome(_ worker: CitizenID) async throws -> WorkerOutcome {
        try await EntitlementEngine.outcome(store, context: RulesContext.load(store), worker: store.pseudonym(for: worker))
    }

    func real(_ party: String) -> String { (try? store.identities()[party]) ?? party }

    func grant(_ jurisdiction: String, _ month: String) async throws -> Granting.Result {
        try await Granting.grant(store, jurisdiction: JurisdictionCode(jurisdiction), month: Month(parsing: month), operatorName: "test")
    }
}

/// Shorthands for the tests' workers.
func worker(_ seed: Int, _ address: String = "420302") -> CitizenID { Build.citizenID(seed, address: address) }
