import Foundation
import Ledger
@testable import LedgerPostgres
import LedgerTesting
import Logging
import PostgresNIO
import SkillsDomain
import Testing

/// The server these tests use: `SKILLS_LEDGER_TEST_POSTGRES=postgres://USER@HOST:PORT/DATABASE` (a role that may
/// CREATE DATABASE: each test works in a fresh database and drops it). Unset, they are skipped, except in CI.
enum TestServer {
    static let url = ProcessInfo.processInfo.environment["SKILLS_LEDGER_TEST_POSTGRES"]
    static let isCI = ProcessInfo.processInfo.environment["CI"] == "true"
    static let skipped = "SKILLS_LEDGER_TEST_POSTGRES is unset: the PostgreSQL tests are skipped (docs/postgres-status.md says how to start a server)"
    static let logger = Logger(label: "tests", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Runs `body` on a new ledger in a new database, dropped afterwards.
    static func withLedger<T>(adoptingKey: Data? = nil, _ body: (PostgresLedgerStore, String) async throws -> T) async throws -> T {
        let url = try #require(TestServer.url, "\(skipped)")
        let admin = try PostgresAddress(parsing: url)
        let name = "skills_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        try await run(admin, "CREATE DATABASE \(name)")
        var address = admin
        address.database = name
        let ledgerURL = "postgres://\(address.user)\(address.password.map { ":" + $0 } ?? "")@\(address.host):\(address.port)/\(name)"
        do {
            let store = try await PostgresLedgerStore.open(url: ledgerURL, create: true, adoptingKey: adoptingKey)
            let result: T
            do { result = try await body(store, ledgerURL) } catch { await store.close(); throw error }
            await store.close()
            try await run(admin, "DROP DATABASE \(name) WITH (FORCE)")
            return result
        } catch {
            try? await run(admin, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }

    /// Runs one statement on its own client, as another program (psql, a careless operator) would.
    static func run(_ address: PostgresAddress, _ sql: String) async throws {
        let client = PostgresClient(configuration: address.configuration, backgroundLogger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            _ = try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger).collect()
        }
    }
}

@Suite("PostgreSQL server for the tests")
struct PostgresServerTests {
    @Test("the PostgreSQL tests have a server, or say plainly that they were skipped (and fail in CI)")
    func serverIsConfigured() {
        guard TestServer.url == nil else { return }
        if TestServer.isCI {
            Issue.record("CI=true but SKILLS_LEDGER_TEST_POSTGRES is unset: .ci/run must start a PostgreSQL cluster and export its URL")
        } else {
            print("◇ \(TestServer.skipped)")
        }
    }

    @Test("postgres:// URLs are read with their parts, and a malformed one is refused without repeating the password")
    func addresses() throws {
        let address = try PostgresAddress(parsing: "postgres://clerk:s%40cret@db.example:6543/ledger")
        #expect(address.user == "clerk" && address.password == "s@cret" && address.host == "db.example" && address.port == 6543
                && address.database == "ledger")
        #expect(address.location == "postgres://clerk@db.example:6543/ledger")
        #expect(try PostgresAddress(parsing: "postgresql://clerk@localhost/ledger").port == 5432)
        #expect { try PostgresAddress(parsing: "postgres://clerk:secret@localhost:5432/") } throws: { error in
            "\(error)".contains("no database") && !"\(error)".contains("secret")
        }
    }

    @Test("the embedded schema is Schema.sql, cut into whole statements")
    func embeddedSchemaEqualsFile() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../Sources/LedgerPostgres/Schema.sql")
        #expect(try String(contentsOf: file, encoding: .utf8) == PostgresSchema.text + "\n",
                "run Scripts/embed-postgres-schema.sh after editing Schema.sql")
        #expect(PostgresSchema.statements.count == 19)
        #expect(PostgresSchema.statements.allSatisfy { $0.hasSuffix(";") })
    }
}

