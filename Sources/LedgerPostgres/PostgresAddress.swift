import Foundation
import Ledger
import PostgresNIO

/// Where a PostgreSQL ledger lives: `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, as `--ledger` and
/// `SKILLS_LEDGER` take it (SPEC.md "PostgreSQL").
///
/// ```swift
/// let address = try PostgresAddress(parsing: "postgres://skills@localhost:55432/ledger")
/// address.location   // "postgres://skills@localhost:55432/ledger": what reports show, never the password
/// ```
public struct PostgresAddress: Sendable, Equatable {
    public var user: String
    public var password: String?
    public var host: String
    public var port: Int
    public var database: String

    /// Whether `text` names a PostgreSQL ledger rather than a file (`postgres://` or `postgresql://`).
    public static func isPostgres(_ text: String) -> Bool {
        text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
    }

    /// Reads the URL; user, host and database are required, the port defaults to 5432, `%XX` escapes are decoded.
    /// - Throws: `LedgerError.refused` naming what is missing or malformed (the password is never repeated).
    public init(parsing text: String) throws {
        guard PostgresAddress.isPostgres(text), let components = URLComponents(string: text) else {
            throw LedgerError.refused("--ledger: \(PostgresAddress.redacted(text)) is not a postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE URL")
        }
        func refuse(_ what: String) -> LedgerError {
            .refused("--ledger: \(PostgresAddress.redacted(text)) has \(what): write postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE")
        }
        guard let user = components.user?.removingPercentEncoding, !user.isEmpty else { throw refuse("no user") }
        guard let host = components.host, !host.isEmpty else { throw refuse("no host") }
        let database = String(components.path.drop(while: { $0 == "/" })).removingPercentEncoding ?? ""
        guard !database.isEmpty, !database.contains("/") else { throw refuse("no database (or a path in its place)") }
        guard (components.queryItems ?? []).isEmpty else { throw refuse("query parameters, which are not supported yet") }
        self.user = user
        self.password = components.password?.removingPercentEncoding
        self.host = host
        self.port = components.port ?? 5432
        self.database = database
    }

    /// The URL without its password: what reports and errors show.
    public var location: String { "postgres://\(user)@\(host):\(port)/\(database)" }

    /// The client's configuration: plain TCP (TLS is a next step, docs/postgres-status.md).
    var configuration: PostgresClient.Configuration {
        PostgresClient.Configuration(host: host, port: port, username: user, password: password, database: database, tls: .disable)
    }

    /// The same, for the one direct connection `open` makes before the pool (so that the server's own refusal reaches
    /// the user at once, not after the pool's circuit breaker gives up).
    var connectionConfiguration: PostgresConnection.Configuration {
        PostgresConnection.Configuration(host: host, port: port, username: user, password: password, database: database, tls: .disable)
    }

    /// The text with any password replaced, for an error message.
    static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@"), let scheme = text.range(of: "://"), scheme.upperBound < at else { return text }
        let credentials = text[scheme.upperBound..<at]
        guard let colon = credentials.firstIndex(of: ":") else { return text }
        return String(text[..<colon]) + ":***" + String(text[at...])
    }
}
