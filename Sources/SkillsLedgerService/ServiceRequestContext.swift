import Hummingbird
import HummingbirdAuth
import SkillsDomain
import SkillsLedgerCore

/// The context of one request: Hummingbird's core, and the token's identity once `TokenAuthenticator` found it.
public struct ServiceRequestContext: AuthRequestContext, RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The token's name, role and scope; nil until authenticated (and for `/healthz`).
    public var identity: AccessIdentity?

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
        return try await Tokens(try await ledgers.session(operatorName: "service")).authenticate(bearer: bearer.token)
    }
}

/// Admits a request whose token has one of `roles` (hummingbird-auth's `AuthorizationPolicyMiddleware` answers 401
/// without an identity, 403 when this says no). Scopes are checked by each route, against its parameters.
struct AllowedRoles: AuthorizationPolicy {
    let roles: Set<AccessRole>

    func isAuthorized(identity: AccessIdentity, request: Request) async throws -> Bool { roles.contains(identity.role) }
}
