import Foundation
import GRDB
import Ledger
@testable import LedgerPostgres
import LedgerTesting
import Reports
import SkillsDomain
import SkillsLedgerCore
import Testing

/// `migrate` (SQLite → PostgreSQL) and a PostgreSQL ledger's `backup` (→ a SQLite file): the copy answers every read
/// as the original does, verifies, and prints the same digest; a target that is not empty, or a source that does not
/// verify, is refused with nothing written.
@Suite("PostgreSQL migrate and backup", .enabled(if: TestServer.url != nil, "\(TestServer.skipped)"), .serialized)
struct PostgresMigrationTests {
    static let at = PostgresReadTests.at

    /// A SQLite ledger with what a copy must carry: the read tests' batches (people with and without names, grants,
    /// payments, a reversal, a closed month), a person erased, a token granted and used, another revoked, and an
    /// idempotency answer.
    static func sourceLedger() throws -> TemporaryLedger {
        let sqlite = try TemporaryLedger()
        for batch in [Batches.first, Batches.second, PostgresReadTests.money] {
            _ = try sqlite.store.append(batch, operatorName: "clerk-1", recordedAt: at)
        }
        #expect(try sqlite.store.erase(citizen: Batches.worker(4), reason: "PIPL request 2026-17") != nil)
        for (name, seed) in [("clerk", 7), ("auditor", 9)] {
            let event = Event(id: "access.granted:\(name)", kind: .accessGranted, occurredOn: Build.date("2026-04-05"), source: "420300",
                              data: EventData([("name", .text(name)), ("role", .text("bureau")), ("scope", .text("420300"))]))
            _ = try sqlite.store.grantAccess(AccessTokenRecord(name: name, tokenSHA256: Data(repeating: UInt8(seed), count: 32), role: .bureau,
                                                               scope: "420300", createdAt: at),
                                             recording: Submission(event: event, origin: "token create"), operatorName: "admin", recordedAt: at)
        }
        try sqlite.store.noteAccessTokenUsed(name: "clerk", at: "2026-04-05T09:30Z")
        let revoke = Event(id: "access.revoked:auditor", kind: .accessRevoked, occurredOn: Build.date("2026-04-06"), source: "420300",
                           data: EventData([("name", .text("auditor"))]))
        _ = try sqlite.store.revokeAccess(name: "auditor", recording: Submission(event: revoke, origin: "token revoke"),
                                          operatorName: "admin", recordedAt: "2026-04-06T08:00:00Z")
        try sqlite.store.storeIdempotentResponse(
            IdempotentResponse(requestSHA256: Data(repeating: 1, count: 32), status: 201, contentType: "application/json",
                               body: Data("{\"recorded\":3}\n".utf8)),
            tokenName: "clerk", key: "k-1", recordedAt: at)
        return sqlite
    }

    /// Every read the rules, reconciliation, the service and the registry make, as text, from any backend.
    static func answers(_ ledger: any LedgerStorage, people: [CitizenID]) async throws -> [String] {
        var lines: [String] = ["digest \(try await ledger.digest())", "people \(try await ledger.registeredPeople())"]
        let pseudonyms = people.map { ledger.pseudonym(for: $0) }
        for pseudonym in pseudonyms {
            let history = try await ledger.workerHistory(pseudonym: pseudonym)
            lines.append("history \(pseudonym): " + PostgresReadTests.rows(history.timeline).joined(separator: ", ")
                         + " reversed \(history.reversedBy.sorted { $0.key < $1.key }) registry \(String(describing: history.registry))")
            lines.append("events \(pseudonym): " + PostgresReadTests.rows(try await ledger.events(person: pseudonym)).joined(separator: ", "))
            lines.append("entry \(String(describing: try await ledger.registryEntry(pseudonym: pseudonym)))")
        }
        lines.append("identities \(try await ledger.identities(of: pseudonyms).sorted { $0.key < $1.key })")
        try await ledger.forEachWorker { worker, events in lines.append(worker + ": " + PostgresReadTests.rows(events).joined(separator: ", ")) }
        try await ledger.forEachRulesInput { lines.append("rules \($0)") }
        try await ledger.forEachGrantOrReversal(before: .max) { lines.append("money \($0)") }
        try await ledger.forEachPayment(through: Build.date("2026-12-31"), before: .max) { lines.append("paid \($0)") }
        try await ledger.forEachEvent(kinds: nil) { lines.append("event \($0.seq) \($0.event.id) \($0.recordedAt) \($0.operatorName)") }
        lines.append("closed \(try await ledger.closedPeriods())")
        lines.append("tokens \(try await ledger.accessTokens())")
        lines.append("answer \(String(describing: try await ledger.idempotentResponse(tokenName: "clerk", key: "k-1")))")
        return lines
    }

