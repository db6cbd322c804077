import Foundation
import Ledger
@testable import LedgerPostgres
import LedgerTesting
import SkillsDomain
import Testing

/// The reads of the rules engine and reconciliation, and the service's tokens and idempotency keys: the same batches
/// on SQLite and PostgreSQL must give the same answers, in the same order.
@Suite("PostgreSQL reads and tokens, compared with SQLite", .enabled(if: TestServer.url != nil, "\(TestServer.skipped)"), .serialized)
struct PostgresReadTests {
    static let at = "2026-04-05T09:00:00Z"

    /// Grants, a clawback-like negative grant, payments on several days (one without a payment id order tie), an
    /// adoption and a reversal of a grant, on top of the day in `Batches`.
    static let money: [Submission] = [
        Build.policyAdopted("adopt-1").submission(),
        Build.subsidyGranted("g-2", payee: .person(.citizen(Batches.worker(2))), amount: "1500", period: "2026-04", on: "2026-04-30").submission(),
        Build.subsidyGranted("g-3", payee: .person(.citizen(Batches.worker(3))), amount: "-500", period: "2026-04", on: "2026-04-30").submission(),
        Build.subsidyPaid("p-b", payee: .person(.citizen(Batches.worker(2))), amount: "1500", grant: "g-2", on: "2026-05-02").submission(),
        Build.subsidyPaid("p-a", payee: .person(.citizen(Batches.worker(3))), amount: "700", on: "2026-05-02").submission(),
        Build.subsidyPaid("p-c", payee: .person(.citizen(Batches.worker(2))), amount: "10", on: "2026-04-10").submission(),
        Build.eventReversed("r-g3", target: "g-3").submission(),
    ]

    @Test("grant facts: written with the grants as on SQLite; verify names a row changed, missing or extra; rebuild writes them again; a ledger made before the table gains it when opened, and the index of grants and payments by payee")
    func grantFacts() async throws {
        let sqlite = try TemporaryLedger()
        try await TestServer.withLedger(adoptingKey: sqlite.store.pseudonymKey) { postgres, url in
            for batch in [Batches.first, Batches.second, Self.money] {
                _ = try sqlite.store.append(batch, operatorName: "clerk-1", recordedAt: Self.at)
                _ = try await postgres.append(batch, operatorName: "clerk-1", recordedAt: Self.at)
            }
            var expected: [RulesInputRow] = []
            try sqlite.store.forEachRulesInput { if $0.kind == .subsidyGranted { expected.append($0) } }
            func kept(_ store: PostgresLedgerStore) async throws -> [RulesInputRow] {
                var rows: [RulesInputRow] = []
                try await store.forEachRulesInput { if $0.kind == .subsidyGranted { rows.append($0) } }
                return rows
            }
            let found = try await kept(postgres)
            #expect(found == expected && expected.count >= 2, "\(found) \(expected)")
            let address = try PostgresAddress(parsing: url)
            let seq = try #require(expected.first { $0.id == "g-3" }?.seq)
            for (damage, message) in [
                ("UPDATE grant_facts SET amount = '500.00' WHERE seq = \(seq)", "its grant facts say amount \"500.00\" where the event says \"-500.00\""),
                ("DELETE FROM grant_facts WHERE seq = \(seq)", "the grant has no row in grant_facts"),
                ("INSERT INTO grant_facts (seq, id) VALUES (1, 'forged')", "grant_facts has a row (for forged) where the chain has no grant"),
            ] {
                try await TestServer.run(address, damage)
                let failure = await #expect(throws: LedgerError.self) { _ = try await postgres.verify(progress: nil) }
                guard case .integrity(let integrity)? = failure else { Issue.record("\(damage): \(String(describing: failure))"); continue }
                #expect(integrity.reason.contains(message) && integrity.reason.contains("skills-ledger rebuild"), "\(integrity)")
                #expect(try await postgres.rebuildProjections() == RebuildReport(grantFacts: expected.count, repaired: 1))
                #expect(try await postgres.verify(progress: nil).digest == (try sqlite.store.digest()))
            }
            #expect(try await postgres.rebuildProjections() == RebuildReport(grantFacts: expected.count, repaired: 0))

            try await TestServer.run(address, "DROP TABLE grant_facts")
            try await TestServer.run(address, "DROP INDEX events_by_payee")
            let reopened = try await PostgresLedgerStore.open(url: url)
            #expect(try await kept(reopened) == expected)
            // The index of grants and payments by payee is made again: dropping it works only if it is there.
            await #expect(throws: Never.self) { try await TestServer.run(address, "DROP INDEX events_by_payee") }
            #expect(try await reopened.verify(progress: nil).digest == (try sqlite.store.digest()))
            await reopened.close()
        }
    }

