import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import LedgerTesting
import SkillsDomain
import SkillsLedgerCore
import SkillsLedgerService
import Testing

/// Public notice and objections through the service: the bureau of the notice's jurisdiction only, nothing written
/// on a refusal, the CLI's JSON in the answers.
@Suite struct NoticeRouteTests {
    static let publish = "/v1/notices?jurisdiction=420300&month=2026-03&from=2026-04-01"
    static let others = ["institution", "finance", "auditor", "admin"]

    @Test func theBureauPublishesANoticeAndReadsItBack() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            let before = try fixture.digest()
            #expect(try await client.send(.get, "/v1/notices/420300/2026-03", token: fixture.tokens["bureau"]).status == .notFound)
            for role in Self.others + ["bureau-beijing"] {
                let refused = try await client.send(.post, Self.publish, token: fixture.tokens[role])
                #expect(refused.status == .forbidden && refused.json["error"] != nil, "\(role)")
            }
            for uri in ["/v1/notices?jurisdiction=420300&month=2026-03", "/v1/notices?jurisdiction=420300&month=2026-03&from=April",
                        Self.publish + "&days=0", Self.publish + "&days=five", "/v1/notices?month=2026-03&from=2026-04-01"] {
                let response = try await client.send(.post, uri, token: fixture.tokens["bureau"])
                #expect(response.status == .badRequest && response.json["details"] == .array([]), "\(uri): \(response.status)")
            }
            #expect(try fixture.digest() == before, "a refused notice wrote something")

            let published = try await client.send(.post, Self.publish, token: fixture.tokens["bureau"])
            #expect(published.status == .created, "\(published.text)")
            #expect(published.json["from"] == .string("2026-04-01") && published.json["until"] == .string("2026-04-07"), "Mon–Fri, 5 days")
            #expect(!(published.json["entries"]?.items.isEmpty ?? true))
            #expect(!published.text.contains(ServiceTests.worker), "a public notice shows masked 公民身份号码")
            let after = try fixture.digest()
            #expect(after != before)
            let again = try await client.send(.post, Self.publish, token: fixture.tokens["bureau"])
            #expect(again.status == .ok && again.text == published.text)
            #expect(try fixture.digest() == after, "the same notice again records nothing")

