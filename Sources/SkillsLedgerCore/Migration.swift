import Ledger
import LedgerPostgres
import Reports

/// `skills-ledger migrate --from PATH --to URL`: a SQLite ledger copied into an empty PostgreSQL one, rows as stored
/// (SPEC.md "PostgreSQL"), so that `digest` prints the same `COUNT:HASH` on both.
///
/// ```swift
/// let receipt = try await Migration().migrate(from: LedgerLocation("province.sqlite"),
///                                             to: LedgerLocation("postgres://skills@db:5432/province"))
/// print(receipt.report.digest)   // what `digest` prints on either ledger
/// ```
///
/// It spans two ledgers, so it runs over two locations rather than one `Session`. The source is verified first (a
/// ledger that does not verify is not copied: exit 3); the target is created with the source's pseudonym key, so
/// people keep their pseudonyms and the registry its seals; the copy is one transaction, verified and its digest
/// compared before it commits, and the digest read again after.
public struct Migration: Sendable {
    /// Where progress goes (verifying the source, copying, verifying the copy).
    public var observer: any OperationObserver

    public init(observer: any OperationObserver = SilentObserver()) { self.observer = observer }

    /// Copies `source` (a SQLite file) into `target` (a `postgres://` URL naming an empty ledger or a database without one).
    /// - Throws: `OperationError.badRequest` for locations the other way round, `LedgerError.missing` for no source,
    ///   `.integrity` when the source does not verify or the copy differs, `.refused` for a target that is not empty
    ///   (nothing written).
    public func migrate(from source: LedgerLocation, to target: LedgerLocation) async throws -> MigrationReceipt {
        guard !source.isServer else { throw OperationError.badRequest("--from names a SQLite ledger file to copy, not a server (\(source))") }
        guard target.isServer else {
            throw OperationError.badRequest("--to names the PostgreSQL ledger to copy into, as postgres://USER@HOST:PORT/DATABASE, not \(target)")
        }
        let sqlite = try LedgerStore.open(path: source.text)
        let digest = try await verified(sqlite, label: "verify \(source)")
        let postgres = try await PostgresLedgerStore.open(url: target.text, create: true, adoptingKey: sqlite.pseudonymKey)
        do {
            let copying = observer.progress("copy", unit: "events")
            let checking = observer.progress("verify the copy", unit: "events")
            defer { copying.finish(); checking.finish() }
            copying.total = Int(digest.count)
            checking.total = Int(digest.count)
            let report = try await postgres.copyIn(from: sqlite, through: digest,
                                                   copied: { copying.update(Int($0)) }, verified: { copying.finish(); checking.update(Int($0)) })
            checking.finish()
            let after = try await postgres.digest()
            guard after == digest else {
                throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
                    reason: "after the copy, \(postgres.location) has digest \(after), not the source's \(digest)"))
            }
            await postgres.close()
            return MigrationReceipt(report)
        } catch {
            await postgres.close()
            throw error
        }
    }

    /// The source verified in full (with progress), its digest.
    func verified(_ ledger: LedgerStore, label: String) async throws -> LedgerDigest {
        let progress = observer.progress(label, unit: "events")
        defer { progress.finish() }
        if progress.isShown { progress.total = Int(try ledger.digest().count) }
        return try ledger.verify { checked in progress.update(Int(checked)) }.digest
    }
}
