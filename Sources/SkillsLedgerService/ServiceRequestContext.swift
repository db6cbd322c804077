import Foundation
import Hummingbird
import HummingbirdAuth
import Ledger
import Logging
import SkillsDomain
import SkillsLedgerCore

/// The context of one request: Hummingbird's core, and the token's identity once `TokenAuthenticator` found it.
public struct ServiceRequestContext: AuthRequestContext, RequestContext {
    /// Hummingbird's own per-request state.
    public var coreContext: CoreRequestContextStorage
    /// The token's name, role and scope; nil until authenticated (and for `/healthz`).
    public var identity: AccessIdentity?

    /// A context for one request from `source`.
    public init(source: Source) {
        coreContext = .init(source: source)
        identity = nil
    }
}

/// Finds the identity of the request's `Authorization: Bearer` token. An unknown or revoked token leaves the request
/// unauthenticated, so that the role check answers 401.
struct TokenAuthenticator: AuthenticatorMiddleware {
    typealias Context = ServiceRequestContext
    let ledgers: LedgerAccess

    func authenticate(request: Request, context: Context) async throws -> AccessIdentity? {
        guard let bearer = request.headers.bearer else { return nil }
        return try await ledgers.identity(token: bearer.token, logger: context.logger)
    }
}

extension LedgerAccess {
    /// The identity of a live token (compared in constant time; unknown or revoked: nil), its use noted. The bearer
    /// header of the API and the session cookie of the pages both come here.
    func identity(token: String, logger: Logger) async throws -> AccessIdentity? {
        let tokens = Tokens(try await session(operatorName: "service"))
        guard let record = try await tokens.tokenRecord(bearer: token) else { return nil }
        // Last use is a write: it waits its turn at the write gate in the background, so that a read is never held
        // up behind a long grant just to note the minute it came in.
        if Tokens.minuteToNote(record) != nil {
            let writes = writes
            Task {
                do { try await writes.run { try await tokens.noteUse(of: record) } } catch {
                    logger.warning("could not note the use of token \(record.name): \(error)")
                }
            }
        }
        return AccessIdentity(record)
    }
}

/// Admits a request whose token has one of `roles` (hummingbird-auth's `AuthorizationPolicyMiddleware` answers 401
/// without an identity, 403 when this says no). Scopes are checked by each route, against its parameters.
struct AllowedRoles: AuthorizationPolicy {
    let roles: Set<AccessRole>

    func isAuthorized(identity: AccessIdentity, request: Request) async throws -> Bool { roles.contains(identity.role) }
}

extension ServiceRequestContext {
    /// A path parameter, percent-decoded: Hummingbird hands path segments over as sent, so `全国` arrives as
    /// `%E5%85%A8%E5%9B%BD` and an entitlement `a:b` as `a%3Ab` (found by schemathesis). A segment that does not
    /// decode is returned as sent, and refused by the parser that reads it.
    func pathParameter(_ name: String) -> String? {
        parameters.get(name).map { $0.removingPercentEncoding ?? $0 }
    }

    /// `pathParameter(name)`, 400 when the route has none of that name.
    func requirePathParameter(_ name: String) throws -> String {
        guard let value = pathParameter(name) else { throw ServiceError(.badRequest, "the path has no \(name)") }
        return value
    }
}
