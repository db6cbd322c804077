import Foundation
import GRDB

/// What a backup copied: where to, and the digest of the ledger at the moment of the copy.
public struct BackupReport: Sendable, Equatable {
    /// Where the copy was written.
    public var path: String
    /// The source's event count and head hash in the snapshot that was copied.
    public var digest: LedgerDigest
}

extension LedgerStore {
    /// Copies the ledger to a new file with SQLite's online backup API, from one read snapshot: the copy is the
    /// ledger as it stood at one moment, even while other processes keep appending.
    ///
    /// ```swift
    /// let report = try ledger.backup(to: "/mnt/backup/ledger-2026-03-31.sqlite")
    /// try LedgerStore.checkBackup(at: report.path, expecting: report.digest)
    /// ```
    ///
    /// The copy is written beside `path` under a temporary name and renamed into place only when complete, so a
    /// backup cut short never leaves a half-written file at `path`.
    /// - Throws: `LedgerError.refused` if `path` exists (a backup never overwrites), `.busy`, or the file system's error.
    public func backup(to path: String) throws -> BackupReport {
        try refuseWritesAsOf("a backup (a copy of the whole file)")
        guard !FileManager.default.fileExists(atPath: path) else {
            throw LedgerError.refused("\(path) exists already: a backup never overwrites a file; choose a new name")
        }
        let partial = path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"
        defer { LedgerStore.removeDatabaseFiles(partial) }
        let digest = try mapBusy {
            try writer.read { source in
                let digest = try LedgerStore.digest(source)
                var configuration = Configuration()
                configuration.busyMode = .timeout(TimeInterval(LedgerStore.busyTimeoutSeconds))
                let destination = try DatabaseQueue(path: partial, configuration: configuration)
                try destination.writeWithoutTransaction { copy in
                    try source.backup(to: copy)
                    // The copy takes the source's WAL mode: fold its log into the file before it is renamed.
                    try copy.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                }
                try destination.close()
                return digest
            }
        }
        guard FileManager.default.fileExists(atPath: partial) else {
            throw LedgerError.refused("the backup was not written to \(partial)")
        }
        try FileManager.default.moveItem(atPath: partial, toPath: path)
        return BackupReport(path: path, digest: digest)
    }

    /// The restore check: the copy at `path` opens as a ledger, verifies in full, and has exactly the digest the
    /// source had when it was copied.
    /// - Returns: the copy's verification report.
    @discardableResult
    public static func checkBackup(at path: String, expecting digest: LedgerDigest) throws -> VerifyReport {
        let copy = try LedgerStore.open(path: path)
        let report = try copy.verify()
        guard report.digest == digest else {
            throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil,
                reason: "the backup at \(path) has digest \(report.digest), not the source's \(digest) at the time of the backup"))
        }
        return report
    }

    static func digest(_ db: Database) throws -> LedgerDigest {
        guard let row = try Row.fetchOne(db, sql: "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1") else {
            return LedgerDigest(count: 0, headHash: Envelope.genesis.hexString)
        }
        return LedgerDigest(count: try row.decode(atIndex: 0), headHash: (try row.decode(Data.self, atIndex: 1)).hexString)
    }

    static func removeDatabaseFiles(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
