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

/// The pages for people, through the router in-process: signing in, roles, CSRF and Origin, security headers, and
/// what the upload, grant and reconciliation pages show from the sample ledger.
@Suite struct PagesTests {
    /// The pages each role may open (the navigation of its home page).
    static let pages: [(String, Set<String>)] = [
        ("/upload", ["institution", "bureau"]), ("/worker", ["bureau", "auditor"]), ("/entitlements", ["bureau", "finance", "auditor"]),
        ("/notices", ["bureau"]), ("/grants", ["bureau"]), ("/payouts", ["finance"]), ("/reconciliation", ["finance", "auditor"]),
        ("/periods", ["finance"]),
    ]

    /// The origin of the service as the in-process test client asks for it.
    static let ownOrigin = "http://localhost"

    @Test func signingInSetsAnHttpOnlyStrictCookieAndABadTokenIs401() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            let signedIn = try await client.form(.post, "/signin", fields: ["token": fixture.tokens["bureau"]!])
            #expect(signedIn.status == .seeOther && signedIn.headers[.location] == "/")
            let cookie = try #require(signedIn.headers[.setCookie])
            #expect(cookie.hasPrefix("skills_ledger_session=\(fixture.tokens["bureau"]!);"))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && cookie.contains("Path=/") && !cookie.contains("Secure"))
            let viaProxy = try await client.form(.post, "/signin", fields: ["token": fixture.tokens["bureau"]!],
                                                 headers: [HTTPField.Name("X-Forwarded-Proto")!: "https"])
            #expect(viaProxy.headers[.setCookie]?.contains("; Secure") == true)

