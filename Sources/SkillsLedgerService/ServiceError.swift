import Foundation
import Hummingbird
import Intake
import Ledger
import Rules
import SkillsDomain
import SkillsLedgerCore

/// An answer other than success, as the service writes it: `{"error": message, "details": [...]}` with its status.
public struct ServiceError: HTTPResponseError, Sendable {
    /// The HTTP status answered.
    public var status: HTTPResponse.Status
    /// `error` in the answer: what went wrong, for a person.
    public var message: String
    /// `details`: the bad rows (`{"line","field","message"}`) or the conflicting ids.
    public var details: [JSONValue]
    /// `Retry-After` in seconds, for a 503 the client should simply repeat.
    public var retryAfterSeconds: Int?

    /// An error answered with `status`, `message` and `details`.
    public init(_ status: HTTPResponse.Status, _ message: String, details: [JSONValue] = [], retryAfterSeconds: Int? = nil) {
        self.status = status
        self.message = message
        self.details = details
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// The JSON body.
    var body: String {
        CanonicalJSONWriter.string(.object([JSONMember("error", .string(message)), JSONMember("details", .array(details))])) + "\n"
    }

    /// The answer `{"error": message, "details": [...]}` with the status.
    public func response(from request: Request, context: some RequestContext) throws -> Response { response }

    var response: Response {
        var headers: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        if let retryAfterSeconds { headers[.retryAfter] = String(retryAfterSeconds) }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func badParameter(_ name: String, _ problem: String) -> ServiceError {
        ServiceError(.badRequest, "query parameter \(name): \(problem)")
    }

    /// The answer for any error a use case, the router or the framework throws; `upload` (the temporary file of
    /// the request's body) is named `upload` in messages, as the client knows nothing of where it was kept.
    init(_ error: any Error, upload: String? = nil) {
        func clean(_ text: String) -> String { upload.map { text.replacingOccurrences(of: $0, with: "upload") } ?? text }
        switch error {
        case let error as ServiceError:
            self = error
        case let error as HTTPError:
            self.init(error.status, error.body ?? Self.defaultMessage(error.status))
        case let error as IntakeError:
            self.init(.unprocessableContent, "refused, nothing recorded: \(error.total) problem(s)", details: error.issues.map { issue in
                .object([JSONMember("line", .number(String(issue.line))), JSONMember("field", issue.field.map { .string($0) } ?? .null),
                         JSONMember("message", .string(clean(issue.message)))])
            })
        case LedgerError.conflicts(let conflicts):
            self.init(.conflict, "batch refused, nothing recorded: \(conflicts.count) conflicting event id(s)", details: conflicts.map { conflict in
                .object([JSONMember("id", .string(conflict.id)), JSONMember("message", .string(clean(conflict.description)))])
            })
        case let error as PackErrors:
            self.init(.unprocessableContent, clean(error.description))
        default:
            switch FailureKind(error) {
            case .notFound, .unknownTarget: self.init(.notFound, clean("\(error)"))
            case .forbidden: self.init(.forbidden, clean("\(error)"))
            case .conflict: self.init(.conflict, clean("\(error)"))
            case .busy: self.init(.serviceUnavailable, clean("\(error)"))
            case .integrity: self.init(.internalServerError, clean("\(error)"))
            case .badInput:
                if case LedgerError.refused(let message) = error { self.init(.unprocessableContent, clean(message)) } else {
                    self.init(.badRequest, clean("\(error)"))
                }
            }
        }
    }

    static func defaultMessage(_ status: HTTPResponse.Status) -> String {
        switch status {
        case .unauthorized: "a valid token is required: Authorization: Bearer slt_…"
        case .forbidden: "this token's role may not use this route"
        case .notFound: "no such route"
        case .contentTooLarge: "the body is larger than the service accepts"
        default: status.reasonPhrase
        }
    }
}

/// Turns every error into SPEC.md's error shape, so that no framework message or stack reaches the client.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = ServiceRequestContext

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do { return try await next(request, context) } catch { return ServiceError(error).response }
    }
}
