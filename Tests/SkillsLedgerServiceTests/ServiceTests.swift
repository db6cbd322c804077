import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import InMemoryLogging
import Ledger
import Logging
import LedgerTesting
import Reports
import SkillsDomain
import SkillsLedgerCore
import SkillsLedgerService
import Testing

/// The service through its router, in-process: every route for every role, scopes, and the status codes of SPEC.md.
@Suite struct ServiceTests {
    static let worker = "420303198610101192"
    static let payments = try! String(contentsOfFile: samples + "/payments/420300-2026-03.csv", encoding: .utf8)

    /// A read route and the roles that may use it.
    static let reads: [(String, Set<String>)] = [
        ("/v1/workers/\(worker)", ["bureau", "auditor"]),
        ("/v1/workers/\(worker)/credits", ["bureau", "auditor"]),
        ("/v1/entitlements?jurisdiction=420300&month=2026-03", ["bureau", "finance", "auditor"]),
        ("/v1/reconciliations/420300/2026-03", ["finance", "auditor"]),
        ("/v1/audits/budget?year=2026", ["bureau", "auditor"]),
        ("/v1/audits/employers?year=2026", ["bureau", "auditor"]),
        ("/v1/digest", ["institution", "bureau", "finance", "auditor"]),
        ("/v1/verify", ["institution", "bureau", "finance", "auditor"]),
    ]