            for token in ["slt_not-a-token", "", fixture.tokens["bureau"]! + "x"] {
                let refused = try await client.form(.post, "/signin", fields: ["token": token])
                #expect(refused.status == .unauthorized && refused.headers[.setCookie] == nil)
                #expect(refused.text.contains("令牌无效") && refused.text.contains("not valid"))
            }
            // The cookie opens the pages only: the JSON API stays bearer-only.
            let session = try await client.signIn(fixture.tokens["bureau"]!)
            let api = try await client.execute(uri: "/v1/digest", method: .get, headers: [.cookie: session.cookie])
            #expect(api.status == .unauthorized)
            let home = try await client.page("/", session)
            #expect(home.status == .ok && home.text.contains("bureau") && home.text.contains("action=\"/signout\""))
            let signedOut = try await client.form(.post, "/signout", session, fields: [:])
            #expect(signedOut.status == .seeOther && signedOut.headers[.setCookie]?.contains("Max-Age=0") == true)
        }
        // A revoked token signs in no more, and its cookie no longer opens a page.
        try await fixture.test { client in
            let session = try await client.signIn(fixture.tokens["auditor"]!)
            #expect(try await client.page("/worker", session).status == .ok)
            _ = try await Tokens(Session(ledger: fixture.ledger.store, operatorName: "setup")).revoke(name: "auditor")
            #expect(try await client.form(.post, "/signin", fields: ["token": fixture.tokens["auditor"]!]).status == .unauthorized)
            let page = try await client.page("/worker", session)
            #expect(page.status == .unauthorized && page.text.contains("name=\"token\""))
        }
    }

    @Test func eachRoleSeesItsPagesAndIsRefusedTheOthers() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            for role in Fixture.roles {
                let session = try await client.signIn(fixture.tokens[role]!)
                let home = try await client.page("/", session)
                for (path, roles) in Self.pages {
                    #expect(home.text.contains("href=\"\(path)\"") == roles.contains(role), "\(role)'s home and \(path)")
                    let page = try await client.page(path, session)
                    #expect(page.status == (roles.contains(role) ? .ok : .forbidden), "\(role) \(path): \(page.status)")
                    #expect(page.headers[.contentType]?.hasPrefix("text/html") == true)
                }
            }
            // Without a cookie every page is the sign-in form, 401.
            for (path, _) in Self.pages {
                let page = try await client.execute(uri: path, method: .get, headers: [:])
                #expect(page.status == .unauthorized && page.text.contains("name=\"token\""), "\(path)")
            }
        }
    }

    @Test func aPostWithoutTheRightCSRFFieldOrFromAnotherOriginIs403AndWritesNothing() async throws {
        let fixture = try await Fixture()
        let before = try fixture.digest()
        try await fixture.test { client in
            let session = try await client.signIn(fixture.tokens["bureau"]!)
            let month = ["jurisdiction": "420300", "month": "2026-03"]
            let missing = try await client.form(.post, "/grants", session, fields: month, csrf: .omitted)
            let wrong = try await client.form(.post, "/grants", session, fields: month, csrf: .given(String(repeating: "0", count: 64)))
            let otherSession = try await client.signIn(fixture.tokens["bureau-national"]!)
            let anotherSessions = try await client.form(.post, "/grants", session, fields: month, csrf: .given(otherSession.csrf))
            for refused in [missing, wrong, anotherSessions] {
                #expect(refused.status == .forbidden && refused.text.contains("CSRF"))
            }
            let foreign = try await client.form(.post, "/grants", session, fields: month, headers: [.origin: "http://evil.example"])
            #expect(foreign.status == .forbidden && foreign.text.contains("evil.example"))
            let foreignSignIn = try await client.form(.post, "/signin", fields: ["token": fixture.tokens["bureau"]!],
                                                      headers: [.origin: "https://evil.example"])
            #expect(foreignSignIn.status == .forbidden && foreignSignIn.headers[.setCookie] == nil)
            // `Origin: null` (a sandboxed frame, a data: page) names no site of ours: refused even with the CSRF field.
            let nullOrigin = try await client.form(.post, "/grants", session, fields: month, headers: [.origin: "null"])
            #expect(nullOrigin.status == .forbidden && nullOrigin.text.contains("another site"))
            #expect(try fixture.digest() == before)
            // The same request from the service's own page, own origin included, is done.
            let own = try await client.form(.post, "/grants", session, fields: month, headers: [.origin: PagesTests.ownOrigin])
            #expect(own.status == .ok, "\(own.text)")
            let withoutOrigin = try await client.form(.post, "/grants", session, fields: month)
            #expect(withoutOrigin.status == .ok, "no Origin (curl): the CSRF field decides: \(withoutOrigin.text)")
        }
        #expect(try fixture.digest() != before)
    }

    @Test func everyAnswerCarriesTheSecurityHeaders() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            let session = try await client.signIn(fixture.tokens["finance"]!)
            let answers = [
                try await client.page("/", session), try await client.page("/upload", session), try await client.page("/nowhere", session),
                try await client.execute(uri: "/", method: .get, headers: [:]),
                try await client.send(.get, "/v1/digest", token: fixture.tokens["finance"]), try await client.send(.get, "/v1/digest", token: nil),
            ]
            for answer in answers {
                #expect(answer.headers[.contentSecurityPolicy]
                    == "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
                #expect(answer.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                #expect(answer.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin")
                #expect(answer.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
                #expect(answer.headers[.cacheControl] == "no-store")
            }
            let css = try await client.execute(uri: "/assets/app.css", method: .get, headers: [:])
            #expect(css.status == .ok && css.headers[.contentType]?.hasPrefix("text/css") == true && css.headers[.cacheControl]?.contains("max-age") == true)
            #expect(css.text.contains("Noto Sans CJK SC"))
            // No inline style or script anywhere: the policy would block them.
            let home = try await client.page("/", session)
            #expect(!home.text.contains("<style") && !home.text.contains("style=") && !home.text.contains("<script"))
        }
    }

    @Test func anUploadWithBadRowsShowsEveryRowAndRecordsNothing() async throws {
        let fixture = try await Fixture()
        let bad = try Data(contentsOf: URL(fileURLWithPath: samples + "/bad/training.csv"))
        let before = try fixture.digest()
        try await fixture.test { client in
            let api = try await client.execute(uri: "/v1/batches", method: .post,
                                               headers: [.authorization: "Bearer \(fixture.tokens["institution"]!)", .contentType: "text/csv"],
                                               body: ByteBuffer(bytes: bad))
            let issues = api.json["details"]?.items ?? []
            #expect(issues.count >= 2)
            let session = try await client.signIn(fixture.tokens["institution"]!)
            let page = try await client.upload("/upload", session, file: bad, filename: "training.csv")
            #expect(page.status == .unprocessableContent)
            #expect(page.text.contains("Nothing was recorded"))
            for issue in issues {
                guard case .number(let line) = issue["line"], case .string(let message) = issue["message"] else { continue }
                #expect(page.text.contains("<td class=\"num\">\(line)</td>"), "line \(line)")
                #expect(page.text.contains(TextEscapingForTests.html(message)), "\(message)")
            }
            #expect(page.text.components(separatedBy: "<tr><td class=\"num\">").count - 1 == issues.count)
            #expect(!page.text.contains("skills-ledger-upload"), "the temporary file's path leaked")
        }
        #expect(try fixture.digest() == before)
    }

    @Test func anInstitutionUploadingAnotherInstitutionsRowIs403AndRecordsNothing() async throws {
        let fixture = try await Fixture()
        let whole = try Data(contentsOf: URL(fileURLWithPath: samples + "/training.csv"))
        let before = try fixture.digest()
        try await fixture.test { client in
            let session = try await client.signIn(fixture.tokens["institution"]!)
            let page = try await client.upload("/upload", session, file: whole, filename: "training.csv")
            #expect(page.status == .forbidden && page.text.contains("names another institution"), "\(page.status)")
            #expect(page.text.contains("action=\"/upload\""), "the upload form is shown again under the refusal")
        }
        #expect(try fixture.digest() == before)
        // Its own rows are recorded, and the receipt says how many.
        let rows = whole.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        let own = Data(([rows[0]] + rows.dropFirst().filter { $0.range(of: Data(Fixture.institutionCode.utf8)) != nil }).joined(separator: [10]) + [10])
        try await fixture.test { client in
            let session = try await client.signIn(fixture.tokens["institution"]!)
            let page = try await client.upload("/upload", session, file: own, filename: "mine.csv")
            let digest = try fixture.digest().description
            #expect(page.status == .ok && page.text.contains("mine.csv") && page.text.contains(digest))
        }
    }

    @Test func publishingANoticeShowsItOnceAsPublishedThenAsPublishedBefore() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            let bureau = try await client.signIn(fixture.tokens["bureau"]!)
            let fields = ["jurisdiction": "420300", "month": "2026-03", "from": "2026-04-01"]
            let first = try await client.form(.post, "/notices", bureau, fields: fields)
            #expect(first.status == .ok && first.text.contains("已发布 Published") && !first.text.contains("already published"), "\(first.text)")
            #expect(first.text.contains("/notices/download?jurisdiction=420300&amp;month=2026-03&amp;format=html"))
            let again = try await client.form(.post, "/notices", bureau, fields: fields)
            #expect(again.text.contains("This notice was already published"))
        }
    }

    @Test func theGrantAndReconciliationPagesShowTheLedgersAmounts() async throws {
        let fixture = try await Fixture()
        let payments = try Data(contentsOf: URL(fileURLWithPath: samples + "/payments/420300-2026-03.csv"))
        try await fixture.test { client in
            let bureau = try await client.signIn(fixture.tokens["bureau"]!)
            // The worker form as a browser sends it, the optional day left blank.
            let worker = try await client.page("/worker?id=\(ServiceTests.worker)&as_of=", bureau)
            #expect(worker.status == .ok && worker.text.contains(CitizenID.mask(ServiceTests.worker)) && !worker.text.contains(ServiceTests.worker))
            let entitlements = try await client.page("/entitlements?jurisdiction=420300&month=2026-03", bureau)
            #expect(entitlements.status == .ok)
            // The sample ledger's March in Shiyan: two entitlements, 1500.00 and 1000.00.
            #expect(entitlements.text.contains("<td class=\"num\">2500.00</td><td></td></tr></tfoot>"), "the month's total")
            #expect(entitlements.text.contains("<div class=\"value\">2</div>"), "the month's lines")
            #expect(!entitlements.text.contains(ServiceTests.worker) && entitlements.text.contains(CitizenID.mask(ServiceTests.worker)))
            let grant = try await client.form(.post, "/grants", bureau, fields: ["jurisdiction": "420300", "month": "2026-03"])
            #expect(grant.status == .ok)
            // Granting March grants what is due up to it: seven entitlements, 10000.00.
            #expect(grant.text.contains("本次核定 Granted (7)</div><div class=\"value\">10000.00</div>"), "granted total")

            let finance = try await client.signIn(fixture.tokens["finance"]!)
            let reconciliation = try await client.upload("/payouts", finance, file: payments, filename: "420300-2026-03.csv",
                                                         fields: ["jurisdiction": "420300", "month": "2026-03"])
            #expect(reconciliation.status == .ok, "\(reconciliation.text)")
            let api = try await client.send(.get, "/v1/reconciliations/420300/2026-03", token: fixture.tokens["finance"]).json
            for total in ["due", "paid", "difference"] {
                guard case .string(let amount) = api["totals"]?[total] else { Issue.record("no \(total)"); continue }
                #expect(reconciliation.text.contains("<div class=\"value\">\(amount)</div>"), "\(total) \(amount)")
            }
            #expect(reconciliation.text.contains("<svg") && reconciliation.text.contains("实付 paid"))
            #expect(reconciliation.text.contains("/reconciliation/download?jurisdiction=420300&amp;month=2026-03&amp;format=csv"))
            let csv = try await client.page("/reconciliation/download?jurisdiction=420300&month=2026-03&format=csv", finance)
            #expect(csv.status == .ok && csv.headers[.contentDisposition]?.hasPrefix("attachment") == true && csv.text.hasPrefix("class,"))
            let beijing = try await client.page("/reconciliation?jurisdiction=110000&month=2026-03", finance)
            #expect(beijing.status == .forbidden)
        }
    }
}

