import Foundation
import Intake
import Ledger
@testable import LedgerPostgres
import LedgerTesting
import PostgresNIO
import SkillsDomain
import Testing

/// `erase`, `export` and the view as of a day on PostgreSQL: the same batches, recorded on different days, on
/// SQLite and PostgreSQL must give the same answers; SQLite is the reference, nothing here is written by hand.
@Suite("PostgreSQL erase, export and as-of views, compared with SQLite", .enabled(if: TestServer.url != nil, "\(TestServer.skipped)"), .serialized)
struct PostgresEraseExportAsOfTests {
    /// The batches and the moments they are recorded: four days, and two batches on the last one.
    static let batches: [([Submission], String)] = [
        (Batches.first, "2026-03-10T08:00:00Z"),
        (Batches.second, "2026-03-20T23:59:59Z"),
        (PostgresReadTests.money, "2026-04-05T09:00:00Z"),
        ([Build.trainingCompleted("t-late", worker: Batches.worker(1), on: "2026-04-20", startedOn: "2026-04-01").submission(),
          Build.periodClosed("close-2", period: "2026-04", on: "2026-05-02").submission()], "2026-05-02T00:00:00Z"),
        ([Build.certificationAwarded("c-late", worker: Batches.worker(4), on: "2026-05-01").submission()], "2026-05-02T17:30:00Z"),
    ]

    /// Days around and on each recording day: before the first event, each day, between days, after the last.
    static let days = ["2026-03-09", "2026-03-10", "2026-03-15", "2026-03-20", "2026-03-21", "2026-04-05", "2026-05-01", "2026-05-02", "2026-12-31"]

    /// Appends the batches to both ledgers (the same `AppendResult`s) and hands them over.
    func withBoth(_ body: (LedgerStore, PostgresLedgerStore) async throws -> Void) async throws {
        let sqlite = try TemporaryLedger()
        try await TestServer.withLedger(adoptingKey: sqlite.store.pseudonymKey) { postgres, _ in
            for (batch, at) in Self.batches {
                let expected = try sqlite.store.append(batch, operatorName: "clerk-1", recordedAt: at)
                #expect(try await postgres.append(batch, operatorName: "clerk-1", recordedAt: at) == expected)
            }
            try await body(sqlite.store, postgres)
        }
    }

    static func lines(_ export: ((String) throws -> Void) async throws -> Void) async throws -> [String] {
        var lines: [String] = []
        try await export { lines.append($0) }
        return lines
    }

    /// The error's text with the ledger's location taken out (SQLite names a file, PostgreSQL a URL).
    static func refusal(_ run: () async throws -> Void, at location: String) async -> String {
        do {
            try await run()
            return "no error"
        } catch let LedgerError.refused(message) {
            return message.replacingOccurrences(of: location, with: "LEDGER")
        } catch {
            return "not a refusal: \(error)"
        }
    }

    /// A registry entry with the moment of an erase replaced by whether there was one (each backend stamps its own
    /// erase with its own clock).
    static func masked(_ entry: RegistryEntry?) -> RegistryEntry? {
        entry.map { RegistryEntry(registered: $0.pseudonym, citizenID: $0.citizenID, name: $0.name, erasedAt: $0.erasedAt.map { _ in "erased" }) }
    }

    // MARK: erase

