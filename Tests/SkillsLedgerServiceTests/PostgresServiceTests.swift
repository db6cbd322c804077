import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import LedgerPostgres
import LedgerTesting
import Logging
import PostgresNIO
import SkillsDomain
import SkillsLedgerCore
import SkillsLedgerService
import Testing

/// The service on a PostgreSQL ledger (`--ledger postgres://…`): the samples' ledger (Fixture) migrated into a fresh
/// database, then the same requests sent to the service on SQLite and on PostgreSQL must get the same answers.
/// Needs `SKILLS_LEDGER_TEST_POSTGRES` (a role that may CREATE DATABASE); skipped without it, failing with CI=true.
@Suite("The service on PostgreSQL", .enabled(if: PostgresForService.server != nil, "SKILLS_LEDGER_TEST_POSTGRES is unset"), .serialized)
struct PostgresServiceTests {
    static let server = PostgresForService.server
    static let quiet = Logger(label: "tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// The samples' ledger in SQLite, its copy in a new PostgreSQL database (dropped afterwards), and a service on each.
    static func withBoth(_ body: (Fixture, LedgerService, String) async throws -> Void) async throws {
        let admin = try PostgresAddress(parsing: try #require(server))
        let database = "skills_service_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await execute(admin, "CREATE DATABASE \(database)")
        do {
            let url = "postgres://\(admin.user)\(admin.password.map { ":" + $0 } ?? "")@\(admin.host):\(admin.port)/\(database)"
            let fixture = try await Fixture()
            _ = try await Migration().migrate(from: LedgerLocation(fixture.ledger.store.path), to: LedgerLocation(url))
            try await body(fixture, LedgerService(location: LedgerLocation(url), logger: quiet), database)
        } catch {
            _ = try? await execute(admin, "DROP DATABASE \(database) WITH (FORCE)")
            throw error
        }
        try await execute(admin, "DROP DATABASE \(database) WITH (FORCE)")
    }

    /// One statement on the server's administration database; with `count`, the first column of its one row.
    @discardableResult
    static func execute(_ address: PostgresAddress, _ sql: String) async throws -> Int64? {
        let configuration = PostgresClient.Configuration(host: address.host, port: address.port, username: address.user,
                                                         password: address.password, database: address.database, tls: .disable)
        let client = PostgresClient(configuration: configuration, backgroundLogger: quiet)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            var first: Int64?
            for try await value in try await client.query(PostgresQuery(unsafeSQL: sql), logger: quiet).decode(Int64.self) where first == nil {
                first = value
            }
            return first
        }
    }

    /// How many sessions were ever opened to `database` (PostgreSQL 14+ counts them in pg_stat_database).
    static func sessions(of database: String) async throws -> Int64 {
        let admin = try PostgresAddress(parsing: try #require(server))
        return try await execute(admin, "SELECT sessions FROM pg_stat_database WHERE datname = '\(database)'") ?? 0
    }

    @Test("reads, sign-in and refusals answer on PostgreSQL exactly as on SQLite, from one connection pool")
    func readsAsOnSQLite() async throws {
        try await Self.withBoth { fixture, postgres, database in
            let requests: [(String, String)] = [
                ("/v1/digest", "institution"), ("/v1/workers/\(ServiceTests.worker)", "auditor"), ("/v1/workers/\(ServiceTests.worker)/credits", "bureau"),
                ("/v1/entitlements?jurisdiction=420300&month=2026-03", "finance"), ("/v1/audits/budget?year=2026", "auditor"),
                ("/v1/verify", "auditor"), ("/v1/workers/\(ServiceTests.worker)", "bureau-beijing"), ("/v1/workers/110101199003074258", "bureau"),
            ]
            #expect(try fixture.digest().count > 0)
            try await fixture.test { sqlite in
                try await Application(router: postgres.router()).test(.router) { client in
                    for (uri, role) in requests {
                        let expected = try await sqlite.send(.get, uri, token: fixture.tokens[role])
                        let found = try await client.send(.get, uri, token: fixture.tokens[role])
                        #expect(found.status == expected.status && found.text == expected.text, "\(uri) as \(role)")
                    }
                    #expect(try await client.send(.get, "/v1/digest", token: "not-a-token").status == .unauthorized)
                    let signedIn = try await client.form(.post, "/signin", fields: ["token": fixture.tokens["bureau"]!])
                    #expect(signedIn.status == .seeOther && signedIn.headers[.setCookie]?.hasPrefix("skills_ledger_session=") == true)
                    // Thirty more reads: one store, one pool, so its few connections serve them all (opening the
                    // ledger per request made a pool, and at least a session, per request).
                    try await Task.sleep(for: .seconds(2))
                    let before = try await Self.sessions(of: database)
                    for _ in 0..<30 { _ = try await client.send(.get, "/v1/digest", token: fixture.tokens["institution"]) }
                    try await Task.sleep(for: .seconds(2))
                    #expect(try await Self.sessions(of: database) - before <= 3)
                }
            }
        }
    }

    @Test("a token made on the PostgreSQL ledger signs in at once, and its revocation shuts it out")
    func tokensOnPostgres() async throws {
        try await Self.withBoth { fixture, postgres, _ in
            let ledger = try await postgres.location.open()
            let tokens = Tokens(Session(ledger: ledger, operatorName: "admin"))
            let issued = try await tokens.create(role: .auditor, name: "pg-auditor", jurisdiction: "420300")
            try await Application(router: postgres.router()).test(.router) { client in
                let digest = try await client.send(.get, "/v1/digest", token: issued.token)
                let head = try await ledger.digest()
                #expect(digest.status == .ok && digest.json["digest"] == .string(head.description))
                _ = try await tokens.revoke(name: "pg-auditor")
                #expect(try await client.send(.get, "/v1/digest", token: issued.token).status == .unauthorized)
            }
            #expect(try await ledger.verify(progress: nil).digest == (try await ledger.digest()))
            await LedgerLocation.close(ledger)
        }
    }

    @Test("batches posted to the service on PostgreSQL are recorded as on SQLite")
    func batchesOnPostgres() async throws {
        try await Self.withBoth { fixture, postgres, _ in
            let body = WriterConnectionTests.jsonl(1...3, prefix: "pg")
            try await fixture.test { sqlite in
                try await Application(router: postgres.router()).test(.router) { client in
                    let expected = try await sqlite.send(.post, "/v1/batches", token: fixture.tokens["bureau"], contentType: "application/x-ndjson", body: body)
                    let found = try await client.send(.post, "/v1/batches", token: fixture.tokens["bureau"], contentType: "application/x-ndjson", body: body)
                    // The same receipt but for the head hash, which covers the recording second: the two posts may
                    // fall in different seconds (the events themselves are compared by the golden tests).
                    #expect(found.status == .created && expected.status == .created)
                    for field in ["file", "recorded", "already_recorded"] {
                        #expect(found.json[field] == expected.json[field], "\(field)")
                    }
                    let count = { (receipt: JSONValue) -> Substring? in
                        guard case .string(let digest)? = receipt["digest"] else { return nil }
                        return digest.split(separator: ":").first
                    }
                    #expect(count(found.json) != nil && count(found.json) == count(expected.json))
                }
            }
        }
    }
}

@Suite("PostgreSQL server for the service tests")
struct PostgresServiceServerTests {
    @Test("the service's PostgreSQL tests have a server, or say plainly that they were skipped (and fail in CI)")
    func serverIsConfigured() {
        guard PostgresForService.server == nil else { return }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record("CI=true but SKILLS_LEDGER_TEST_POSTGRES is unset: .ci/run must start a PostgreSQL cluster and export its URL")
        }
    }
}

enum PostgresForService {
    /// `SKILLS_LEDGER_TEST_POSTGRES`: a server whose role may CREATE DATABASE.
    static let server = ProcessInfo.processInfo.environment["SKILLS_LEDGER_TEST_POSTGRES"]
}
