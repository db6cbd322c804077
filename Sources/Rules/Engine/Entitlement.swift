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
    /// The id of the policy pack.
    public var policy: String
    /// The pack version it was computed under.
    public var version: String
    /// The clause of the policy document the rule implements.
    public var clause: String
    /// The month it arises in: that of its latest evidence (or of the completed month, for accruals).
    public var period: Month
    /// Who is paid: a worker's pseudonym or an organisation's 统一社会信用代码.
    public var payee: String
    /// The worker it concerns (pseudonym).
    public var worker: String
    /// Nil for a designation (e.g. the talent pool), which carries no money.
    public var amount: Money?
    /// For a designation, what it designates: `中文 (English)`; nil for money.
    public var designation: String?
    /// The ids of the events it is computed from: the trigger and the prior events it required.
    public var evidence: [String]
    /// The parameters its rule's expressions read, with the values used (`NAME[KEY]` for a table lookup, ` (sample)`
    /// marking a sample value; `capped_from` when a yearly cap reduced it).
    public var parameters: [String: String]
    /// The one-line explanation in Chinese, citing the clause.
    public var explanationZH: String
    /// The one-line explanation in English.
    public var explanationEN: String
    /// The worker's jurisdiction when it arose.
    public var jurisdiction: JurisdictionCode
    /// The date of the triggering fact.
    public var date: LocalDate

    /// Chinese, then English: `ZH / EN`.
    public var explanation: String { explanationZH + " / " + explanationEN }

    public static func == (lhs: Entitlement, rhs: Entitlement) -> Bool {
        lhs.id == rhs.id && lhs.amount == rhs.amount && lhs.period == rhs.period && lhs.payee == rhs.payee
    }

    /// The id hashes the rule, the evidence ids and an organisation payee's code — never a person's pseudonym, which
    /// differs between ledgers — so that it is the same in a ledger rebuilt from `export` (no double grants) and says
    /// nothing about the person.
    static func makeID(rule: String, payee: String, evidence: [String], suffix: String = "") -> String {
        // `rule|payee|evidence…|suffix`, written into one string and hashed where it lies (every entitlement computed).
        var text = rule
        text += "|"
        text += PersonRef.isPseudonym(payee) ? "worker" : payee
        for id in evidence.count > 1 ? evidence.sorted() : evidence {
            text += "|"
            text += id
        }
        text += "|"
        text += suffix
        var hasher = SHA256()
        text.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        let digest = hasher.finalize()
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
    /// `policy/rule`.
    public var rule: String
    /// The ids of the events it would have paid for.
    public var evidence: [String]
    /// What it would have paid; nil for a designation.
    public var amount: Money?
    /// Why it did not pay, in Chinese (the limit or the exclusive subsidy that won).
    public var reasonZH: String
    /// Why it did not pay, in English.
    public var reasonEN: String
    /// The date of the triggering event.
    public var date: LocalDate
}

/// One movement of a learning account (学分银行, Shiyan #10).
public struct CreditMovement: Sendable, Equatable {
    /// The id of the event that earned the credits.
    public var event: String
    /// That event's date.
    public var date: LocalDate
    /// The credits added, in tenths of a credit.
    public var credits: Credits
    /// What earned them: `course`, `certificate`, `degree` or `other` (an explicit event's `source_kind`; for derived
    /// credits, from the trigger's kind).
    public var sourceKind: String
    /// `policy/rule` for derived credits; nil for an explicit credit.earned event.
    public var rule: String?
}

/// All that the engine finds for one worker.
public struct WorkerOutcome: Sendable {
    /// The worker's pseudonym.
    public var worker: String
    /// What the adopted packs owe or designate for the worker.
    public var entitlements: [Entitlement] = []
    /// Rules that could have paid but did not, with why.
    public var exclusions: [Exclusion] = []
    /// The learning account's movements.
    public var credits: [CreditMovement] = []
    /// Rules that could not be evaluated (e.g. division by zero), reported rather than hidden.
    public var problems: [String] = []
    /// The worker's events as read, reversed ones included (set by `EntitlementEngine.forEachOutcome`): settlement
    /// names those recorded after a grant as what changed it.
    public var events: [StoredEvent] = []
}
