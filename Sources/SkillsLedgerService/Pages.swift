@preconcurrency import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdAuth
import Ledger
import Logging
import Reports
import SkillsDomain
import SkillsLedgerCore

/// The pages for people (SPEC.md "Service"): the same use cases and scope checks as the JSON API, behind a session
/// cookie instead of a bearer header, every form carrying a CSRF field. The cookie authenticates these routes only:
/// /v1 stays bearer-only, so a forged cross-site request cannot reach it.
public struct Pages: Sendable {
    typealias Context = ServiceRequestContext
    let routes: Routes
    let csrf = CSRFKey()

    /// The cookie that carries the token a person signed in with.
    static let sessionCookie = "skills_ledger_session"

    /// A page of the navigation: where it is, its name, and the roles that may use it.
    struct Link: Sendable {
        let path: String
        let zh: String
        let en: String
        let roles: Set<AccessRole>
    }

    /// Every page a role may use, in the order of the navigation (SPEC.md: institutions upload; the bureau looks
    /// up workers, reads entitlements, publishes notices and grants; finance reconciles and closes; auditors read).
    static let links: [Link] = [
        Link(path: "/upload", zh: "上传文件", en: "Upload a file", roles: [.institution, .bureau]),
        Link(path: "/worker", zh: "查询劳动者", en: "Look up a worker", roles: [.bureau, .auditor]),
        Link(path: "/entitlements", zh: "补贴核定", en: "Entitlements", roles: [.bureau, .finance, .auditor]),
        Link(path: "/notices", zh: "公示", en: "Public notice", roles: [.bureau]),
        Link(path: "/grants", zh: "发放核定", en: "Grant", roles: [.bureau]),
        Link(path: "/payouts", zh: "支付文件", en: "Payouts", roles: [.finance]),
        Link(path: "/reconciliation", zh: "对账", en: "Reconciliation", roles: [.finance, .auditor]),
        Link(path: "/periods", zh: "月结", en: "Close the month", roles: [.finance]),
    ]

    /// Every path the pages serve. The OpenAPI document describes the JSON API only; its test leaves these out.
    public static let paths = Set(["/", "/signin", "/signout", "/assets/app.css", "/notices/download", "/reconciliation/download",
                                   "/periods/close", "/periods/reopen"] + links.map(\.path))