    @Test("a ledger made before the grant facts, with grants past several pages, gains every row when opened")
    func grantFactsFilledInPages() async throws {
        try await TestServer.withLedger { postgres, url in
            // More than one range of 20,000 places of the chain, and more than one insert of 5,000 rows.
            let grants = (1...21_000).map { index in
                Build.subsidyGranted("bulk-g-\(index)", payee: .text(Build.employer.value), amount: "\(index)", evidence: ["e-\(index)"]).submission()
            }
            _ = try await postgres.append(grants, operatorName: "clerk-1", recordedAt: Self.at)
            var expected: [RulesInputRow] = []
            try await postgres.forEachRulesInput { if $0.kind == .subsidyGranted { expected.append($0) } }
            #expect(expected.count == 21_000)
            try await TestServer.run(try PostgresAddress(parsing: url), "DROP TABLE grant_facts")
            let reopened = try await PostgresLedgerStore.open(url: url)
            var found: [RulesInputRow] = []
            try await reopened.forEachRulesInput { if $0.kind == .subsidyGranted { found.append($0) } }
            #expect(found == expected)
            #expect(try await reopened.rebuildProjections() == RebuildReport(grantFacts: 21_000, repaired: 0))
            await reopened.close()
        }
    }

    /// Appends the same batches to both ledgers and hands them over.
    func withBoth(_ body: (LedgerStore, PostgresLedgerStore) async throws -> Void) async throws {
        let sqlite = try TemporaryLedger()
        try await TestServer.withLedger(adoptingKey: sqlite.store.pseudonymKey) { postgres, _ in
            for batch in [Batches.first, Batches.second, Self.money] {
                let expected = try sqlite.store.append(batch, operatorName: "clerk-1", recordedAt: Self.at)
                #expect(try await postgres.append(batch, operatorName: "clerk-1", recordedAt: Self.at) == expected)
            }
            try await body(sqlite.store, postgres)
        }
    }

    static func rows(_ events: [StoredEvent]) -> [String] {
        events.map { "\($0.seq) \($0.event.id) \($0.recordedAt) \($0.operatorName)" }
    }