    static let people = [1, 2, 3, 4, 5].map(Batches.worker)

    @Test("migrate copies events as stored, the registry (an erased person as erased), tokens and answers: same digest, verify, every read SQLite's")
    func migrateCopiesEverything() async throws {
        let sqlite = try Self.sourceLedger()
        try await TestServer.withLedger(adoptingKey: sqlite.store.pseudonymKey) { postgres, url in
            let receipt = try await Migration().migrate(from: LedgerLocation(sqlite.store.path), to: LedgerLocation(url))
            let digest = try sqlite.store.digest()
            #expect(receipt.report.digest == digest && receipt.report.events == digest.count)
            #expect(receipt.report.people == (try sqlite.store.registeredPeople()) && receipt.report.tokens == 2 && receipt.report.idempotentAnswers == 1)
            #expect(try await postgres.digest() == digest)
            #expect(try await postgres.verify(progress: nil).digest == digest)
            let expected = try await Self.answers(sqlite.store, people: Self.people)
            let found = try await Self.answers(postgres, people: Self.people)
            #expect(found == expected)
            #expect(found.count > 3_000)
            // The erased person stays erased; the revoked token stays revoked.
            let erased = try #require(try await postgres.registryEntry(pseudonym: postgres.pseudonym(for: Batches.worker(4))))
            #expect(erased.citizenID == nil && erased.name == nil && erased.erasedAt != nil)
            #expect(try await postgres.identities(of: [postgres.pseudonym(for: Batches.worker(4))]).isEmpty)
            #expect(try await postgres.accessTokens().first { $0.name == "auditor" }?.revokedAt == "2026-04-06T08:00:00Z")

            // Written on after the copy, both ledgers still agree.
            let more = [Build.trainingCompleted("t-after", worker: Batches.worker(1)).submission()]
            #expect(try await postgres.append(more, operatorName: "clerk-2", recordedAt: "2026-04-07T10:00:00Z")
                    == (try sqlite.store.append(more, operatorName: "clerk-2", recordedAt: "2026-04-07T10:00:00Z")))

            // And back: the PostgreSQL ledger's backup is a SQLite ledger that answers as the original.
            let path = sqlite.path("back.sqlite")
            let backup = try await postgres.backup(to: path)
            #expect(backup.digest == (try sqlite.store.digest()) && backup.path == path)
            let copy = try LedgerStore.open(path: path)
            #expect(try copy.verify().digest == backup.digest)
            #expect(try await Self.answers(copy, people: Self.people) == (try await Self.answers(sqlite.store, people: Self.people)))
            #expect(!FileManager.default.fileExists(atPath: path + ".partial-\(ProcessInfo.processInfo.processIdentifier)"))
        }
    }

    @Test("a target that holds events, or was made with another pseudonym key, is refused and nothing is written")
    func nonEmptyTargetRefused() async throws {
        let sqlite = try Self.sourceLedger()
        try await TestServer.withLedger(adoptingKey: sqlite.store.pseudonymKey) { postgres, url in
            let batch = [Build.workerRegistered("w-there", worker: Batches.worker(8)).submission(name: "已有")]
            _ = try await postgres.append(batch, operatorName: "clerk-1", recordedAt: Self.at)
            let before = try await Self.answers(postgres, people: Self.people)
            await #expect { try await Migration().migrate(from: LedgerLocation(sqlite.store.path), to: LedgerLocation(url)) } throws: { error in
                FailureKind(error) == .badInput && "\(error)".contains("is not empty (1 events, 1 people, 0 tokens, 0 idempotency answers)")
                    && "\(error)".contains("nothing was written")
            }
            #expect(try await Self.answers(postgres, people: Self.people) == before)
        }
        try await TestServer.withLedger(adoptingKey: nil) { (postgres, url) async throws -> Void in
            await #expect { try await Migration().migrate(from: LedgerLocation(sqlite.store.path), to: LedgerLocation(url)) } throws: { error in
                FailureKind(error) == .badInput && "\(error)".contains("another pseudonym key")
            }
            #expect(try await postgres.digest().count == 0)
            #expect(try await postgres.registeredPeople() == 0)
            #expect(try await postgres.accessTokens().isEmpty)
        }
    }

    @Test("a SQLite ledger that does not verify is refused (integrity, exit 3) and nothing is written")
    func sourceThatFailsVerifyRefused() async throws {
        let sqlite = try TemporaryLedger()
        _ = try sqlite.store.append(Batches.first, operatorName: "clerk-1", recordedAt: Self.at)
        let tamper = try DatabaseQueue(path: sqlite.store.path)
        try await tamper.write { db in
            try db.execute(sql: "DROP TRIGGER events_are_never_updated")
            try db.execute(sql: "UPDATE events SET operator = 'mallory' WHERE seq = 3")
            try db.execute(sql: """
                CREATE TRIGGER events_are_never_updated BEFORE UPDATE ON events
                BEGIN SELECT RAISE(ABORT, 'the ledger is append-only: events cannot be changed; record an event.reversed instead'); END
                """)
        }
        try tamper.close()
        try await TestServer.withLedger(adoptingKey: sqlite.store.pseudonymKey) { (postgres, url) async throws -> Void in
            await #expect { try await Migration().migrate(from: LedgerLocation(sqlite.store.path), to: LedgerLocation(url)) } throws: { error in
                FailureKind(error) == .integrity && "\(error)".contains("seq 3")
            }
            #expect(try await postgres.digest().count == 0)
            #expect(try await postgres.registeredPeople() == 0)
        }
    }

    @Test("verify names a registry row that no event names (added behind the ledger's back), and passes without it")
    func strangerInRegistry() async throws {
        try await TestServer.withLedger { (postgres, url) async throws -> Void in
            _ = try await postgres.append(Batches.first, operatorName: "clerk-1", recordedAt: Self.at)
            #expect(try await postgres.verify(progress: nil).digest == (try await postgres.digest()))
            let stranger = "ps_" + String(repeating: "ab", count: 16)
            try await TestServer.run(try PostgresAddress(parsing: url), "INSERT INTO persons (pseudonym) VALUES ('\(stranger)')")
            await #expect { try await postgres.verify(progress: nil) } throws: { error in
                "\(error)".contains(stranger) && "\(error)".contains("no event in the chain names this pseudonym")
            }
        }
    }

    @Test("migrate names its locations the right way round; a PostgreSQL backup never overwrites a file")
    func usage() async throws {
        let sqlite = try TemporaryLedger()
        await #expect { try await Migration().migrate(from: LedgerLocation("postgres://a@b/c"), to: LedgerLocation("x.sqlite")) } throws: { error in
            FailureKind(error) == .badInput && "\(error)".contains("--from names a SQLite ledger file")
        }
        await #expect { try await Migration().migrate(from: LedgerLocation(sqlite.store.path), to: LedgerLocation(sqlite.path("copy.sqlite"))) } throws: { error in
            "\(error)".contains("--to names the PostgreSQL ledger")
        }
        try await TestServer.withLedger { (postgres, _) async throws -> Void in
            let path = try sqlite.file("taken.sqlite", "not a ledger")
            await #expect { try await postgres.backup(to: path) } throws: { error in "\(error)".contains("exists already") }
            #expect(try String(contentsOfFile: path, encoding: .utf8) == "not a ledger")
        }
    }
}
