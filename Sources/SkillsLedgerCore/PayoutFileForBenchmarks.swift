import Foundation
import Generator
import Ledger
import SkillsDomain

/// A month's payout file made from a ledger's grants (`generate --from-ledger`), with a known mix of discrepancies,
/// so that the benchmarks reconcile a realistic bank file.
public struct PayoutFileForBenchmarks: Sendable {
    /// The ledger, operator and date the operations run with.
    public var session: Session

    /// The operations on `session`'s ledger.
    public init(_ session: Session) { self.session = session }

    /// Writes payments-M.csv, its hledger journal and payments-M.mix.json into `directory`.
    public func write(month: Month, jurisdiction: JurisdictionCode, seed: UInt64, to directory: String) async throws -> PayoutGenerator.Mix {
        let grants = try await self.grants(month: month, jurisdiction: jurisdiction)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return try PayoutGenerator(month: month, seed: seed).write(grants: grants, to: directory)
    }

    /// The month's positive grants of the jurisdiction that are not reversed, with payees re-identified (looked up a
    /// chunk of grants at a time rather than loading the whole registry).
    func grants(month: Month, jurisdiction: JurisdictionCode) async throws -> [PayoutGrant] {
        var grants: [PayoutGrant] = []
        var inForce = EventsInForce()
        try await session.ledger.forEachEvent(kinds: [.subsidyGranted, .eventReversed]) { stored in
            let data = stored.event.data
            if stored.event.kind == .eventReversed {
                inForce.note(stored.event)
                return
            }
            guard data.month("period") == month, data.text("clawback_of") == nil, let amount = data.money("amount"), amount > .zero,
                  let payee = data.text("payee"), let code = try? JurisdictionCode(data.text("jurisdiction") ?? stored.event.source),
                  jurisdiction.contains(code) else { return }
            grants.append(PayoutGrant(id: stored.event.id, payee: payee, amount: amount))
        }
        grants.removeAll { inForce.isReversed($0.id) }
        for start in stride(from: 0, to: grants.count, by: 4_096) {
            let chunk = start..<min(start + 4_096, grants.count)
            let identities = try await session.ledger.identities(of: grants[chunk].map(\.payee))
            for index in chunk { grants[index].payee = identities[grants[index].payee] ?? grants[index].payee }
        }
        return grants
    }
}
