import Foundation
import Ledger
import LedgerTesting
import Rules
import SkillsDomain
import Testing

/// Loading a pack checks it: every error names the file, line and column.
@Suite struct PackLoadingTests {
    static func pack(rules: String, parameters: String = "") -> String {
        """
        policy: test-pack
        version: "1"
        title: test
        jurisdiction: "420300"
        source:
          document: test
        effective:
          from: 2020-01-01
        parameters:
          amount:
            type: money by level
            values:
              2020-01-01: {junior: "1000"}
          rate:
            type: ratio
            values:
              2020-01-01: "0.5"
        \(parameters)
        rules:
        \(rules)
        """
    }

    func errors(_ text: String) -> [PackError] {
        do {
            _ = try PackLoader.load(text: text, file: "pack.yaml")
            return []
        } catch { return error.errors }
    }

    @Test func referencePacksLoad() throws {
        for name in ["national-skill-upgrade", "shiyan-2018", "wuhou-2019", "baiyin-2021", "zhengzhou-2024", "nanyue-2020"] {
            let pack = try PackLoader.load(path: RulesFixture.packPath(name))
            #expect(pack.id == name)
            #expect(pack.sha256.count == 64)
        }
    }

    @Test func aTypoInAFieldNameIsRefusedWithLineAndColumn() {
        let text = PackTexts.typo
        let found = errors(text)
        #expect(found.count == 1)
        let error = found[0]
        #expect(error.position == SourcePosition(line: 20, column: 33))
        #expect(error.message.contains("unknown field \"levle\""))
        #expect(error.description.hasPrefix("pack.yaml:20:33: error:"))
    }

    @Test func typeErrorsAreRefused() {
        let moneyTimesMoney = errors(Self.pack(rules: """
              - id: r
                clause: test
                on: training.completed
                amount: event.cost * event.cost
            """))
        #expect(moneyTimesMoney.first?.message.contains("multiplied by money") == true)
        #expect(moneyTimesMoney.first?.position?.line == 23)

        let notBool = errors(Self.pack(rules: """
              - id: r
                clause: test
                on: training.completed
                when: event.cost
                amount: event.cost * params.rate
            """))
        #expect(notBool.first?.message.contains("must be bool") == true)

        let badChoice = errors(Self.pack(rules: """
              - id: r
                clause: test
                on: training.completed
                when: event.paid_by == "employr"
                amount: event.cost * params.rate
            """))
        #expect(badChoice.first?.message.contains("never a value of event.paid_by") == true)
        #expect(badChoice.first?.position == SourcePosition(line: 23, column: 28))

        let unknownName = errors(Self.pack(rules: """
              - id: r
                clause: test
                on: training.completed
                amount: event.cost * parms.rate
            """))
        #expect(unknownName.first?.message.contains("unknown name \"parms\"") == true)
    }

    @Test func structuralErrorsAreRefused() {
        let unknownKey = errors(Self.pack(rules: """
              - id: r
                clause: test
                on: training.completed
                amonut: event.cost * params.rate
            """))
        #expect(unknownKey.contains { $0.message.contains("unknown key \"amonut\"") && $0.position?.line == 23 })
        let unknownKind = errors(Self.pack(rules: """
              - id: r
                clause: test
                on: training.complete
                amount: event.cost * params.rate
            """))
        #expect(unknownKind.first?.message.contains("unknown event kind") == true)
        let syntax = errors("policy: x\n  bad: [unclosed\n")
        #expect(syntax.first?.message.contains("not valid YAML") == true)
        #expect(syntax.first?.position != nil)
        let badLevel = errors(Self.pack(rules: "", parameters: """
          caps:
            type: money by level
            values:
              2020-01-01: {juniour: "1"}
        """))
        #expect(badLevel.contains { $0.message.contains("\"juniour\" is not a skill level") })
    }

