import Hummingbird
import Logging
import SkillsDomain

/// One structured log line per request: method, path, status, and milliseconds. Never the token,
/// never a 公民身份号码 (a path segment that looks like one is masked), never a body.
struct RequestLogging: RouterMiddleware {
    typealias Context = ServiceRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        let response = try await next(request, context)
        let elapsed = ContinuousClock.now - started
        let milliseconds = elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000
        context.logger.info("request", metadata: [
            "method": "\(request.method)", "path": "\(Self.maskedPath(request.uri.path))", "status": "\(response.status.code)",
            "ms": "\(milliseconds)",
        ])
        return response
    }

    /// The path with every segment that could be a 公民身份号码 (18 characters, digits and X) masked.
    static func maskedPath(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.utf8.count == 18 && segment.allSatisfy({ $0.isNumber || $0 == "X" || $0 == "x" }) ? CitizenID.mask(String(segment)) : String(segment)
        }.joined(separator: "/")
    }
}
