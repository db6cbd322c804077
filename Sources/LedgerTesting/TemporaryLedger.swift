import Foundation
import Ledger

/// A ledger in a fresh temporary directory, removed when the value goes away; files a test needs (payout files,
/// event files) can be written beside it.
///
/// ```swift
/// let ledger = try TemporaryLedger()
/// let payments = try ledger.file("payments.csv", "payment_id,payee,amount,paid_on,grant,bank_ref\n…")
/// try Reconciler(store: ledger.store).recordPayments(file: payments, …)
/// ```
public final class TemporaryLedger: Sendable {
    /// The temporary directory, removed with everything in it when the value is deinitialised.
    public let directory: String
    /// A fresh, empty ledger at `ledger.sqlite` in the directory.
    public let store: LedgerStore

    /// Creates the directory and an empty ledger in it.
    /// - Throws: when the directory or the ledger cannot be created.
    public init() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skills-ledger-" + UUID().uuidString).path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        self.directory = directory
        store = try LedgerStore.open(path: directory + "/ledger.sqlite", create: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }

    /// The path of `name` inside the ledger's directory.
    public func path(_ name: String) -> String { directory + "/" + name }

    /// Writes `text` as UTF-8 to `name` in the ledger's directory and returns its path.
    @discardableResult
    public func file(_ name: String, _ text: String) throws -> String {
        try file(name, bytes: Array(text.utf8))
    }

    /// Writes raw bytes (for example GB18030-encoded text) to `name` and returns its path.
    @discardableResult
    public func file(_ name: String, bytes: [UInt8]) throws -> String {
        let path = path(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }
}
