import Rules
import SkillsDomain

/// `policy list`: the adopted policy packs, each version with its jurisdiction, effective date, hash and rules.
public struct PolicyListReport: Report, Sendable {
    /// Every adopted pack version, in adoption order.
    public var packs: [PolicyPack]

    /// The list of `packs`.
    public init(packs: [PolicyPack]) { self.packs = packs }

    public var formats: Set<ReportFormat> { [.table, .json] }

    public func write(_ format: ReportFormat, to emit: (String) -> Void) {
        emit(effectiveFormat(format) == .json ? prettyLine(json) : table + "\n")
    }

    static func ruleIDs(_ pack: PolicyPack) -> [String] { pack.rules.map(\.id) + pack.creditRules.map(\.id) }

    /// `{"policies": [{"policy", "version", "jurisdiction", "title", "effective_from", "sha256", "rules"}]}`.
    public var json: JSONValue {
        .object([JSONMember("policies", .array(packs.map { pack in
            .object([JSONMember("policy", .string(pack.id)), JSONMember("version", .string(pack.version)),
                     JSONMember("jurisdiction", .string(pack.jurisdiction.value)), JSONMember("title", .string(pack.title)),
                     JSONMember("effective_from", .string(pack.effectiveFrom.description)), JSONMember("sha256", .string(pack.sha256)),
                     JSONMember("rules", .array(PolicyListReport.ruleIDs(pack).map { .string($0) }))])
        }))])
    }

    /// One row per pack version, or how to adopt the samples when there is none.
    public var table: String {
        guard !packs.isEmpty else { return "no policy packs adopted yet: `skills-ledger policy adopt Samples/policies/*.yaml`" }
        var table = TextColumns(["policy", "version", "jurisdiction", "from", "title", "rules"])
        for pack in packs {
            table.add([pack.id, pack.version, pack.jurisdiction.value, pack.effectiveFrom.description, pack.title,
                       PolicyListReport.ruleIDs(pack).joined(separator: ", ")])
        }
        return table.rendered
    }
}