    @Test func overlappingRulesNeedADeclaredRelation() {
        let overlapping = errors(Self.pack(rules: """
              - id: first
                clause: test
                on: certification.awarded
                amount: params.amount[event.level]
              - id: second
                clause: test
                on: certification.awarded
                levels: [junior]
                amount: params.amount[event.level]
            """))
        #expect(overlapping.count == 1)
        #expect(overlapping.first?.message.contains("could both pay for the same certification.awarded event") == true)
        #expect(overlapping.first?.position?.line == 24)
        let disjoint = errors(Self.pack(rules: """
              - id: first
                clause: test
                on: certification.awarded
                levels: [senior]
                amount: params.amount[event.level]
              - id: second
                clause: test
                on: certification.awarded
                levels: [junior]
                amount: params.amount[event.level]
            """))
        #expect(disjoint.isEmpty)
    }

    @Test func adoptingAnOverlappingPackAcrossPacksIsRefusedAndWritesNothing() async throws {
        let fixture = try await RulesFixture(packs: ["national-skill-upgrade"])
        let before = try fixture.store.digest()
        let path = try fixture.ledger.file("local.yaml", Self.pack(rules: """
              - id: local-upgrade
                clause: test
                on: certification.awarded
                levels: [junior]
                amount: params.amount[event.level]
            """))
        await #expect(throws: PackErrors.self) { try await PolicyAdoption.adopt(paths: [path], store: fixture.store, operatorName: "test") }
        #expect(try fixture.store.digest() == before)
    }

    @Test func adoptingTwiceIsANoOpAndPacksAreRecordedWithTheirText() async throws {
        let fixture = try await RulesFixture(packs: ["national-skill-upgrade"])
        let again = try await PolicyAdoption.adopt(paths: [RulesFixture.packPath("national-skill-upgrade")], store: fixture.store, operatorName: "test")
        #expect(again.adopted.isEmpty && again.alreadyAdopted == 1)
        let recorded = try #require(try fixture.store.event(id: "policy:national-skill-upgrade:2019.1"))
        let text = try String(contentsOfFile: RulesFixture.packPath("national-skill-upgrade"), encoding: .utf8)
        #expect(recorded.event.data.text("text") == text)
    }

    @Test func aNewVersionChangesAmountsFromItsDateOnly() async throws {
        let fixture = try await RulesFixture(packs: ["national-skill-upgrade"])
        let before = worker(1), after = worker(2)
        try fixture.add(
            Build.workerRegistered("r1", worker: before), Build.workerRegistered("r2", worker: after),
            Build.certificationAwarded("c1", worker: before, on: "2026-05-31"),
            Build.certificationAwarded("c2", worker: after, on: "2026-06-01"))
        let original = try String(contentsOfFile: RulesFixture.packPath("national-skill-upgrade"), encoding: .utf8)
        let lowered = original.replacingOccurrences(of: "version: \"2019.1\"", with: "version: \"2026.6\"")
            .replacingOccurrences(of: "from: 2019-01-01", with: "from: 2026-06-01")
            .replacingOccurrences(of: "{junior: \"1000\"", with: "{junior: \"800\"")
        let path = try fixture.ledger.file("national-2026.yaml", lowered)
        _ = try await PolicyAdoption.adopt(paths: [path], store: fixture.store, operatorName: "test")
        #expect(try await fixture.due("420300", "2026-05") == [[before.value, "1000.00"]], "months before the new version do not change")
        #expect(try await fixture.due("420300", "2026-06") == [[after.value, "800.00"]])
        #expect(try await fixture.entitlements("420300", "2026-06").first?.version == "2026.6")
    }
}

enum PackTexts {
    /// A copy of a real rule with `event.levle` on line 20 (the field name at column 33).
    static let typo = """
    policy: typo-pack
    version: "1"
    title: typo
    jurisdiction: "420300"
    source:
      document: test
    effective:
      from: 2020-01-01
    parameters:
      amount:
        type: money by level
        values:
          2020-01-01: {junior: "1000"}
    rules:
      - id: upgrade
        clause: test
        on: certification.awarded
        levels: [junior]
        when: event.occupation != ""
        amount: params.amount[event.levle]
    """
}