    @Test("a person's events and history, the workers of a period and every worker's events are SQLite's, in its order")
    func workerReads() async throws {
        try await withBoth { sqlite, postgres in
            for seed in [1, 2, 3, 4] {
                let pseudonym = postgres.pseudonym(for: Batches.worker(seed))
                let expected = try sqlite.events(person: pseudonym)
                let found = try await postgres.events(person: pseudonym)
                #expect(Self.rows(found) == Self.rows(expected) && found.map(\.event) == expected.map(\.event))
                #expect(!found.isEmpty)
                let history = try await postgres.workerHistory(pseudonym: pseudonym)
                let sqliteHistory = try sqlite.workerHistory(pseudonym: pseudonym)
                #expect(Self.rows(history.timeline) == Self.rows(sqliteHistory.timeline))
                #expect(history.reversedBy == sqliteHistory.reversedBy && history.registry == sqliteHistory.registry)
            }
            // Worker 3's grant g-3 is reversed, and worker 2's certificate (Batches.first); both histories say so.
            #expect(try await postgres.workerHistory(pseudonym: postgres.pseudonym(for: Batches.worker(3))).reversedBy["g-3"] == "r-g3")
            #expect(try await postgres.workerHistory(pseudonym: postgres.pseudonym(for: Batches.worker(2))).reversedBy["c-2"] == "r-1")

            for (kinds, start, end) in [([EventKind.trainingCompleted, .certificationAwarded], nil, "2026-12-31"),
                                        ([.workerRegistered], "2026-01-01", "2026-03-31"),
                                        ([.subsidyPaid], nil, "2026-12-31")] as [([EventKind], String?, String)] {
                let from = start.map(Build.date)
                let expected = try sqlite.workers(withEventsOf: Set(kinds), from: from, through: Build.date(end))
                #expect(try await postgres.workers(withEventsOf: Set(kinds), from: from, through: Build.date(end)) == expected)
            }

            var expected: [String] = []
            try sqlite.forEachWorker { worker, events in expected.append(worker + ": " + Self.rows(events).joined(separator: ", ")) }
            var found: [String] = []
            try await postgres.forEachWorker { worker, events in found.append(worker + ": " + Self.rows(events).joined(separator: ", ")) }
            #expect(found == expected && found.count > 1000)

            let candidates = Set([1, 3, 5].map { postgres.pseudonym(for: Batches.worker($0)) } + ["ps_" + String(repeating: "0", count: 32)])
            expected = []
            try sqlite.forEachWorker(in: candidates) { worker, events in expected.append(worker + ": " + Self.rows(events).joined(separator: ", ")) }
            found = []
            try await postgres.forEachWorker(in: candidates) { worker, events in found.append(worker + ": " + Self.rows(events).joined(separator: ", ")) }
            #expect(found == expected && found.count == 3)
        }
    }

    @Test("the rules inputs, grants and reversals, and payments in matching order are SQLite's")
    func rulesAndReconciliationReads() async throws {
        try await withBoth { sqlite, postgres in
            var expected: [String] = []
            try sqlite.forEachRulesInput { expected.append("\($0)") }
            var found: [String] = []
            try await postgres.forEachRulesInput { found.append("\($0)") }
            #expect(found == expected && found.count == 6)

            for cutoff in [Int64.max, 5] {
                expected = []
                try sqlite.forEachGrantOrReversal(before: cutoff) { expected.append("\($0)") }
                found = []
                try await postgres.forEachGrantOrReversal(before: cutoff) { found.append("\($0)") }
                #expect(found == expected)
            }
            for (lastDay, cutoff) in [("2026-12-31", Int64.max), ("2026-04-30", Int64.max), ("2026-12-31", 10)] {
                expected = []
                try sqlite.forEachPayment(through: Build.date(lastDay), before: cutoff) { expected.append("\($0)") }
                found = []
                try await postgres.forEachPayment(through: Build.date(lastDay), before: cutoff) { found.append("\($0)") }
                #expect(found == expected)
            }
            found = []
            try await postgres.forEachPayment(through: Build.date("2026-12-31"), before: .max) { found.append($0.id) }
            #expect(found == ["p-1", "p-c", "p-a", "p-b"])
        }
    }

