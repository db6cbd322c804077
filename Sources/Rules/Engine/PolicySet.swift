import Foundation
import SkillsDomain

/// The packs adopted in a ledger, by policy id and version. For an event on a date, a policy's version in force is
/// the one with the latest effective date on or before it, so adopting a new version from a date never changes
/// results for months before that date.
public struct PolicySet: Sendable {
    /// Every pack added, in the order added.
    public private(set) var packs: [PolicyPack] = []
    /// policy id → its versions, ordered by effective date and then adoption order.
    var versions: [String: [PolicyPack]] = [:]
    /// Policy ids in order, so that results come out in the same order every run.
    var orderedIDs: [String] = []
    /// Every event kind some rule or credit rule triggers on: other events need no evaluation.
    public private(set) var triggerKinds: Set<EventKind> = []
    /// The dates on which some pack starts or stops: between two of them, which packs are in force for a
    /// jurisdiction does not change, so `inForce` answers once per (epoch, jurisdiction) from `cache`.
    var boundaries: [LocalDate] = []
    var cache = InForceCache()

    /// A set of these packs, added in order.
    public init(_ packs: [PolicyPack] = []) {
        for pack in packs { add(pack) }
    }

    /// Adds a pack version beside the others of its policy, ordered by effective date.
    public mutating func add(_ pack: PolicyPack) {
        packs.append(pack)
        if versions[pack.id] == nil { orderedIDs.append(pack.id); orderedIDs.sort() }
        versions[pack.id, default: []].append(pack)
        triggerKinds.formUnion(pack.rules.map(\.trigger) + pack.creditRules.map(\.trigger))
        versions[pack.id]!.sort { $0.effectiveFrom < $1.effectiveFrom }
        let ends = packs.compactMap { $0.effectiveUntil.flatMap { LocalDate(dayNumber: $0.dayNumber + 1) } }
        boundaries = Array(Set(packs.map(\.effectiveFrom) + ends)).sorted()
        cache = InForceCache()
    }

    /// The packs in force on a date for a worker in a jurisdiction, one version per policy.
    public func inForce(on date: LocalDate, for jurisdiction: JurisdictionCode) -> [PolicyPack] {
        inForce(epoch: epoch(of: date), on: date, for: jurisdiction)
    }

    /// The number of boundaries on or before a date: every date of one epoch sees the same packs.
    func epoch(of date: LocalDate) -> Int {
        var low = 0, high = boundaries.count
        while low < high {
            let middle = (low + high) / 2
            if boundaries[middle] <= date { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// `inForce(on:for:)` for a date whose epoch is known.
    func inForce(epoch: Int, on date: LocalDate, for jurisdiction: JurisdictionCode) -> [PolicyPack] {
        cache.packs(epoch: epoch, jurisdiction: jurisdiction) { computeInForce(on: date, for: jurisdiction) }
    }

    func computeInForce(on date: LocalDate, for jurisdiction: JurisdictionCode) -> [PolicyPack] {
        var result: [PolicyPack] = []
        for id in orderedIDs {
            guard let list = versions[id], let pack = list.last(where: { $0.effectiveFrom <= date }), pack.isEffective(on: date),
                  pack.jurisdiction.contains(jurisdiction) else { continue }
            result.append(pack)
        }
        return result
    }

    /// The latest version of each policy (what `policy list` shows as in force today).
    public var latest: [PolicyPack] { orderedIDs.compactMap { versions[$0]?.last } }

    /// The value of an audit floor (`budget_floor`, `frontline_floor`) in force on a date, from whichever pack sets
    /// it, with the pack that set it.
    public func auditFloor(_ name: String, on date: LocalDate) -> (value: Decimal4, pack: PolicyPack)? {
        for pack in latest.compactMap({ id in versions[id.id]?.last(where: { $0.effectiveFrom <= date }) }) {
            guard let expression = pack.audits[name] else { continue }
            if let value = try? expression.evaluate(Frame(params: pack.parameterValues(on: date))), let decimal = Evaluator.decimal(value) {
                return (decimal, pack)
            }
        }
        return nil
    }

    /// Checks a set of packs (already adopted and new) for rules of different packs that could both pay for the same
    /// evidence without a declared relation.
    public static func overlapErrors(_ packs: [PolicyPack]) -> [PackError] {
        var errors: [PackError] = []
        let latestByID = Dictionary(packs.map { ($0.id, $0) }, uniquingKeysWith: { _, newer in newer })
        let ordered = latestByID.keys.sorted().map { latestByID[$0]! }
        for (index, pack) in ordered.enumerated() {
            for other in ordered[..<index] {
                for rule in pack.rules {
                    for otherRule in other.rules {
                        if let message = RuleOverlap.conflict(rule, pack.jurisdiction, pack.id, otherRule, other.jurisdiction, other.id) {
                            errors.append(PackError(file: pack.file, position: rule.position, message: message))
                        }
                    }
                }
            }
        }
        return errors
    }
}

/// Memoised answers of `PolicySet.inForce`, shared by the copies of one policy set (the engine copies it per worker).
final class InForceCache: @unchecked Sendable {
    struct Key: Hashable {
        var epoch: Int
        var jurisdiction: JurisdictionCode
    }

    let lock = NSLock()
    var answers: [Key: [PolicyPack]] = [:]

    func packs(epoch: Int, jurisdiction: JurisdictionCode, compute: () -> [PolicyPack]) -> [PolicyPack] {
        let key = Key(epoch: epoch, jurisdiction: jurisdiction)
        lock.lock()
        defer { lock.unlock() }
        if let known = answers[key] { return known }
        let result = compute()
        answers[key] = result
        return result
    }
}
