import HTTPTypes
import Hummingbird

/// The headers every answer carries: a Content-Security-Policy that lets a page load only this service's own style
/// sheet (no script, no inline style, no frame), no MIME sniffing, no referrer sent to another site (a page's address
/// can hold a 公民身份号码; same-origin, so that the pages' own forms carry their Origin), no framing; and `no-store` unless
/// the route said how long it may be kept (the style sheet).
struct SecurityHeaders: RouterMiddleware {
    typealias Context = ServiceRequestContext

    static let contentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentSecurityPolicy] = Self.contentSecurityPolicy
        response.headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        response.headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        response.headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        if response.headers[.cacheControl] == nil { response.headers[.cacheControl] = "no-store" }
        return response
    }
}
