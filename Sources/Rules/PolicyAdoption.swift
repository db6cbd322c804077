import Ledger
import SkillsDomain

/// Records policy packs in the ledger (`policy.adopted`) after checking them alone and together with the packs
/// already adopted, so that every entitlement can be traced to the exact text it was computed under.
public enum PolicyAdoption {
    /// What an adoption did.
    public struct Result: Sendable {
        /// The pack versions newly recorded, in the order given.
        public var adopted: [PolicyPack]
        /// How many were recorded already with the same text (a no-op).
        public var alreadyAdopted: Int
    }

    /// The event id of a pack version: one id names one text for good. Only the characters event ids allow (so that
    /// `export` can be submitted again): `policy:national-skill-upgrade:2019.1`.
    public static func eventID(_ pack: PolicyPack) -> String {
        let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-")
        let id = String("policy:\(pack.id):\(pack.version)".map { allowed.contains($0) ? $0 : "_" })
        return id.count <= EventID.maximumLength ? id : String(id.prefix(EventID.maximumLength))
    }

    /// Loads, checks and records the packs at `paths` in one batch. Throws `PackErrors` (nothing recorded) if any pack
    /// has an error or the set has undeclared overlaps.
    public static func adopt(paths: [String], store: any LedgerStorage, operatorName: String) async throws -> Result {
        var packs: [PolicyPack] = []
        var errors: [PackError] = []
        for path in paths {
            do { packs.append(try PackLoader.load(path: path)) } catch { errors += error.errors }
        }
        guard errors.isEmpty else { throw PackErrors(errors) }
        let existing = try await RulesContext.load(store).policies.latest
        let overlapErrors = PolicySet.overlapErrors(existing.filter { old in !packs.contains { $0.id == old.id } } + packs)
            .filter { error in packs.contains { $0.file == error.file } }
        guard overlapErrors.isEmpty else { throw PackErrors(overlapErrors) }
        let submissions = packs.map { pack in
            Submission(event: Event(
                id: eventID(pack), kind: .policyAdopted, occurredOn: pack.effectiveFrom,
                source: pack.jurisdiction.isNational ? "national" : pack.jurisdiction.value,
                data: EventData([("policy", .text(pack.id)), ("version", .text(pack.version)), ("jurisdiction", .text(pack.jurisdiction.value)),
                                 ("sha256", .text(pack.sha256)), ("text", .text(pack.text))])), origin: pack.file)
        }
        let result = try await store.append(submissions, operatorName: operatorName, recordedAt: Timestamp.now())
        let recorded = Set(result.recordedIDs)
        return Result(adopted: packs.filter { recorded.contains(eventID($0)) }, alreadyAdopted: result.alreadyRecorded)
    }
}
