import Ledger
import Reports
import SkillsDomain

/// Proving the ledger (`verify`, `digest`, `GET /v1/verify`, `GET /v1/digest`), copying it out (`export`, `backup`),
/// and writing the grant facts kept beside it again (`rebuild`).
public struct Integrity: Sendable {
    /// The ledger, operator and date the operations run with.
    public var session: Session

    /// The operations on `session`'s ledger.
    public init(_ session: Session) { self.session = session }

    /// Recomputes the whole chain and checks the guards; with `published`, also proves that the ledger still extends
    /// that digest. Throws `LedgerError.integrity` naming the first event that does not verify.
    public func verify(extending published: LedgerDigest? = nil) async throws -> VerifyReceipt {
        let ledger = session.ledger
        if let published { return VerifyReceipt(try await ledger.verify(extending: published)) }
        let progress = session.observer.progress("verify", unit: "events")
        defer { progress.finish() }
        if progress.isShown { progress.total = Int(try await ledger.digest().count) }
        let report = try await ledger.verify { checked in progress.update(Int(checked)) }
        progress.finish()
        return VerifyReceipt(report)
    }

    /// Writes what is kept beside the chain for speed (the grant facts) again from the chain, after `verify` found
    /// them changed or damaged; the chain is only read.
    public func rebuild() async throws -> RebuildReceipt {
        RebuildReceipt(try await session.ledger.rebuildProjections())
    }

    /// `COUNT:HASH` for publishing.
    public func digest() async throws -> DigestReceipt {
        DigestReceipt(try await session.ledger.digest())
    }

    /// Every event as JSON Lines that `submit` accepts into a fresh ledger, one line at a time.
    public func export(_ writeLine: (String) throws -> Void) async throws {
        try await session.ledger.export(writeLine)
    }

    /// A copy of the ledger at one moment; with `check`, the copy is verified and its digest compared.
    public func backup(to path: String, check: Bool) async throws -> BackupReceipt {
        let report = try await session.ledger.backup(to: path)
        if check { _ = try LedgerStore.checkBackup(at: report.path, expecting: report.digest) }
        return BackupReceipt(report, checked: check)
    }
}
