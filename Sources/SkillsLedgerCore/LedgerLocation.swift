import Foundation
import Ledger

/// Where a ledger lives, as the user names it: `--ledger`, else `SKILLS_LEDGER`, else `./skills-ledger.sqlite`.
/// A path is an embedded SQLite file; `postgres://` URLs are for the PostgreSQL backend.
public struct LedgerLocation: Sendable, CustomStringConvertible {
    /// The path or URL as given.
    public var text: String

    /// The location named by `text`, else by `SKILLS_LEDGER` in `environment`, else the default file.
    public init(_ text: String?, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.text = text ?? environment["SKILLS_LEDGER"] ?? "skills-ledger.sqlite"
    }

    /// The path or URL as given.
    public var description: String { text }

    /// Whether the ledger exists yet (a file; a server is asked when opened).
    public var exists: Bool { FileManager.default.fileExists(atPath: text) }

    /// Opens the ledger; with `create`, makes an empty one when there is none.
    public func open(create: Bool = false) async throws -> any LedgerStorage {
        if text.hasPrefix("postgres://") || text.hasPrefix("postgresql://") {
            throw OperationError.badRequest("\(text.prefix(11))… names a PostgreSQL server; this build keeps ledgers in SQLite files only")
        }
        return try LedgerStore.open(path: text, create: create)
    }
}