    @Test func everyReadRouteAnswersItsRolesAndRefusesTheOthers() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            for (uri, allowed) in Self.reads {
                for role in Fixture.roles {
                    let response = try await client.send(.get, uri, token: fixture.tokens[role])
                    if allowed.contains(role) {
                        #expect(response.status == .ok, "\(role) \(uri): \(response.text)")
                        #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                    } else {
                        #expect(response.status == .forbidden, "\(role) \(uri)")
                        #expect(response.json["error"] != nil && response.json["details"] == .array([]))
                    }
                }
                #expect(try await client.send(.get, uri, token: nil).status == .unauthorized, "\(uri)")
            }
        }
    }

    /// The writes in the order a month runs: grant (bureau), payouts, close, reopen (finance). Every other role is
    /// refused first, with nothing written.
    @Test func everyWriteRouteAcceptsItsRoleAndRefusesTheOthersWritingNothing() async throws {
        let fixture = try await Fixture()
        let writes: [(String, String?, String?, String)] = [
            ("/v1/grants?jurisdiction=420300&month=2026-03", nil, nil, "bureau"),
            ("/v1/payouts?jurisdiction=420300&month=2026-03", "text/csv", Self.payments, "finance"),
            ("/v1/periods/420300/2026-03/close", nil, nil, "finance"),
            ("/v1/periods/420300/2026-03/reopen", "application/json", #"{"reason":"a late bank return"}"#, "finance"),
        ]
        try await fixture.test { client in
            for (uri, contentType, body, allowed) in writes {
                let before = try fixture.digest()
                for role in Fixture.roles where role != allowed {
                    let response = try await client.send(.post, uri, token: fixture.tokens[role], contentType: contentType, body: body)
                    #expect(response.status == .forbidden, "\(role) \(uri)")
                }
                #expect(try await client.send(.post, uri, token: nil, contentType: contentType, body: body).status == .unauthorized)
                #expect(try fixture.digest() == before, "\(uri): a refused request wrote something")
                let response = try await client.send(.post, uri, token: fixture.tokens[allowed], contentType: contentType, body: body)
                #expect(response.status == .ok, "\(allowed) \(uri): \(response.text)")
                #expect(try fixture.digest() != before, "\(uri) wrote nothing")
            }
        }
        // Every event written through the service carries the token's NAME (ROLE).
        var operators: Set<String> = []
        try fixture.ledger.store.forEachEvent(kinds: [.subsidyGranted, .subsidyPaid, .periodClosed, .periodReopened]) { operators.insert($0.operatorName) }
        #expect(operators == ["bureau (bureau)", "finance (finance)"])
    }

    @Test func anInstitutionSubmitsItsTrainingFileAndItsCodeBecomesTheSource() async throws {
        let fixture = try await Fixture()
        // The sample file (GB18030) holds several institutions' rows: the header and this institution's own.
        let whole = try Data(contentsOf: URL(fileURLWithPath: samples + "/training.csv"))
        let rows = whole.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let own = [rows[0]] + rows.dropFirst().filter { $0.range(of: Data(Fixture.institutionCode.utf8)) != nil }
        let training = Data(own.joined(separator: [UInt8(ascii: "\n")]) + [UInt8(ascii: "\n")])
        try await fixture.test { client in
            var headers: HTTPFields = [.authorization: "Bearer \(fixture.tokens["institution"]!)", .contentType: "text/csv"]
            let before = try fixture.digest()
            let refused = try await client.execute(uri: "/v1/batches", method: .post, headers: headers, body: ByteBuffer(bytes: whole))
            #expect(refused.status == .forbidden && refused.json["error"].map { "\($0)".contains("names another institution") } == true)
            #expect(try fixture.digest() == before)
            let response = try await client.execute(uri: "/v1/batches", method: .post, headers: headers, body: ByteBuffer(bytes: training))
            #expect(response.status == .created, "\(response.text)")
            let recorded = Int(response.json["recorded"].flatMap { if case .number(let n) = $0 { n } else { nil } } ?? "") ?? 0
            let digest = try fixture.digest().description
            #expect(recorded == own.count - 1 && recorded >= 2 && response.json["digest"] == .string(digest))
            let again = try await client.execute(uri: "/v1/batches", method: .post, headers: headers, body: ByteBuffer(bytes: training))
            #expect(again.status == .created && again.json["recorded"] == .number("0"))
            // The bureau's upload of the same file reads each row's source from its institution column, as `submit`
            // does: the same events, already recorded.
            headers[.authorization] = "Bearer \(fixture.tokens["bureau"]!)"
            let bureau = try await client.execute(uri: "/v1/batches", method: .post, headers: headers, body: ByteBuffer(bytes: training))
            #expect(bureau.status == .created && bureau.json["already_recorded"] == .number(String(recorded)))
        }
        let event = try #require(try fixture.ledger.store.event(id: "sy-t-001"))
        #expect(event.event.source == Fixture.institutionCode && event.operatorName == "institution (institution)")
    }

    @Test func anInstitutionRowUnderAnotherSourceIsRefusedWithNothingRecorded() async throws {
        let fixture = try await Fixture()
        let own = #"{"id":"cr-1","kind":"credit.earned","occurred_on":"2026-03-02","source":"\#(Fixture.institutionCode)","worker":"\#(Self.worker)","data":{"credits":"2","source_kind":"course","reference":"C-1","institution":"\#(Fixture.institutionCode)"}}"#
        let other = own.replacingOccurrences(of: "\"cr-1\"", with: "\"cr-2\"")
            .replacingOccurrences(of: "\"source\":\"\(Fixture.institutionCode)\"", with: "\"source\":\"91420300MA48R7K21U\"")
        let workerRow = #"{"id":"w-x","kind":"worker.changed","occurred_on":"2026-03-02","source":"420300","worker":"\#(Self.worker)","data":{"frontline":true}}"#
        let before = try fixture.digest()
        try await fixture.test { client in
            for body in [own + "\n" + other + "\n", own + "\n" + workerRow + "\n"] {
                let response = try await client.send(.post, "/v1/batches", token: fixture.tokens["institution"], contentType: "application/x-ndjson", body: body)
                #expect(response.status == .forbidden, "\(response.text)")
                #expect(!response.text.contains("skills-ledger-upload"), "the temporary file's path leaked: \(response.text)")
            }
        }
        #expect(try fixture.digest() == before)
        #expect(try fixture.ledger.store.event(id: "cr-1") == nil)
    }

    @Test func badRowsAre422WithEveryRowAndConflictsAre409WithTheirIds() async throws {
        let fixture = try await Fixture()
        let bad = try String(contentsOfFile: samples + "/bad/training.csv", encoding: .utf8)
        let conflicting = #"{"id":"sy-w-001","kind":"worker.changed","occurred_on":"2026-03-02","source":"420300","worker":"\#(Self.worker)","data":{"frontline":false}}"#
        let before = try fixture.digest()
        try await fixture.test { client in
            let refused = try await client.send(.post, "/v1/batches", token: fixture.tokens["institution"], contentType: "text/csv", body: bad)
            #expect(refused.status == .unprocessableContent)
            let details = refused.json["details"]?.items ?? []
            #expect(details.contains { $0["line"] == .number("3") && $0["field"].map { "\($0)".contains("worker") } == true })
            #expect(details.contains { $0["line"] == .number("4") })
            let conflict = try await client.send(.post, "/v1/batches", token: fixture.tokens["bureau"], contentType: "application/x-ndjson", body: conflicting)
            #expect(conflict.status == .conflict)
            #expect(conflict.json["details"]?.items.first?["id"] == .string("sy-w-001"))
            let unknownType = try await client.send(.post, "/v1/batches", token: fixture.tokens["bureau"], contentType: "application/pdf", body: "x")
            #expect(unknownType.status == .unsupportedMediaType)
        }
        #expect(try fixture.digest() == before)
    }

    @Test func aBodyOverTheLimitIs413() async throws {
        let fixture = try await Fixture(bodyLimitBytes: 1_000)
        let before = try fixture.digest()
        try await fixture.test { client in
            let body = String(repeating: "#", count: 2_000)
            let response = try await client.send(.post, "/v1/batches", token: fixture.tokens["bureau"], contentType: "text/csv", body: body)
            #expect(response.status == .contentTooLarge && response.json["error"] != nil)
            let payout = try await client.send(.post, "/v1/payouts?jurisdiction=420300&month=2026-03", token: fixture.tokens["finance"],
                                               contentType: "text/csv", body: body)
            #expect(payout.status == .contentTooLarge)
        }
        #expect(try fixture.digest() == before)
    }

    @Test func anIdempotencyKeyReplaysTheFirstAnswerAndRefusesAnotherRequest() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            let uri = "/v1/grants?jurisdiction=420300&month=2026-03"
            let first = try await client.send(.post, uri, token: fixture.tokens["bureau"], key: "grant-march")
            #expect(first.status == .ok && first.headers[HTTPField.Name("Idempotency-Replayed")!] == nil)
            let after = try fixture.digest()
            let replay = try await client.send(.post, uri, token: fixture.tokens["bureau"], key: "grant-march")
            #expect(replay.status == .ok && replay.text == first.text)
            #expect(replay.headers[HTTPField.Name("Idempotency-Replayed")!] == "true")
            let other = try await client.send(.post, "/v1/grants?jurisdiction=420300&month=2026-04", token: fixture.tokens["bureau"], key: "grant-march")
            #expect(other.status == .conflict && other.json["error"].map { "\($0)".contains("grant-march") } == true)
            #expect(try fixture.digest() == after)
            // A key belongs to its token: another token's same key is a new request.
            let national = try await client.send(.post, uri, token: fixture.tokens["bureau-national"], key: "grant-march")
            #expect(national.status == .ok && national.headers[HTTPField.Name("Idempotency-Replayed")!] == nil)
        }
    }

    @Test func aGrantSaysWhichWorkersItComputedAndAllWorkersComputesEveryone() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            let before = try fixture.digest()
            let bad = try await client.send(.post, "/v1/grants?jurisdiction=420300&month=2026-03&all_workers=yes", token: fixture.tokens["bureau"])
            #expect(bad.status == .badRequest && bad.json["error"].map { "\($0)".contains("all_workers") } == true)
            #expect(try fixture.digest() == before)
            let uri = "/v1/grants?jurisdiction=420300&month=2026-03"
            _ = try await client.send(.post, uri, token: fixture.tokens["bureau"])
            // Nothing recorded since: the second run computes nobody; asked for everyone, it computes them all.
            let again = try await client.send(.post, uri, token: fixture.tokens["bureau"])
            #expect(again.json["scope"] == .string("changed") && again.json["computed_workers"] == .number("0"))
            let everyone = try await client.send(.post, uri + "&all_workers=true", token: fixture.tokens["bureau"])
            #expect(everyone.json["scope"] == .string("everyone") && everyone.json["granted"] == .number("0"))
            #expect(everyone.json["scope_reason"].map { "\($0)".contains("--all-workers") } == true)
        }
    }

    @Test func answersAreTheCLIsJSONByteForByte() async throws {
        let fixture = try await Fixture()
        let session = Session(ledger: fixture.ledger.store, operatorName: "cli")
        let period = JurisdictionMonth(try JurisdictionCode("420300"), try Month(parsing: "2026-03"))
        try await fixture.test { client in
            let entitlements = try await client.send(.get, "/v1/entitlements?jurisdiction=420300&month=2026-03", token: fixture.tokens["finance"])
            #expect(entitlements.text == (try await MonthEnd(session, period).entitlements()).rendered(.json))
            let worker = try await client.send(.get, "/v1/workers/\(Self.worker)", token: fixture.tokens["auditor"])
            #expect(worker.text == (try await WorkerLookup(session).report(for: Self.worker)).rendered(.json))
            let digest = try await client.send(.get, "/v1/digest", token: fixture.tokens["institution"])
            #expect(digest.text == (try await Integrity(session).digest()).rendered(.json))
            let csv = try await client.send(.get, "/v1/reconciliations/420300/2026-03?format=csv", token: fixture.tokens["auditor"])
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true && csv.text.hasPrefix("class,"))
            let html = try await client.send(.get, "/v1/reconciliations/420300/2026-03?format=html", token: fixture.tokens["auditor"])
            #expect(html.headers[.contentType]?.hasPrefix("text/html") == true)
        }
    }

    @Test func scopesAndParametersAreChecked() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            let beijing = fixture.tokens["bureau-beijing"]
            #expect(try await client.send(.get, "/v1/workers/\(Self.worker)", token: beijing).status == .forbidden)
            #expect(try await client.send(.get, "/v1/entitlements?jurisdiction=420300&month=2026-03", token: beijing).status == .forbidden)
            #expect(try await client.send(.post, "/v1/grants?jurisdiction=420300&month=2026-03", token: beijing).status == .forbidden)
            #expect(try await client.send(.get, "/v1/workers/\(Self.worker)", token: fixture.tokens["bureau-national"]).status == .ok)
            let unknown = Build.citizenID(877).value
            #expect(try await client.send(.get, "/v1/workers/\(unknown)", token: fixture.tokens["bureau-national"]).status == .notFound)
            #expect(try await client.send(.get, "/v1/workers/\(unknown)", token: fixture.tokens["bureau"]).status == .notFound)
            for uri in ["/v1/entitlements?jurisdiction=420300&month=2026-13", "/v1/entitlements?month=2026-03",
                        "/v1/audits/budget?year=soon", "/v1/reconciliations/420300/2026-03?format=pdf"] {
                let response = try await client.send(.get, uri, token: fixture.tokens["auditor"])
                #expect(response.status == .badRequest, "\(uri): \(response.status)")
            }
            let noReason = try await client.send(.post, "/v1/periods/420300/2026-03/reopen", token: fixture.tokens["finance"], body: "{}")
            #expect(noReason.status == .badRequest)
            // A Beijing bureau's budget audit lists only Beijing's jurisdictions; the national one lists them all.
            let national = try await client.send(.get, "/v1/audits/budget?year=2026", token: fixture.tokens["bureau-national"])
            let local = try await client.send(.get, "/v1/audits/budget?year=2026", token: beijing)
            #expect((national.json["jurisdictions"]?.items.count ?? 0) > 0 && local.json["jurisdictions"]?.items.isEmpty == true)
        }
    }

    @Test func unknownAndRevokedTokensAre401() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            #expect(try await client.send(.get, "/healthz", token: nil).status == .ok)
            #expect(try await client.send(.get, "/v1/digest", token: "slt_not-a-token").status == .unauthorized)
            #expect(try await client.send(.get, "/v1/digest", token: String(fixture.tokens["auditor"]!.dropLast())).status == .unauthorized)
            let admin = try await client.send(.get, "/v1/digest", token: fixture.tokens["admin"])
            #expect(admin.status == .forbidden, "an admin token manages tokens only")
            let unknown = try await client.send(.get, "/v1/no-such-route", token: fixture.tokens["auditor"])
            #expect(unknown.status == .notFound && unknown.json["error"] != nil && unknown.json["details"] == .array([]))
            #expect(try await client.send(.get, "/v1/digest", token: fixture.tokens["auditor"]).status == .ok)
            _ = try await Tokens(Session(ledger: fixture.ledger.store, operatorName: "admin")).revoke(name: "auditor")
            let revoked = try await client.send(.get, "/v1/digest", token: fixture.tokens["auditor"])
            #expect(revoked.status == .unauthorized && revoked.json["error"] != nil)
        }
        // Last use is noted in the background, through the write gate.
        var lastUsed: String?
        for _ in 0..<100 where lastUsed == nil {
            lastUsed = try fixture.ledger.store.accessTokens().first { $0.name == "auditor" }?.lastUsedAt
            if lastUsed == nil { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(lastUsed != nil)
    }
}

