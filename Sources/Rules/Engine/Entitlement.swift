import Crypto
import Foundation
import Ledger
import SkillsDomain

/// What a policy owes (or designates) for some evidence: the rule and policy version, payee, amount, evidence,
/// the parameters used and a one-line explanation in Chinese and English.
public struct Entitlement: Sendable, Equatable {
    /// Stable: derived from rule, payee and evidence, so recomputing never renames it.
    public var id: String
    /// `policy/rule`.
    public var rule: String
    public var policy: String
    public var version: String
    public var clause: String
    /// The month it arises in: that of its latest evidence (or of the completed month, for accruals).
    public var period: Month
    /// Who is paid: a worker's pseudonym or an organisation's 统一社会信用代码.
    public var payee: String
    /// The worker it concerns (pseudonym).
    public var worker: String
    /// Nil for a designation (e.g. the talent pool), which carries no money.
    public var amount: Money?
    public var designation: String?
    public var evidence: [String]
    public var parameters: [String: String]
    public var explanationZH: String
    public var explanationEN: String
    /// The worker's jurisdiction when it arose.
    public var jurisdiction: JurisdictionCode
    /// The date of the triggering fact.
    public var date: LocalDate

    public var explanation: String { explanationZH + " / " + explanationEN }

    public static func == (lhs: Entitlement, rhs: Entitlement) -> Bool {
        lhs.id == rhs.id && lhs.amount == rhs.amount && lhs.period == rhs.period && lhs.payee == rhs.payee
    }

    /// The id hashes the rule, the evidence ids and an organisation payee's code — never a person's pseudonym, which
    /// differs between ledgers — so that it is the same in a ledger rebuilt from `export` (no double grants) and says
    /// nothing about the person.
    static func makeID(rule: String, payee: String, evidence: [String], suffix: String = "") -> String {
        let payeePart = PersonRef.isPseudonym(payee) ? "worker" : payee
        let text = ([rule, payeePart] + evidence.sorted() + [suffix]).joined(separator: "|")
        let digest = SHA256.hash(data: Data(text.utf8))
        // `ent-` and the hex of the first 10 bytes, written in place (`String(format:)` per byte was a sixth of the
        // engine's time).
        return digest.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: 24) { buffer in
                buffer[0] = UInt8(ascii: "e"); buffer[1] = UInt8(ascii: "n"); buffer[2] = UInt8(ascii: "t"); buffer[3] = UInt8(ascii: "-")
                Hex.write(UnsafeRawBufferPointer(rebasing: bytes.prefix(10)), into: buffer, at: 4)
                return 24
            }
        }
    }
}

/// A rule that could have paid but did not: excluded by a limit or by a larger exclusive subsidy. Shown to the
/// worker and the auditor so that nothing is silently dropped.
public struct Exclusion: Sendable, Equatable {
    public var rule: String
    public var evidence: [String]
    public var amount: Money?
    public var reasonZH: String
    public var reasonEN: String
    public var date: LocalDate
}

/// One movement of a learning account (学分银行, Shiyan #10).
public struct CreditMovement: Sendable, Equatable {
    public var event: String
    public var date: LocalDate
    public var credits: Credits
    public var sourceKind: String
    /// `policy/rule` for derived credits; nil for an explicit credit.earned event.
    public var rule: String?
}

/// All that the engine finds for one worker.
public struct WorkerOutcome: Sendable {
    public var worker: String
    public var entitlements: [Entitlement] = []
    public var exclusions: [Exclusion] = []
    public var credits: [CreditMovement] = []
    /// Rules that could not be evaluated (e.g. division by zero), reported rather than hidden.
    public var problems: [String] = []
    /// The worker's events as read, reversed ones included (set by `EntitlementEngine.forEachOutcome`): settlement
    /// names those recorded after a grant as what changed it.
    public var events: [StoredEvent] = []
}
