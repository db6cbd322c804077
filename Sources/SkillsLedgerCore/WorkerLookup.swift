import Ledger
import Reports
import Rules
import SkillsDomain

/// One worker's file (`worker ID`, `GET /v1/workers/{id}`) and learning account (`credits ID`).
public struct WorkerLookup: Sendable {
    /// The ledger, operator and date the operations run with.
    public var session: Session

    /// The operations on `session`'s ledger.
    public init(_ session: Session) { self.session = session }

    /// The worker's history, certificates, credits and entitlements with what was granted.
    /// - Parameter id: a 公民身份号码, or the pseudonym of an erased person.
    /// - Throws: `ValueError` for an id that is neither; `OperationError.notFound` when the ledger has no event of them.
    public func report(for id: String, unmasked: Bool = false) async throws -> WorkerReport {
        let ledger = session.ledger
        let pseudonym = try await ledger.pseudonym(forInput: id)
        let history = try await ledger.workerHistory(pseudonym: pseudonym)
        guard !history.timeline.isEmpty else {
            throw OperationError.notFound("no events for \(CitizenID.mask(id)) in \(ledger.location)")
        }
        let context = try await RulesContext.load(ledger)
        // The timeline holds their own events (and the grants and payments made to them, which the rules do not read).
        let own = history.timeline.filter { $0.event.worker?.token == pseudonym }
        let outcome = EntitlementEngine.outcome(context: context, worker: pseudonym, events: own)
        // What was granted of their entitlements alone: the entries of every grant in the ledger took seconds and
        // hundreds of megabytes at a million grants.
        let granted = context.grantedByEntitlement(of: Set(outcome.entitlements.map(\.id))).mapValues(\.net)
        let identities = try await ledger.identities(of: outcome.entitlements.flatMap { [$0.payee, $0.worker] })
        return WorkerReport(history: history, outcome: outcome, granted: granted, identities: identities, unmasked: unmasked)
    }

    /// The worker's learning account: balance and every movement, explicit and derived.
    public func credits(for id: String) async throws -> CreditsReport {
        let ledger = session.ledger
        let pseudonym = try await ledger.pseudonym(forInput: id)
        let movements = try await LearningAccount.movements(ledger, worker: pseudonym)
        let shownID = try await ledger.registryEntry(pseudonym: pseudonym)?.citizenID ?? pseudonym
        return CreditsReport(worker: shownID, movements: movements)
    }

    /// The jurisdictions a worker was registered in over time (`worker.registered` and `worker.changed`), so that a
    /// service token sees a worker when any of them lies in its scope; empty when the ledger has no event of them.
    public func jurisdictions(of id: String) async throws -> Set<JurisdictionCode> {
        let ledger = session.ledger
        let history = try await ledger.workerHistory(pseudonym: try await ledger.pseudonym(forInput: id))
        return Set(history.timeline.compactMap { stored in
            guard stored.event.kind == .workerRegistered || stored.event.kind == .workerChanged else { return nil }
            return stored.event.data.text("jurisdiction").flatMap { try? JurisdictionCode($0) }
        })
    }
}