/// A day of a small bureau: people registered (with names for the registry), trained, certified, granted and paid,
/// a reversal, a closed month; then enough people to cross the batch's chunks.
enum Batches {
    static func worker(_ seed: Int) -> CitizenID { Build.citizenID(seed) }

    static let first: [Submission] = (1...5).flatMap { seed in
        [Build.workerRegistered("w-\(seed)", worker: worker(seed)).submission(name: "工人\(seed)"),
         Build.trainingCompleted("t-\(seed)", worker: worker(seed)).submission(),
         Build.certificationAwarded("c-\(seed)", worker: worker(seed)).submission()]
    } + [
        Build.fundBudgeted("f-1").submission(),
        Build.subsidyGranted("g-1", payee: .person(.citizen(worker(1)))).submission(),
        Build.subsidyPaid("p-1", payee: .person(.citizen(worker(1))), grant: "g-1").submission(),
        Build.eventReversed("r-1", target: "c-2").submission(),
        Build.periodClosed("close-1").submission(),
    ]

    static let second: [Submission] = ["420302", "420303"].flatMap { address in
        (100..<900).map { seed in
            Build.workerRegistered("w-\(address)-\(seed)", worker: Build.citizenID(seed, address: address))
                .submission(name: seed % 2 == 0 ? "工人\(seed)" : nil)
        }
    }
}

@Suite("PostgreSQL ledger", .enabled(if: TestServer.url != nil, "\(TestServer.skipped)"), .serialized)
struct PostgresLedgerStoreTests {
    static let at = "2026-04-05T09:00:00Z"