            let read = try await client.send(.get, "/v1/notices/420300/2026-03", token: fixture.tokens["bureau"])
            #expect(read.status == .ok && read.text == published.text)
            let csv = try await client.send(.get, "/v1/notices/420300/2026-03?format=csv", token: fixture.tokens["bureau"])
            #expect(csv.status == .ok && csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            let html = try await client.send(.get, "/v1/notices/420300/2026-03?format=html", token: fixture.tokens["bureau-national"])
            #expect(html.status == .ok && html.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(try await client.send(.get, "/v1/notices/420300/2026-03?format=pdf", token: fixture.tokens["bureau"]).status == .badRequest)
            for uri in ["/v1/notices/420300/2026-03?format=xlsx", "/v1/reconciliations/420300/2026-03?format=xlsx"] {
                let workbook = try await client.send(.get, uri, token: fixture.tokens[uri.contains("notices") ? "bureau" : "auditor"])
                #expect(workbook.status == .ok && workbook.headers[.contentType] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "\(uri)")
                #expect(Array(workbook.body.readableBytesView.prefix(2)) == Array("PK".utf8) && workbook.body.readableBytes > 1_000, "\(uri): a ZIP")
            }
            #expect(try await client.send(.get, "/v1/notices/420300/2026-02", token: fixture.tokens["bureau"]).status == .notFound)
            for role in Self.others + ["bureau-beijing"] {
                #expect(try await client.send(.get, "/v1/notices/420300/2026-03", token: fixture.tokens[role]).status == .forbidden, "\(role)")
            }
        }
    }

    /// The body is the calendar, as `--calendar FILE`: 清明 (4–6 April 2026) moves the fifth working day from 7 to 8 April.
    @Test func aCalendarInTheBodyCountsItsHolidays() async throws {
        let fixture = try await Fixture()
        let calendar = try String(contentsOfFile: samples + "/calendars/2026.yaml", encoding: .utf8)
        try await fixture.test { client in
            let bureau = fixture.tokens["bureau"]
            let before = try fixture.digest()
            let bad = try await client.send(.post, Self.publish, token: bureau, contentType: "application/yaml", body: "year: 2026\nholidays: [2026-13-01]\n")
            #expect(bad.status == .unprocessableContent && bad.json["error"].map { "\($0)".contains("calendar") } == true, "\(bad.text)")
            let wrongType = try await client.send(.post, Self.publish, token: bureau, contentType: "text/csv", body: calendar)
            #expect(wrongType.status == .unsupportedMediaType)
            #expect(try fixture.digest() == before)
            let published = try await client.send(.post, Self.publish, token: bureau, contentType: "application/yaml", body: calendar)
            #expect(published.status == .created && published.json["until"] == .string("2026-04-08"), "\(published.text)")
        }
    }

    @Test func theBureauRecordsAnObjectionAndResolvesIt() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            let published = try await client.send(.post, Self.publish, token: fixture.tokens["bureau"])
            let entitlement = try #require(published.json["entries"]?.items.first?["entitlement"].flatMap { if case .string(let id) = $0 { id } else { nil } })
            let objection = #"{"entitlement":"\#(entitlement)","reason":"未在本单位工作"}"#
            let before = try fixture.digest()
            for role in Self.others + ["bureau-beijing"] {
                let refused = try await client.send(.post, "/v1/objections", token: fixture.tokens[role], contentType: "application/json", body: objection)
                #expect(refused.status == .forbidden, "\(role): \(refused.text)")
            }
            for body in ["{}", "not json", #"{"entitlement":"\#(entitlement)","reason":"  "}"#, #"{"entitlement":"\#(entitlement)"}"#] {
                let response = try await client.send(.post, "/v1/objections", token: fixture.tokens["bureau"], contentType: "application/json", body: body)
                #expect(response.status == .badRequest && response.json["error"] != nil, "\(body): \(response.status) \(response.text)")
            }
            let unknown = try await client.send(.post, "/v1/objections", token: fixture.tokens["bureau"], contentType: "application/json",
                                                body: #"{"entitlement":"no-such-entitlement","reason":"x"}"#)
            #expect(unknown.status == .notFound, "an entitlement on no notice: \(unknown.text)")
            #expect(try fixture.digest() == before, "a refused objection wrote something")

            let filed = try await client.send(.post, "/v1/objections", token: fixture.tokens["bureau"], contentType: "application/json",
                                              key: "objection-1", body: objection)
            #expect(filed.status == .created && filed.json["outcome"] == .string("open"), "\(filed.text)")
            let replay = try await client.send(.post, "/v1/objections", token: fixture.tokens["bureau"], contentType: "application/json",
                                               key: "objection-1", body: objection)
            #expect(replay.text == filed.text && replay.headers[HTTPField.Name("Idempotency-Replayed")!] == "true")
            let otherBody = try await client.send(.post, "/v1/objections", token: fixture.tokens["bureau"], contentType: "application/json",
                                                  key: "objection-1", body: objection.replacingOccurrences(of: "未在", with: "不在"))
            #expect(otherBody.status == .conflict, "a key reused with another body")

            let resolution = "/v1/objections/\(entitlement)/resolution"
            let dismissed = #"{"outcome":"dismissed","reason":"经核实在岗"}"#
            let afterFiling = try fixture.digest()
            for role in Self.others + ["bureau-beijing"] {
                let refused = try await client.send(.post, resolution, token: fixture.tokens[role], contentType: "application/json", body: dismissed)
                #expect(refused.status == .forbidden, "\(role)")
            }
            for body in [#"{"outcome":"maybe","reason":"x"}"#, #"{"outcome":"upheld"}"#, "[]"] {
                let response = try await client.send(.post, resolution, token: fixture.tokens["bureau"], contentType: "application/json", body: body)
                #expect(response.status == .badRequest, "\(body)")
            }
            #expect(try fixture.digest() == afterFiling)
            let resolved = try await client.send(.post, resolution, token: fixture.tokens["bureau"], contentType: "application/json", body: dismissed)
            #expect(resolved.status == .created && resolved.json["outcome"] == .string("dismissed"), "\(resolved.text)")
            let nothingOpen = try await client.send(.post, resolution, token: fixture.tokens["bureau"], contentType: "application/json", body: dismissed)
            #expect(nothingOpen.status == .badRequest && nothingOpen.json["error"].map { "\($0)".contains("no open objection") } == true)
        }
        var operators: Set<String> = []
        try fixture.ledger.store.forEachEvent(kinds: [.noticePublished, .objectionFiled, .objectionResolved]) { operators.insert($0.operatorName) }
        #expect(operators == ["bureau (bureau)"])
    }
}

/// A small JSON body counts in the `Idempotency-Key` check: the same key with another body is another request.
@Suite struct JSONBodyIdempotencyTests {
    @Test func aReopenUnderAUsedKeyWithAnotherReasonIs409() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            let finance = fixture.tokens["finance"]
            _ = try await client.send(.post, "/v1/grants?jurisdiction=420300&month=2026-03", token: fixture.tokens["bureau"])
            _ = try await client.send(.post, "/v1/payouts?jurisdiction=420300&month=2026-03", token: finance, contentType: "text/csv",
                                      body: ServiceTests.payments)
            #expect(try await client.send(.post, "/v1/periods/420300/2026-03/close", token: finance).status == .ok)
            let uri = "/v1/periods/420300/2026-03/reopen"
            let first = try await client.send(.post, uri, token: finance, contentType: "application/json", key: "reopen-1", body: #"{"reason":"a late bank return"}"#)
            #expect(first.status == .ok, "\(first.text)")
            let after = try fixture.digest()
            let other = try await client.send(.post, uri, token: finance, contentType: "application/json", key: "reopen-1", body: #"{"reason":"another reason"}"#)
            #expect(other.status == .conflict, "\(other.text)")
            #expect(try fixture.digest() == after)
        }
    }
}