    func add(to router: Router<Context>) {
        router.get("assets/app.css") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "public, max-age=3600"],
                     body: ResponseBody(byteBuffer: ByteBuffer(string: PageTemplates.css)))
        }
        // The identity first, so that an error page still shows who is signed in and their navigation.
        let pages = router.group().add(middleware: SessionCookieAuthenticator(ledgers: routes.ledgers))
            .add(middleware: PageErrors(pages: self)).add(middleware: SameOrigin())
        pages.get("/", use: home)
        pages.post("signin", use: signIn)
        pages.post("signout", use: signOut)
        func allow(_ path: String) -> RouterGroup<Context> { Routes.allow(Self.links.first { $0.path == path }!.roles, in: pages) }
        allow("/upload").get("upload", use: uploadForm)
        allow("/upload").post("upload", use: upload)
        allow("/worker").get("worker", use: worker)
        allow("/entitlements").get("entitlements", use: entitlements)
        allow("/notices").get("notices", use: noticeForm)
        allow("/notices").post("notices", use: publishNotice)
        allow("/notices").get("notices/download", use: noticeDownload)
        allow("/grants").get("grants", use: grantForm)
        allow("/grants").post("grants", use: grant)
        allow("/payouts").get("payouts", use: payoutsForm)
        allow("/payouts").post("payouts", use: payouts)
        allow("/reconciliation").get("reconciliation", use: reconciliation)
        allow("/reconciliation").get("reconciliation/download", use: reconciliationDownload)
        allow("/periods").get("periods", use: periodsForm)
        allow("/periods").post("periods/close", use: close)
        allow("/periods").post("periods/reopen", use: reopen)
    }

    // MARK: Signing in and out

    /// `GET /`: the sign-in page, or the home page of the signed-in token's role.
    func home(_ request: Request, context: Context) async throws -> Response {
        guard let identity = context.identity else { return render("signin", request, context) }
        return render("home", request, context, ["hasLinks": !Self.links(for: identity).isEmpty])
    }

    /// `POST /signin` (form: token): the token checked as the bearer authenticator checks it; the cookie set, 303 to
    /// the home page; the sign-in page again with 401 for a token that is not a live one.
    func signIn(_ request: Request, context: Context) async throws -> Response {
        let form = try await PageForm.receive(request, limitBytes: 64 * 1024)
        defer { form.remove() }
        guard let token = form.fields["token"]?.trimmingSpaces, let identity = try await routes.ledgers.identity(token: token, logger: context.logger) else {
            var context = context
            context.identity = nil
            return render("signin", request, context, problem: ServiceError(.unauthorized, "令牌无效或已吊销 This token is not valid or has been revoked."))
        }
        context.logger.info("signed in", metadata: ["token": "\(identity.name)"])
        var cookie = "\(Self.sessionCookie)=\(token); HttpOnly; SameSite=Strict; Path=/"
        if Self.cameViaHTTPS(request) { cookie += "; Secure" }
        return Response(status: .seeOther, headers: [.location: "/", .setCookie: cookie])
    }

    /// `POST /signout`: clears the cookie (the CSRF field checked when signed in), 303 to the sign-in page.
    func signOut(_ request: Request, context: Context) async throws -> Response {
        if context.identity != nil { try await form(request, context).remove() }
        let cookie = "\(Self.sessionCookie)=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0"
        return Response(status: .seeOther, headers: [.location: "/", .setCookie: cookie])
    }

    /// Whether the request reached the service over https (a proxy in front says so with `X-Forwarded-Proto`): the
    /// cookie is then `Secure`. The service itself listens on plain http on the loopback.
    static func cameViaHTTPS(_ request: Request) -> Bool {
        request.headers[HTTPField.Name("X-Forwarded-Proto")!]?.lowercased() == "https" || request.head.scheme == "https"
    }

    // MARK: Forms

    /// The request's form (URL-encoded, or multipart with its files in a temporary folder) once its `csrf` field is
    /// the one the pages gave this session: 403 otherwise, before anything else is done. Remove it when done.
    func form(_ request: Request, _ context: Context) async throws -> PageForm {
        // A page's upload takes one of the `--max-uploads` slots while it is received, as the API's do.
        let limitBytes = routes.bodyLimitBytes
        let form = try await routes.uploads.withSlot(waitingAtMost: routes.limits.uploadWait) {
            try await PageForm.receive(request, limitBytes: limitBytes)
        }
        guard let token = request.cookies[Self.sessionCookie]?.value, csrf.accepts(form.fields["csrf"] ?? "", for: token) else {
            form.remove()
            throw ServiceError(.forbidden, "表单已过期或不是本服务发出的，请重新打开页面 The form is stale or did not come from this service: open the page again (CSRF check).")
        }
        return form
    }

    /// The form of a month's operation, its jurisdiction and month checked against the token's scope as the API
    /// checks them (the form removed when they are refused). Remove the form when done.
    func monthForm(_ request: Request, _ context: Context) async throws -> (AccessIdentity, PageForm, JurisdictionMonth) {
        let identity = try context.requireIdentity()
        let form = try await form(request, context)
        do { return (identity, form, try Routes.period(form.fields["jurisdiction"], form.fields["month"], identity)) } catch {
            form.remove()
            throw error
        }
    }

    // MARK: Rendering

    /// The links of `identity`'s role, in navigation order.
    static func links(for identity: AccessIdentity) -> [Link] { links.filter { $0.roles.contains(identity.role) } }

    /// The page `name` with `values`, the signed-in identity, its navigation and its CSRF field, and `problem` (the
    /// message and details of a refusal) shown above the page's own content.
    func render(_ name: String, _ request: Request, _ context: Context, _ values: [String: Any] = [:], problem: ServiceError? = nil,
                status: HTTPResponse.Status = .ok) -> Response {
        var all = values
        if let identity = context.identity {
            all["identity"] = ["name": identity.name, "role": "\(identity.role)", "scope": identity.scope ?? "—",
                               "links": Self.links(for: identity).map { ["href": $0.path, "zh": $0.zh, "en": $0.en] }]
            if let token = request.cookies[Self.sessionCookie]?.value { all["csrf"] = csrf.field(for: token) }
        }
        if let problem { all["problem"] = PageValues.problem(problem) }
        let html = PageTemplates.render(name, all)
        return Response(status: problem?.status ?? status, headers: [.contentType: "text/html; charset=utf-8"],
                        body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
    }

    /// A report file to save (`Content-Disposition: attachment`), so that it is never shown as a page of this origin.
    static func download(_ reply: Reply, name: String, _ format: ReportFormat) -> Response {
        var response = reply.response
        response.headers[.contentDisposition] = "attachment; filename=\"\(name).\(format.rawValue)\""
        return response
    }
}

