import Ledger
import Reports
import Rules

/// Policy packs in the ledger (`policy adopt`, `policy list`).
public struct Policies: Sendable {
    /// The ledger, operator and date the operations run with.
    public var session: Session

    /// The operations on `session`'s ledger.
    public init(_ session: Session) { self.session = session }

    /// Checks the packs and records each new version as `policy.adopted` with its full text; a pack with an error
    /// refuses them all (`PackErrors`, file, line and column), and adopting a version again is a no-op.
    public func adopt(files: [String]) async throws -> PolicyAdoption.Result {
        try await PolicyAdoption.adopt(paths: files, store: session.ledger, operatorName: session.operatorName)
    }

    /// The adopted packs, every version, in adoption order.
    public func list() async throws -> PolicyListReport {
        PolicyListReport(packs: try await RulesContext.load(session.ledger).policies.packs)
    }
}
