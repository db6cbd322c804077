import Foundation
import Ledger
import LedgerPostgres

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

    /// Whether `text` names a PostgreSQL server (`postgres://` or `postgresql://`) rather than a SQLite file.
    public var isServer: Bool { PostgresAddress.isPostgres(text) }


    /// Opens the ledger; with `create`, makes an empty one when there is none.
    public func open(create: Bool = false) async throws -> any LedgerStorage {
        try await openNotingCreation(create: create).ledger
    }

    /// Opens the ledger and says whether this call made it (so that a command can tell the user it did).
    public func openNotingCreation(create: Bool) async throws -> (ledger: any LedgerStorage, created: Bool) {
        if isServer {
            let store = try await PostgresLedgerStore.open(url: text, create: create)
            return (store, store.createdByThisOpen)
        }
        let existed = FileManager.default.fileExists(atPath: text)
        return (try LedgerStore.open(path: text, create: create), !existed)
    }

    /// Closes a ledger's connections when it keeps any (a PostgreSQL store's pool); a SQLite file needs nothing.
    public static func close(_ ledger: any LedgerStorage) async {
        if let server = ledger as? PostgresLedgerStore { await server.close() }
    }
}