/// The CSRF field of a session: hex HMAC-SHA256 under a secret drawn when the process starts, of the SHA-256 of the
/// session's token. A page from this service carries it; a form posted from anywhere else cannot know it.
struct CSRFKey: Sendable {
    let key = SymmetricKey(size: .bits256)

    func field(for token: String) -> String {
        Hex.string(Data(HMAC<SHA256>.authenticationCode(for: Data(SHA256.hash(data: Data(token.utf8))), using: key)))
    }

    /// Whether `field` is the session's, compared in constant time.
    func accepts(_ field: String, for token: String) -> Bool { Tokens.constantTimeEqual(Data(field.utf8), Data(self.field(for: token).utf8)) }
}

/// Finds the identity of the page request's session cookie, as `TokenAuthenticator` does for a bearer header.
struct SessionCookieAuthenticator: AuthenticatorMiddleware {
    typealias Context = ServiceRequestContext
    let ledgers: LedgerAccess

    func authenticate(request: Request, context: Context) async throws -> AccessIdentity? {
        guard let token = request.cookies[Pages.sessionCookie]?.value, !token.isEmpty else { return nil }
        return try await ledgers.identity(token: token, logger: context.logger)
    }
}

/// Refuses a page POST whose `Origin` is not this service (scheme, then the Host it was asked for), on top of
/// SameSite=Strict and the CSRF field. `Origin: null` is refused too: it comes from sandboxed frames, `data:` pages
/// and redirects, never from this service's own forms, because the pages are served with `Referrer-Policy:
/// same-origin` (under `no-referrer` a browser would send `null` for them as well; Fetch, "append a request Origin
/// header"). A POST without Origin (curl, older clients) is left to the CSRF field.
struct SameOrigin: RouterMiddleware {
    typealias Context = ServiceRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.method == .post, let origin = request.headers[.origin] {
            let host = request.head.authority ?? ""
            let own = (Pages.cameViaHTTPS(request) ? "https://" : "http://") + host
            guard origin.lowercased() == own.lowercased() else {
                throw ServiceError(.forbidden, "请求来自其他网站 This form was posted from another site (\(origin)); nothing was done.")
            }
        }
        return try await next(request, context)
    }
}

/// Shows any error of a page as a page: the message and details of the service's answer, with its status; the
/// sign-in page for 401.
struct PageErrors: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let pages: Pages

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do { return try await next(request, context) } catch {
            let problem = ServiceError(error)
            if problem.status == .unauthorized {
                var context = context
                context.identity = nil
                return pages.render("signin", request, context, problem: ServiceError(.unauthorized, "请先登录 Sign in first."))
            }
            return pages.render("error", request, context, problem: problem)
        }
    }
}