    @Test("erase clears the same registry row as SQLite's, deletes the same kept answers, and the chain still verifies")
    func erase() async throws {
        try await withBoth { sqlite, postgres in
            let response = { (body: String) in
                IdempotentResponse(requestSHA256: Data(repeating: 1, count: 32), status: 201, contentType: "application/json", body: Data(body.utf8))
            }
            let citizen = Batches.worker(2)
            for (key, body) in [("k-id", "{\"worker\":\"\(citizen.value)\"}"), ("k-other", "{\"worker\":\"\(Batches.worker(3).value)\"}")] {
                try sqlite.storeIdempotentResponse(response(body), tokenName: "clerk", key: key, recordedAt: "2026-04-05T09:00:00Z")
                try await postgres.storeIdempotentResponse(response(body), tokenName: "clerk", key: key, recordedAt: "2026-04-05T09:00:00Z")
            }
            let before = try await postgres.verify(progress: nil).digest
            let pseudonym = postgres.pseudonym(for: citizen)

            let erased = try await postgres.erase(citizen: citizen, reason: "本人申请删除 (PIPL art. 47)")
            #expect(erased == (try sqlite.erase(citizen: citizen, reason: "本人申请删除 (PIPL art. 47)")) && erased == pseudonym)
            #expect(try await postgres.verify(progress: nil).digest == before)
            #expect(try await postgres.digest() == (try sqlite.digest()))

            let entry = try #require(try await postgres.registryEntry(pseudonym: pseudonym))
            let sqliteEntry = try #require(try sqlite.registryEntry(pseudonym: pseudonym))
            #expect(entry.citizenID == sqliteEntry.citizenID && entry.name == sqliteEntry.name && entry.citizenID == nil && entry.name == nil)
            #expect(entry.erasedAt != nil && sqliteEntry.erasedAt != nil)
            let history = try await postgres.workerHistory(pseudonym: pseudonym)
            let sqliteHistory = try sqlite.workerHistory(pseudonym: pseudonym)
            #expect(PostgresReadTests.rows(history.timeline) == PostgresReadTests.rows(sqliteHistory.timeline) && !history.timeline.isEmpty)
            #expect(history.registry?.citizenID == nil && sqliteHistory.registry?.citizenID == nil)
            let people = (1...5).map { postgres.pseudonym(for: Batches.worker($0)) }
            #expect(try await postgres.identities(of: people) == (try sqlite.identities(of: people)))
            #expect(try await postgres.identities(of: people)[pseudonym] == nil)
            for key in ["k-id", "k-other"] {
                #expect(try await postgres.idempotentResponse(tokenName: "clerk", key: key) == (try sqlite.idempotentResponse(tokenName: "clerk", key: key)))
            }
            #expect(try await postgres.idempotentResponse(tokenName: "clerk", key: "k-id") == nil)
            #expect(try await postgres.idempotentResponse(tokenName: "clerk", key: "k-other") != nil)

            // Again, and someone the registry never held: nil on both, and nothing changes.
            #expect(try await postgres.erase(citizen: citizen, reason: "again") == nil && (try sqlite.erase(citizen: citizen, reason: "again")) == nil)
            #expect(try await postgres.registryEntry(pseudonym: pseudonym)?.erasedAt == entry.erasedAt)
            let stranger = Build.citizenID(77)
            #expect(try await postgres.erase(citizen: stranger, reason: "x") == nil && (try sqlite.erase(citizen: stranger, reason: "x")) == nil)
            #expect(try await postgres.verify(progress: nil).digest == before)
        }
    }

    @Test("after erase, no row version in persons holds the ID number: the store's VACUUM removed the dead tuple (pageinspect)")
    func eraseLeavesNoDeadTuple() async throws {
        try await withBoth { _, postgres in
            let citizen = Batches.worker(3)
            _ = try await postgres.client.query("CREATE EXTENSION IF NOT EXISTS pageinspect", logger: TestServer.logger).collect()
            func versionsHolding(_ text: String) async throws -> Int64 {
                var count: Int64 = 0
                for try await value in try await postgres.client.query("""
                    SELECT count(*) FROM generate_series(0, pg_relation_size('persons') / current_setting('block_size')::bigint - 1) AS b,
                        LATERAL heap_page_items(get_raw_page('persons', b::int)) AS item
                    WHERE position(convert_to(\(text), 'UTF8') IN item.t_data) > 0
                    """, logger: TestServer.logger).decode(Int64.self) {
                    count = value
                }
                return count
            }
            #expect(try await versionsHolding(citizen.value) >= 1, "the probe finds the live row before the erase")
            #expect(try await postgres.erase(citizen: citizen, reason: "test") != nil)
            #expect(try await versionsHolding(citizen.value) == 0, "neither the live row nor a dead version holds the number")
            #expect(try await versionsHolding(Batches.worker(4).value) >= 1, "the others are still there")
        }
    }