    @Test("the same batches give the same digest, hashes and events on SQLite and PostgreSQL, and both verify")
    func sameDigestAsSQLite() async throws {
        let sqlite = try TemporaryLedger()
        try await TestServer.withLedger(adoptingKey: sqlite.store.pseudonymKey) { postgres, _ in
            var published: [LedgerDigest] = []
            for batch in [Batches.first, Batches.second, Batches.first] {
                let expected = try sqlite.store.append(batch, operatorName: "clerk-1", recordedAt: Self.at)
                let result = try await postgres.append(batch, operatorName: "clerk-1", recordedAt: Self.at)
                #expect(result == expected)
                published.append(result.head)
            }
            let digest = try await postgres.digest()
            #expect(digest == (try sqlite.store.digest()))
            #expect(digest.count == Int64(Batches.first.count + Batches.second.count))
            #expect(try await postgres.verify(progress: nil).digest == digest)
            #expect(try await postgres.verify(extending: published[0]).digest == digest)
            await #expect(throws: LedgerError.self, "a published digest the chain does not extend") {
                try await postgres.verify(extending: LedgerDigest(count: 3, headHash: digest.headHash))
            }
            let stored = try #require(try await postgres.event(id: "g-1"))
            let expected = try #require(try sqlite.store.event(id: "g-1"))
            #expect(stored.event == expected.event && stored.seq == expected.seq && stored.recordedAt == Self.at)
            var kinds: [EventKind: Int] = [:]
            try await postgres.forEachEvent(kinds: [.subsidyGranted, .periodClosed]) { kinds[$0.event.kind, default: 0] += 1 }
            #expect(kinds == [.subsidyGranted: 1, .periodClosed: 1])
            let pseudonym = postgres.pseudonym(for: Batches.worker(1))
            #expect(try await postgres.registryEntry(pseudonym: pseudonym) == (try sqlite.store.registryEntry(pseudonym: pseudonym)))
            #expect(try await postgres.registeredPeople() == (try sqlite.store.registeredPeople()))
            #expect(try await postgres.identities(of: [pseudonym]) == [pseudonym: Batches.worker(1).value])
        }
    }

    @Test("an id recorded with other content refuses the whole batch and writes nothing; the same content is a no-op")
    func conflicts() async throws {
        try await TestServer.withLedger { postgres, _ in
            try await postgres.append(Batches.first, operatorName: "clerk-1", recordedAt: Self.at)
            let before = try await postgres.digest()
            let changed = Build.fundBudgeted("f-1", year: 2027).submission(origin: "late.jsonl:3")
            await #expect {
                try await postgres.append([Build.fundBudgeted("f-2").submission(), changed], operatorName: "clerk-2", recordedAt: Self.at)
            } throws: { error in
                guard case LedgerError.conflicts(let conflicts) = error else { return false }
                return conflicts.count == 1 && "\(conflicts[0])".contains("late.jsonl:3: event id f-1 is already recorded")
                    && "\(conflicts[0])".contains("data);")
            }
            #expect(try await postgres.digest() == before)
            #expect(try await postgres.event(id: "f-2") == nil)
            let again = try await postgres.append([Build.fundBudgeted("f-1").submission()], operatorName: "clerk-2", recordedAt: Self.at)
            #expect(again.recorded == 0 && again.alreadyRecorded == 1 && again.head == before)
        }
    }

    @Test("money may not move in a closed month until it is reopened; a reversal must name an event once")
    func closedMonthsAndReversals() async throws {
        try await TestServer.withLedger { postgres, _ in
            let payee = FieldValue.person(.citizen(Batches.worker(1)))
            try await postgres.append(Batches.first, operatorName: "clerk-1", recordedAt: Self.at)
            await #expect {
                try await postgres.append([Build.subsidyPaid("p-2", payee: payee, on: "2026-03-25").submission()], operatorName: "clerk-1", recordedAt: Self.at)
            } throws: { error in
                "\(error)".contains("2026-03 is closed for 420300")
            }
            // The month closed and a payment into it in one batch: refused too.
            await #expect(throws: LedgerError.self) {
                try await postgres.append([Build.periodClosed("close-4", period: "2026-04").submission(),
                                           Build.subsidyPaid("p-4", payee: payee, on: "2026-04-25").submission()],
                                          operatorName: "clerk-1", recordedAt: Self.at)
            }
            #expect(try await postgres.append([Build.subsidyPaid("p-1", payee: payee, grant: "g-1").submission()],
                                              operatorName: "clerk-1", recordedAt: Self.at).alreadyRecorded == 1)
            try await postgres.append([Build.periodReopened("reopen-1").submission()], operatorName: "clerk-1", recordedAt: Self.at)
            #expect(try await postgres.append([Build.subsidyPaid("p-2", payee: payee, on: "2026-03-25").submission()],
                                              operatorName: "clerk-1", recordedAt: Self.at).recorded == 1)
            await #expect(throws: LedgerError.self) {
                try await postgres.append([Build.eventReversed("r-2", target: "c-2").submission()], operatorName: "clerk-1", recordedAt: Self.at)
            }
            await #expect(throws: LedgerError.self) {
                try await postgres.append([Build.eventReversed("r-3", target: "missing").submission()], operatorName: "clerk-1", recordedAt: Self.at)
            }
            #expect(try await postgres.verify(progress: nil).eventsChecked == Int64(Batches.first.count + 2))
        }
    }

    @Test("reversals are refused or taken as on SQLite: unknown target, a reversal reversed, twice across batches, chunks and in one batch")
    func reversalsAsOnSQLite() async throws {
        let fillers = (0..<1_200).map { Build.workerRegistered("w-fill-\($0)", worker: Build.citizenID($0 % 900, address: ["420381", "420322"][$0 / 900])).submission() }
        let batches: [[Submission]] = [
            Batches.first,
            [Build.eventReversed("r-unknown", target: "missing").submission()],
            [Build.eventReversed("r-again", target: "c-2").submission()],            // c-2 is reversed by r-1
            [Build.eventReversed("r-of-r", target: "r-1").submission()],
            [Build.eventReversed("r-1", target: "c-2").submission()],                // r-1 again: already recorded
            [Build.eventReversed("r-t3", target: "t-3").submission(), Build.eventReversed("r-t3-bis", target: "t-3").submission()],
            [Build.eventReversed("r-t4", target: "t-4").submission()],
            // A target recorded in the first chunk of a batch, reversed in its second; then reversed twice across chunks.
            [Build.trainingCompleted("t-late", worker: Batches.worker(5)).submission()] + fillers
                + [Build.eventReversed("r-late", target: "t-late").submission()],
            [Build.eventReversed("r-t5", target: "t-5").submission()]
                + (0..<1_100).map { Build.fundBudgeted("f-more-\($0)").submission() } + [Build.eventReversed("r-t5-bis", target: "t-5").submission()],
            [Build.eventReversed("r-t4-bis", target: "t-4").submission(), Build.eventReversed("r-late", target: "t-late").submission()],
        ]
        let sqlite = try TemporaryLedger()
        try await TestServer.withLedger(adoptingKey: sqlite.store.pseudonymKey) { postgres, _ in
            for (index, batch) in batches.enumerated() {
                let expected: String
                do {
                    let result = try sqlite.store.append(batch, operatorName: "clerk-1", recordedAt: Self.at)
                    expected = "recorded \(result.recorded), already \(result.alreadyRecorded)"
                } catch {
                    expected = "\(error)"
                }
                let found: String
                do {
                    let result = try await postgres.append(batch, operatorName: "clerk-1", recordedAt: Self.at)
                    found = "recorded \(result.recorded), already \(result.alreadyRecorded)"
                } catch {
                    found = "\(error)"
                }
                #expect(found == expected, "batch \(index)")
            }
            let digests = (try await postgres.digest(), try sqlite.store.digest())
            #expect(digests.0 == digests.1)
        }
    }

    @Test("the database itself refuses UPDATE, DELETE and TRUNCATE of events, and an insert out of order")
    func triggers() async throws {
        try await TestServer.withLedger { postgres, url in
            try await postgres.append(Batches.first, operatorName: "clerk-1", recordedAt: Self.at)
            let address = try PostgresAddress(parsing: url)
            for statement in ["UPDATE events SET source = '420100' WHERE id = 'f-1'", "DELETE FROM events WHERE id = 'f-1'",
                              "TRUNCATE events",
                              "INSERT INTO events SELECT seq + 1000, id || 'x', kind, occurred_on, source, worker, employer, data, recorded_at, operator, prev_hash, hash FROM events WHERE id = 'f-1'"] {
                await #expect(throws: PSQLError.self, "\(statement)") { try await TestServer.run(address, statement) }
            }
            #expect(try await postgres.verify(progress: nil).eventsChecked == Int64(Batches.first.count))
            try await TestServer.run(address, "ALTER TABLE events DISABLE TRIGGER events_are_never_updated")
            await #expect { try await postgres.verify(progress: nil) } throws: { error in
                "\(error)".contains("events_are_never_updated")
            }
        }
    }

    @Test("two writers with their own connections, appending at once, never fork the chain or leave a gap")
    func concurrentWriters() async throws {
        try await TestServer.withLedger { postgres, url in
            let other = try await PostgresLedgerStore.open(url: url)
            let batches = 15
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (writer, store) in [("a", postgres), ("b", other)] {
                    group.addTask {
                        for batch in 0..<batches {
                            let events = (0..<20).map { index in
                                Build.fundBudgeted("\(writer)-\(batch)-\(index)", year: Int64(2000 + index)).submission()
                            }
                            let result = try await store.append(events, operatorName: "writer-\(writer)", recordedAt: Self.at)
                            #expect(result.recorded == 20)
                        }
                    }
                }
                try await group.waitForAll()
            }
            await other.close()
            let report = try await postgres.verify(progress: nil)
            #expect(report.eventsChecked == Int64(2 * batches * 20))
        }
    }
}
