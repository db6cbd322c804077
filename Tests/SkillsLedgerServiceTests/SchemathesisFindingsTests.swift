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
import Yams

/// What schemathesis found against /openapi.yaml (Scripts/schemathesis-campaign.sh, RELIABILITY.md §10), kept as
/// cases: an undeclared method is 405 with `Allow`, not 404; a request the document allows is not refused as a bad
/// request when the refusal is really "nothing there" (404); and the document's patterns for jurisdictions and months
/// say exactly what the service accepts.
@Suite struct SchemathesisFindingsTests {
    @Test func anUndeclaredMethodOnAServedPathIs405WithAllow() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            for (method, path, allow) in [(HTTPRequest.Method.trace, "/v1/verify", "GET"), (.delete, "/v1/workers/420302199001011234", "GET"),
                                          (.put, "/v1/batches", "POST"), (.get, "/v1/periods/420300/2026-03/close", "POST"),
                                          (.head, "/v1/digest", "GET")] {
                let response = try await client.send(method, path, token: fixture.tokens["bureau"])
                #expect(response.status == .methodNotAllowed, "\(method) \(path): \(response.status)")
                #expect(response.headers[.allow] == allow, "\(method) \(path)")
                if method != .head { #expect(response.json["error"] != nil && response.json["details"] == .array([]), "\(method) \(path)") }
            }
            let unknown = try await client.send(.get, "/v1/nothing-here", token: fixture.tokens["bureau"])
            #expect(unknown.status == .notFound, "a path served under no method stays 404")
        }
    }

    @Test func anAuditOfAYearWithoutAFloorIsNotFound() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            for path in ["/v1/audits/budget?year=1900", "/v1/audits/employers?year=1900"] {
                let response = try await client.send(.get, path, token: fixture.tokens["bureau"])
                #expect(response.status == .notFound && response.text.contains("no adopted policy pack sets"),
                        "\(path): \(response.status) \(response.text)")
            }
            let beyond = try await client.send(.get, "/v1/audits/budget?year=2201", token: fixture.tokens["bureau"])
            #expect(beyond.status == .badRequest, "the document says 1900–2200")
        }
    }

    @Test func anObjectionToAnUnknownEntitlementIsNotFoundAndABlankReasonIsRefused() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            let before = try fixture.digest()
            let unknown = try await client.send(.post, "/v1/objections", token: fixture.tokens["bureau"], contentType: "application/json",
                                                body: #"{"entitlement": "ent-unknown", "reason": "x"}"#)
            #expect(unknown.status == .notFound, "\(unknown.text)")
            let resolved = try await client.send(.post, "/v1/objections/ent-unknown/resolution", token: fixture.tokens["bureau"],
                                                 contentType: "application/json", body: #"{"outcome": "upheld", "reason": "x"}"#)
            #expect(resolved.status == .notFound, "\(resolved.text)")
            for reason in [#""\n""#, #""\u3000 \t""#, #""""#] {
                let blank = try await client.send(.post, "/v1/objections", token: fixture.tokens["bureau"], contentType: "application/json",
                                                  body: #"{"entitlement": "ent-unknown", "reason": "# + reason + "}")
                #expect(blank.status == .badRequest, "reason \(reason): \(blank.status)")
            }
            #expect(try fixture.digest() == before)
        }
    }

    /// Path segments are percent-decoded before they are read: `全国` sent as `%E5%85%A8%E5%9B%BD` is the national
    /// jurisdiction (outside a 420300 token's scope: 403, not 400), an entitlement `a:b` sent as `a%3Ab` is that id.
    @Test func percentEncodedPathSegmentsAreDecoded() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            let national = try await client.send(.get, "/v1/reconciliations/%E5%85%A8%E5%9B%BD/2026-03", token: fixture.tokens["finance"])
            #expect(national.status == .forbidden, "\(national.status) \(national.text)")
            let coded = try await client.send(.get, "/v1/reconciliations/%34%32%30%33%30%30/2026-03", token: fixture.tokens["finance"])
            #expect(coded.status == .ok, "420300 percent-encoded: \(coded.status) \(coded.text)")
            let entitlement = try await client.send(.post, "/v1/objections/zGy%3ARN/resolution", token: fixture.tokens["bureau"],
                                                    contentType: "application/json", body: #"{"outcome": "upheld", "reason": "-"}"#)
            #expect(entitlement.status == .notFound && entitlement.text.contains("zGy:RN"), "\(entitlement.status) \(entitlement.text)")
            let worker = try await client.send(.get, "/v1/workers/%E5%85%A8", token: fixture.tokens["bureau"])
            #expect(worker.status == .badRequest && worker.text.contains("全"), "\(worker.text)")
        }
    }

    /// Reopening a month that is not closed is refused with 422, which the document lists (it was undocumented).
    @Test func reopeningAMonthThatIsNotClosedIs422() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            let before = try fixture.digest()
            let response = try await client.send(.post, "/v1/periods/420300/1900-01/reopen", token: fixture.tokens["finance"],
                                                 contentType: "application/json", body: #"{"reason": "0"}"#)
            #expect(response.status == .unprocessableContent && response.text.contains("nothing to reopen"), "\(response.text)")
            #expect(try fixture.digest() == before)
            let (_, document) = try await OpenAPITests.served()
            let reopen = ((document["paths"] as? [String: Any])?["/v1/periods/{jurisdiction}/{month}/reopen"] as? [String: Any])?["post"] as? [String: Any]
            #expect((reopen?["responses"] as? [String: Any])?["422"] != nil)
        }
    }

    /// The document's jurisdiction and month patterns accept exactly what the service parses, so that a generator
    /// working from the document neither misses valid values nor sends ones it calls valid and gets 400.
    @Test func theDocumentsPatternsAgreeWithTheParsers() async throws {
        let (_, document) = try await OpenAPITests.served()
        let parameters = try #require((document["components"] as? [String: Any])?["parameters"] as? [String: Any])
        func pattern(_ name: String) throws -> NSRegularExpression {
            let schema = try #require((parameters[name] as? [String: Any])?["schema"] as? [String: Any], "\(name)")
            return try NSRegularExpression(pattern: try #require(schema["pattern"] as? String, "\(name)"))
        }
        func matches(_ regex: NSRegularExpression, _ text: String) -> Bool {
            regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
        }
        let jurisdiction = try pattern("Jurisdiction")
        for text in ["420300", "330382101", "110000", "000000", "national", "820000", "830000", "100000", "660000", "700000",
                     "42030", "4203001", "42030010", "4203001011", "42a300", "", "090000", "990000", "710000", "540000", "550000", "全国"] {
            #expect(matches(jurisdiction, text) == ((try? JurisdictionCode(text)) != nil), "jurisdiction \(text)")
        }
        let month = try pattern("Month")
        // Written YYYY-MM (the parser also takes the CLI's 2026/3 and 202603, which the document does not promise).
        for text in ["2026-03", "1900-01", "2200-12", "2201-01", "1899-12", "2026-00", "2026-13", "0000-00", "2026-10", "9999-99"] {
            #expect(matches(month, text) == ((try? Month(parsing: text)) != nil), "month \(text)")
        }
    }
}