    @Test("the service role of Schema.sql's GRANTs may erase but not VACUUM: the row is cleared, and erase says the owner must vacuum")
    func eraseAsServiceRole() async throws {
        try await withBoth { _, postgres in
            let role = "skills_svc_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            let admin = try PostgresAddress(parsing: try #require(TestServer.url))
            try await TestServer.run(admin, "CREATE ROLE \(role) LOGIN")
            do {
                for grant in ServiceGrants.statements {
                    let statement = grant.replacingOccurrences(of: "skills_service", with: role)
                    _ = try await postgres.client.query(PostgresQuery(unsafeSQL: statement), logger: TestServer.logger).collect()
                }
                let address = try PostgresAddress(parsing: postgres.location)
                let service = try await PostgresLedgerStore.open(url: "postgres://\(role)@\(address.host):\(address.port)/\(address.database)")
                let citizen = Batches.worker(4)
                let message = await Self.refusal({ _ = try await service.erase(citizen: citizen, reason: "test") }, at: service.location)
                await service.close()
                #expect(message.contains("only the owner of persons and idempotency_keys may VACUUM them"), "\(message)")
                let entry = try await postgres.registryEntry(pseudonym: postgres.pseudonym(for: citizen))
                #expect(entry?.citizenID == nil && entry?.erasedAt != nil, "the registry row is cleared all the same")
                #expect(ServiceGrants.statements.count == 5)
            } catch {
                _ = try? await postgres.client.query(PostgresQuery(unsafeSQL: "DROP OWNED BY \(role)"), logger: TestServer.logger).collect()
                try? await TestServer.run(admin, "DROP ROLE IF EXISTS \(role)")
                throw error
            }
            _ = try await postgres.client.query(PostgresQuery(unsafeSQL: "DROP OWNED BY \(role)"), logger: TestServer.logger).collect()
            try await TestServer.run(admin, "DROP ROLE \(role)")
        }
    }

    // MARK: export

    @Test("export is byte for byte SQLite's, erased person included, and submit accepts it into a fresh ledger")
    func export() async throws {
        try await withBoth { sqlite, postgres in
            _ = try await postgres.erase(citizen: Batches.worker(5), reason: "test")
            _ = try sqlite.erase(citizen: Batches.worker(5), reason: "test")
            let expected = try await Self.lines { try sqlite.export($0) }
            let found = try await Self.lines { try await postgres.export($0) }
            #expect(found == expected)
            #expect(found.count == Int(try await postgres.digest().count))
            #expect(found.contains { $0.contains(postgres.pseudonym(for: Batches.worker(5))) }, "the erased person stays pseudonymous")
            #expect(found.contains { $0.contains(Batches.worker(4).value) && $0.contains("工人4") }, "the others are re-identified, names restored")

            let copy = try TemporaryLedger()
            let file = try copy.file("export.jsonl", found.joined(separator: "\n") + "\n")
            let reader = EventFileReader(path: file)
            _ = try copy.store.append(operatorName: "tester") { sink in _ = try reader.read { try sink.add($0) } }
            var ids: [String] = []
            try copy.store.forEachEvent { ids.append($0.event.id) }
            var originalIDs: [String] = []
            try await postgres.forEachEvent(kinds: nil) { originalIDs.append($0.event.id) }
            #expect(ids == originalIDs)
        }
    }

    // MARK: as of a day