/// What the service keeps and writes besides the chain: answers kept for replays, and its logs.
@Suite struct ServicePrivacyTests {
    @Test func erasingAPersonRemovesTheKeptAnswersThatShowTheir公民身份号码() async throws {
        let fixture = try await Fixture()
        let payee = "420303197202291279"
        try await fixture.test { client in
            _ = try await client.send(.post, "/v1/grants?jurisdiction=420300&month=2026-03", token: fixture.tokens["bureau"])
            let payout = try await client.send(.post, "/v1/payouts?jurisdiction=420300&month=2026-03", token: fixture.tokens["finance"],
                                               contentType: "text/csv", key: "march-payouts", body: ServiceTests.payments)
            #expect(payout.status == .ok && payout.text.contains(payee))
        }
        #expect(try fixture.ledger.store.idempotentResponse(tokenName: "finance", key: "march-payouts") != nil)
        _ = try await Corrections(Session(ledger: fixture.ledger.store, operatorName: "bureau")).erase(try CitizenID(payee), reason: "PIPL request")
        #expect(try fixture.ledger.store.idempotentResponse(tokenName: "finance", key: "march-payouts") == nil)
    }

    @Test func requestLogsNameNeitherTokensNor公民身份号码() async throws {
        let fixture = try await Fixture()
        let logs = InMemoryLogHandler()
        var service = fixture.service
        service.logger = Logger(label: "test") { _ in logs }
        let worker = ServiceTests.worker
        try await Application(router: service.router(), logger: service.logger).test(.router) { client async throws in
            #expect(try await client.send(.get, "/v1/workers/\(worker)", token: fixture.tokens["bureau"]).status == .ok)
            #expect(try await client.send(.get, "/v1/workers/\(worker)/credits", token: "slt_wrong").status == .unauthorized)
        }
        let lines = logs.entries.map { "\($0.message) \($0.metadata)" }
        #expect(lines.contains { $0.contains("/v1/workers/420303********1192") && $0.contains("200") })
        #expect(!lines.contains { $0.contains(worker) || $0.contains("slt_") })
    }
}