    @Test("tokens are granted and revoked with their events, names never reused; idempotent answers are kept once")
    func tokensAndIdempotency() async throws {
        try await withBoth { sqlite, postgres in
            let hash = Data(repeating: 7, count: 32)
            func grant(_ name: String, _ hash: Data) -> (AccessTokenRecord, Submission) {
                let event = Event(id: "access.granted:\(name)", kind: .accessGranted, occurredOn: Build.date("2026-04-05"), source: "420300",
                                  data: EventData([("name", .text(name)), ("role", .text("bureau")), ("scope", .text("420300"))]))
                return (AccessTokenRecord(name: name, tokenSHA256: hash, role: .bureau, scope: "420300", createdAt: Self.at),
                        Submission(event: event, origin: "token create"))
            }
            let revoke = Submission(event: Event(id: "access.revoked:clerk", kind: .accessRevoked, occurredOn: Build.date("2026-04-06"),
                                                 source: "420300", data: EventData([("name", .text("clerk"))])), origin: "token revoke")
            let (record, event) = grant("clerk", hash)
            #expect(try await postgres.grantAccess(record, recording: event, operatorName: "admin", recordedAt: Self.at)
                    == (try sqlite.grantAccess(record, recording: event, operatorName: "admin", recordedAt: Self.at)))
            let (other, otherEvent) = grant("auditor", Data(repeating: 9, count: 32))
            _ = try sqlite.grantAccess(other, recording: otherEvent, operatorName: "admin", recordedAt: Self.at)
            _ = try await postgres.grantAccess(other, recording: otherEvent, operatorName: "admin", recordedAt: Self.at)
            try sqlite.noteAccessTokenUsed(name: "clerk", at: "2026-04-05T09:30Z")
            try await postgres.noteAccessTokenUsed(name: "clerk", at: "2026-04-05T09:30Z")
            #expect(try await postgres.accessTokens() == (try sqlite.accessTokens()))
            #expect(try await postgres.accessTokens().map(\.name) == ["auditor", "clerk"])

            // A name used before is refused, and the event is not recorded either.
            let before = try await postgres.digest()
            let (again, againEvent) = grant("clerk", Data(repeating: 8, count: 32))
            var renamed = againEvent
            renamed.event.id = "access.granted:clerk-2"
            await #expect { try await postgres.grantAccess(again, recording: renamed, operatorName: "admin", recordedAt: Self.at) } throws: { error in
                "\(error)".contains("a token named clerk exists already")
            }
            #expect(try await postgres.digest() == before)

            #expect(try await postgres.revokeAccess(name: "clerk", recording: revoke, operatorName: "admin", recordedAt: "2026-04-06T08:00:00Z")
                    == (try sqlite.revokeAccess(name: "clerk", recording: revoke, operatorName: "admin", recordedAt: "2026-04-06T08:00:00Z")))
            try await postgres.noteAccessTokenUsed(name: "clerk", at: "2026-04-06T09:00Z")
            #expect(try await postgres.accessTokens() == (try sqlite.accessTokens()))
            #expect(try await postgres.accessTokens().first { $0.name == "clerk" }?.revokedAt == "2026-04-06T08:00:00Z")
            let revokeAgain = Submission(event: Event(id: "access.revoked:clerk-x", kind: .accessRevoked, occurredOn: Build.date("2026-04-06"),
                                                      source: "420300", data: EventData([("name", .text("clerk"))])), origin: "token revoke")
            await #expect { try await postgres.revokeAccess(name: "clerk", recording: revokeAgain, operatorName: "admin", recordedAt: Self.at) } throws: { error in
                "\(error)".contains("no token named clerk is in use")
            }
            #expect(try await postgres.event(id: "access.revoked:clerk-x") == nil)
            #expect(try await postgres.digest() == (try sqlite.digest()))

            let response = IdempotentResponse(requestSHA256: Data(repeating: 1, count: 32), status: 201, contentType: "application/json",
                                              body: Data("{\"recorded\":3}\n".utf8))
            #expect(try await postgres.idempotentResponse(tokenName: "clerk", key: "k-1") == nil)
            try await postgres.storeIdempotentResponse(response, tokenName: "clerk", key: "k-1", recordedAt: Self.at)
            try sqlite.storeIdempotentResponse(response, tokenName: "clerk", key: "k-1", recordedAt: Self.at)
            #expect(try await postgres.idempotentResponse(tokenName: "clerk", key: "k-1") == response)
            #expect(try await postgres.idempotentResponse(tokenName: "clerk", key: "k-1") == (try sqlite.idempotentResponse(tokenName: "clerk", key: "k-1")))
            #expect(try await postgres.idempotentResponse(tokenName: "auditor", key: "k-1") == nil)
            await #expect(throws: LedgerError.self) {
                try await postgres.storeIdempotentResponse(response, tokenName: "clerk", key: "k-1", recordedAt: Self.at)
            }
        }
    }
}