    @Test("every read of a view as of a day is SQLite's view(asOf:) for the same batches recorded on different days")
    func everyReadAsOf() async throws {
        try await withBoth { sqlite, postgres in
            _ = try await postgres.erase(citizen: Batches.worker(5), reason: "test")
            _ = try sqlite.erase(citizen: Batches.worker(5), reason: "test")
            let people = (1...6).map { postgres.pseudonym(for: Batches.worker($0)) } + [postgres.pseudonym(for: Build.citizenID(100, address: "420302"))]
            var ceilings: [Int64] = []
            for text in Self.days {
                let day = Build.date(text)
                let expectedView = try sqlite.view(asOf: day)
                let view = try await postgres.asOf(day)
                let what = Comment(rawValue: "as of \(text)")
                ceilings.append(try expectedView.digest().count)
                #expect(view.location == "\(postgres.location) as of \(text)", what)

                #expect(try await view.digest() == (try expectedView.digest()), what)
                let report = try await view.verify(progress: nil)
                let expectedReport = try expectedView.verify()
                #expect(report.digest == expectedReport.digest && report.eventsChecked == expectedReport.eventsChecked, what)
                let published = LedgerDigest(count: 0, headHash: Envelope.genesis.hexString)
                #expect(try await view.verify(extending: published).digest == (try expectedView.verify(extending: published).digest), what)
                #expect(try await Self.lines { try await view.export($0) } == (try await Self.lines { try expectedView.export($0) }), what)

                var found: [String] = []
                var expected: [String] = []
                try await view.forEachEvent(kinds: nil) { found.append("\($0.seq) \($0.event.id) \($0.recordedAt)") }
                try expectedView.forEachEvent { expected.append("\($0.seq) \($0.event.id) \($0.recordedAt)") }
                #expect(found == expected, what)
                (found, expected) = ([], [])
                try await view.forEachEvent(kinds: [.certificationAwarded, .periodClosed]) { found.append($0.event.id) }
                try expectedView.forEachEvent(kinds: [.certificationAwarded, .periodClosed]) { expected.append($0.event.id) }
                #expect(found == expected, what)
                for id in ["w-1", "c-late", "g-2", "t-late", "w-420303-899", "nope"] {
                    #expect(try await view.event(id: id)?.seq == (try expectedView.event(id: id)?.seq), what)
                }

                (found, expected) = ([], [])
                try await view.forEachRulesInput { found.append("\($0)") }
                try expectedView.forEachRulesInput { expected.append("\($0)") }
                #expect(found == expected, what)
                for cutoff in [Int64.max, 5] {
                    (found, expected) = ([], [])
                    try await view.forEachGrantOrReversal(before: cutoff) { found.append("\($0)") }
                    try expectedView.forEachGrantOrReversal(before: cutoff) { expected.append("\($0)") }
                    #expect(found == expected, what)
                }
                for (lastDay, cutoff) in [("2026-12-31", Int64.max), ("2026-04-30", Int64.max), ("2026-12-31", 10)] {
                    (found, expected) = ([], [])
                    try await view.forEachPayment(through: Build.date(lastDay), before: cutoff) { found.append("\($0)") }
                    try expectedView.forEachPayment(through: Build.date(lastDay), before: cutoff) { expected.append("\($0)") }
                    #expect(found == expected, what)
                }
                let closed = try await view.closedPeriods()
                let expectedClosed = try expectedView.closedPeriods()
                for jurisdiction in ["420300", "420302", "110000"] {
                    for month in ["2026-02", "2026-03", "2026-04", "2026-05"] {
                        let code = try JurisdictionCode(jurisdiction)
                        #expect(closed.isClosed(code, Build.month(month)) == expectedClosed.isClosed(code, Build.month(month)), what)
                    }
                }

                for pseudonym in people {
                    #expect(PostgresReadTests.rows(try await view.events(person: pseudonym)) == PostgresReadTests.rows(try expectedView.events(person: pseudonym)), what)
                    let history = try await view.workerHistory(pseudonym: pseudonym)
                    let expectedHistory = try expectedView.workerHistory(pseudonym: pseudonym)
                    #expect(PostgresReadTests.rows(history.timeline) == PostgresReadTests.rows(expectedHistory.timeline), what)
                    #expect(history.reversedBy == expectedHistory.reversedBy, what)
                    #expect(Self.masked(history.registry) == Self.masked(expectedHistory.registry), what)
                    #expect(Self.masked(try await view.registryEntry(pseudonym: pseudonym)) == Self.masked(try expectedView.registryEntry(pseudonym: pseudonym)), what)
                }
                #expect(try await view.identities(of: people) == (try expectedView.identities(of: people)), what)
                #expect(try await view.registeredPeople() == (try expectedView.registeredPeople()), what)
                for (kinds, start, end) in [([EventKind.trainingCompleted, .certificationAwarded], nil, "2026-12-31"),
                                            ([.workerRegistered], "2026-01-01", "2026-03-31"), ([.subsidyPaid], nil, "2026-12-31")] as [([EventKind], String?, String)] {
                    let from = start.map(Build.date)
                    #expect(try await view.workers(withEventsOf: Set(kinds), from: from, through: Build.date(end))
                            == (try expectedView.workers(withEventsOf: Set(kinds), from: from, through: Build.date(end))), what)
                }
                (found, expected) = ([], [])
                try await view.forEachWorker { found.append($0 + ": " + PostgresReadTests.rows($1).joined(separator: ", ")) }
                try expectedView.forEachWorker { expected.append($0 + ": " + PostgresReadTests.rows($1).joined(separator: ", ")) }
                #expect(found == expected, what)
                (found, expected) = ([], [])
                try await view.forEachWorker(in: Set(people)) { found.append($0 + ": " + PostgresReadTests.rows($1).joined(separator: ", ")) }
                try expectedView.forEachWorker(in: Set(people)) { expected.append($0 + ": " + PostgresReadTests.rows($1).joined(separator: ", ")) }
                #expect(found == expected, what)
                #expect(try await view.accessTokens() == (try expectedView.accessTokens()), what)

                // A view of the view: the earlier of the two days wins, as on SQLite.
                let inner = try await view.asOf(Build.date("2026-03-20"))
                let expectedInner = try expectedView.asOf(Build.date("2026-03-20"))
                #expect(try await inner.digest() == (try await expectedInner.digest()) && inner.location == "\(postgres.location) as of 2026-03-20", what)
            }
            #expect(ceilings.first == 0 && Set(ceilings).count >= 5, "the days cut the chain in several places, from empty to whole")
            #expect(try await postgres.asOf(Build.date("2026-03-09")).digest() == LedgerDigest(count: 0, headHash: String(repeating: "0", count: 64)))
            // The views rolled their TEMP views back: the ledger itself still reads the whole chain.
            #expect(try await postgres.digest() == (try sqlite.digest()))
            #expect(try await postgres.verify(progress: nil).digest == (try sqlite.verify().digest))
        }
    }

    @Test("a view's writes are refused as SQLite refuses them, before anything is written")
    func writesRefusedAsOf() async throws {
        try await withBoth { sqlite, postgres in
            let day = Build.date("2026-03-20")
            let view = try await postgres.asOf(day)
            let expectedView = try sqlite.view(asOf: day)
            let batch = [Build.trainingCompleted("t-new", worker: Batches.worker(1)).submission()]
            let (pg, lite) = (postgres.location, sqlite.path)
            #expect(await Self.refusal({ _ = try await view.append(batch, operatorName: "x", recordedAt: "2026-06-01T00:00:00Z") }, at: pg)
                    == (await Self.refusal({ _ = try expectedView.append(batch, operatorName: "x", recordedAt: "2026-06-01T00:00:00Z") }, at: lite)))
            #expect(await Self.refusal({ _ = try await view.erase(citizen: Batches.worker(1), reason: "x") }, at: pg)
                    == (await Self.refusal({ _ = try expectedView.erase(citizen: Batches.worker(1), reason: "x") }, at: lite)))
            let refusal = await Self.refusal({ _ = try await view.erase(citizen: Batches.worker(1), reason: "x") }, at: pg)
            #expect(refusal.hasPrefix("the ledger LEDGER as of 2026-03-20 (seq ") && refusal.contains("erasing personal data"))
            let response = IdempotentResponse(requestSHA256: Data(repeating: 1, count: 32), status: 201, contentType: "text/plain", body: Data())
            await #expect(throws: LedgerError.self) { try await view.storeIdempotentResponse(response, tokenName: "t", key: "k", recordedAt: "x") }
            await #expect(throws: LedgerError.self) { try await view.noteAccessTokenUsed(name: "t", at: "2026-06-01T00:00Z") }
            #expect(try await postgres.digest() == (try sqlite.digest()))
            #expect(try await postgres.registryEntry(pseudonym: postgres.pseudonym(for: Batches.worker(1)))?.citizenID == Batches.worker(1).value)
            #expect(try await postgres.idempotentResponse(tokenName: "t", key: "k") == nil)
        }
    }
}

/// The GRANTs for the service role written in Schema.sql's header, as statements.
enum ServiceGrants {
    static let statements: [String] = PostgresSchema.text.split(separator: "\n").compactMap { line in
        guard line.hasPrefix("--     GRANT ") else { return nil }
        return String(line.dropFirst(7).prefix { $0 != ";" })
    }
}
