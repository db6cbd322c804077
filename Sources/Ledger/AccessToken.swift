import Foundation
import SkillsDomain

/// A service token as the ledger keeps it: never the token, only its SHA-256, with the role and scope it grants.
public struct AccessTokenRecord: Sendable, Equatable {
    /// The name the token was created under (unique for good, also after it is revoked).
    public var name: String
    /// SHA-256 of the token's text.
    public var tokenSHA256: Data
    /// What the token may do (SPEC.md "Service": institution, bureau, finance, auditor, admin).
    public var role: AccessRole
    /// A 统一社会信用代码 (institution), a jurisdiction code or `national`; nil for admin.
    public var scope: String?
    /// When `token create` made it (UTC, ISO 8601).
    public var createdAt: String
    /// The minute of the last request made with it, or nil if never used.
    public var lastUsedAt: String?
    /// When it was revoked; a revoked token no longer works.
    public var revokedAt: String?

    /// A token record; `lastUsedAt` and `revokedAt` start empty.
    public init(name: String, tokenSHA256: Data, role: AccessRole, scope: String?, createdAt: String,
                lastUsedAt: String? = nil, revokedAt: String? = nil) {
        self.name = name
        self.tokenSHA256 = tokenSHA256
        self.role = role
        self.scope = scope
        self.createdAt = createdAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }
}

/// The first answer given to a write sent with an `Idempotency-Key`, kept so that a replay gets it again.
public struct IdempotentResponse: Sendable, Equatable {
    /// SHA-256 over the request (method, path, query and body): the same key with another request is refused.
    public var requestSHA256: Data
    /// The HTTP status of the first answer.
    public var status: Int
    /// Its `Content-Type`.
    public var contentType: String
    /// Its body, byte for byte, returned again on a replay.
    public var body: Data

    /// A stored answer to the request whose hash is `requestSHA256`.
    public init(requestSHA256: Data, status: Int, contentType: String, body: Data) {
        self.requestSHA256 = requestSHA256
        self.status = status
        self.contentType = contentType
        self.body = body
    }
}