/// The CSRF field a test form sends: the session's own, another, or none.
enum CSRFField {
    case session, given(String), omitted
}

/// A browser's session: its cookie, and the CSRF field its pages carry.
struct PageSession: Sendable {
    var cookie: String
    var csrf: String
}

enum TextEscapingForTests {
    static func html(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
            .replacingOccurrences(of: "\"", with: "&quot;")
    }
}

extension TestClientProtocol {
    /// Signs in with `token` as a browser does, and reads the CSRF field off the home page.
    func signIn(_ token: String) async throws -> PageSession {
        let response = try await form(.post, "/signin", fields: ["token": token])
        let setCookie = try #require(response.headers[.setCookie], "\(response.status)")
        let cookie = String(setCookie.prefix { $0 != ";" })
        let home = try await page("/", PageSession(cookie: cookie, csrf: ""))
        let marker = "name=\"csrf\" value=\""
        let start = try #require(home.text.range(of: marker))
        return PageSession(cookie: cookie, csrf: String(home.text[start.upperBound...].prefix { $0 != "\"" }))
    }

    func page(_ uri: String, _ session: PageSession) async throws -> TestResponse {
        try await execute(uri: uri, method: .get, headers: [.cookie: session.cookie])
    }

    /// A URL-encoded form posted in `session` (with its CSRF field unless `csrf` says otherwise), or signed out.
    func form(_ method: HTTPRequest.Method, _ uri: String, _ session: PageSession? = nil, fields: [String: String], csrf: CSRFField = .session,
              headers extra: HTTPFields = [:]) async throws -> TestResponse {
        var fields = fields
        switch (session, csrf) {
        case (let session?, .session): fields["csrf"] = session.csrf
        case (_, .given(let field)): fields["csrf"] = field
        default: break
        }
        var headers = extra
        headers[.contentType] = "application/x-www-form-urlencoded"
        if let session { headers[.cookie] = session.cookie }
        let body = fields.sorted { $0.key < $1.key }.map { key, value in
            "\(key)=\(value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")"
        }.joined(separator: "&")
        return try await execute(uri: uri, method: method, headers: headers, body: ByteBuffer(string: body))
    }

    /// A file chosen in a page's form, posted as a browser does (multipart/form-data) with the session's CSRF field.
    func upload(_ uri: String, _ session: PageSession, file: Data, filename: String, fields: [String: String] = [:]) async throws -> TestResponse {
        let boundary = "----PagesTestBoundary7MA4YWxkTrZu0gW"
        var body = Data()
        for (name, value) in fields.merging(["csrf": session.csrf], uniquingKeysWith: { first, _ in first }) {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
        body += file + Data("\r\n--\(boundary)--\r\n".utf8)
        return try await execute(uri: uri, method: .post, headers: [.cookie: session.cookie, .contentType: "multipart/form-data; boundary=\(boundary)"],
                                 body: ByteBuffer(bytes: body))
    }
}
