import Crypto
import Foundation
import Ledger
import Reports
import SkillsDomain

/// Tokens for the service (`token create|list|revoke`, and every request's `Authorization: Bearer`): a token is shown
/// once and only its SHA-256 is kept, outside the chain; granting and revoking are recorded in the chain.
///
/// ```swift
/// let issued = try await Tokens(session).create(role: .institution, name: "wuhan-tech", source: "91420100MA4K0000X1")
/// print(issued.token)   // slt_…, shown this once
/// ```
public struct Tokens: Sendable {
    /// The ledger, operator and date the operations run with.
    public var session: Session

    /// The operations on `session`'s ledger.
    public init(_ session: Session) { self.session = session }

    /// Every token starts with this, so that a leaked one is recognisable (secret scanners, logs).
    public static let prefix = "slt_"
    /// 32 bytes from the system's cryptographic random source.
    static let secretBytes = 32

    /// A token just created: its text (shown once) and the identity it grants.
    public struct Issued: Sendable {
        /// The token itself, shown this once and never stored (the ledger keeps its SHA-256).
        public var token: String
        /// Who it is for: name, role and scope.
        public var identity: AccessIdentity
        /// The `access.granted` event recorded for it.
        public var eventID: String
    }

    /// Creates a token for `role`, scoped as the role requires, and records `access.granted` (never the token).
    /// - Throws: `OperationError.badRequest` for a bad name or a scope the role does not take; `LedgerError.refused`
    ///   for a name used before.
    public func create(role: AccessRole, name: String, source: String? = nil, jurisdiction: String? = nil) async throws -> Issued {
        let scope = try Self.scope(for: role, source: source, jurisdiction: jurisdiction)
        guard name.utf8.count <= 40, EventID.isValid(name) else {
            throw OperationError.badRequest("a token name is 1–40 of A-Z a-z 0-9 . _ : - (found \"\(name)\")")
        }
        let token = Self.prefix + Self.randomSecret()
        let identity = AccessIdentity(name: name, role: role, scope: scope)
        let now = Timestamp.now()
        var data: [(String, FieldValue)] = [("name", .text(name)), ("role", .text(role.rawValue))]
        if let scope { data.append(("scope", .text(scope))) }
        let event = Event(id: "access.granted:\(name)", kind: .accessGranted, occurredOn: session.today,
                          source: Self.eventSource(scope), data: EventData(data))
        let record = AccessTokenRecord(name: name, tokenSHA256: Self.hash(token), role: role, scope: scope, createdAt: now)
        _ = try await session.ledger.grantAccess(record, recording: Submission(event: event, origin: "token create"),
                                                 operatorName: session.operatorName, recordedAt: now)
        return Issued(token: token, identity: identity, eventID: event.id)
    }

    /// Revokes the named token at once and records `access.revoked`.
    /// - Returns: the id of the event recorded.
    public func revoke(name: String) async throws -> String {
        guard let record = try await session.ledger.accessTokens().first(where: { $0.name == name && $0.revokedAt == nil }) else {
            throw OperationError.notFound("no token named \(name) is in use (see `skills-ledger token list`)")
        }
        let event = Event(id: "access.revoked:\(name)", kind: .accessRevoked, occurredOn: session.today,
                          source: Self.eventSource(record.scope), data: EventData([("name", .text(name))]))
        _ = try await session.ledger.revokeAccess(name: name, recording: Submission(event: event, origin: "token revoke"),
                                                  operatorName: session.operatorName, recordedAt: Timestamp.now())
        return event.id
    }

    /// Every token, revoked ones included: names, roles, scopes, created and last used.
    public func list() async throws -> TokenListReport {
        TokenListReport(tokens: try await session.ledger.accessTokens())
    }

    /// The identity of a bearer token, or nil when it is unknown or revoked; notes its use (to the minute).
    public func authenticate(bearer token: String) async throws -> AccessIdentity? {
        guard let record = try await tokenRecord(bearer: token) else { return nil }
        try await noteUse(of: record)
        return AccessIdentity(record)
    }

    /// The live token record whose hash is that of `token`, writing nothing. Every stored hash is compared in
    /// constant time, so how long the answer takes says nothing about how close a guess was.
    public func tokenRecord(bearer token: String) async throws -> AccessTokenRecord? {
        guard token.hasPrefix(Self.prefix), token.utf8.count <= 128 else { return nil }
        let presented = Self.hash(token)
        var found: AccessTokenRecord?
        for record in try await session.ledger.accessTokens() where Self.constantTimeEqual(record.tokenSHA256, presented) {
            found = record
        }
        guard let found, found.revokedAt == nil else { return nil }
        return found
    }

    /// Records that `record`'s token was used this minute, unless that is known already: a busy token costs one
    /// small write a minute, not one a request.
    public func noteUse(of record: AccessTokenRecord) async throws {
        guard let minute = Self.minuteToNote(record) else { return }
        try await session.ledger.noteAccessTokenUsed(name: record.name, at: minute)
    }

    /// The minute to record as `record`'s last use, or nil when it is recorded already.
    public static func minuteToNote(_ record: AccessTokenRecord) -> String? {
        let minute = String(Timestamp.now().prefix(16)) + "Z"
        return record.lastUsedAt == minute ? nil : minute
    }

    /// The scope each role takes: institution its 统一社会信用代码, bureau and auditor a jurisdiction or national,
    /// finance a jurisdiction, admin none.
    static func scope(for role: AccessRole, source: String?, jurisdiction: String?) throws -> String? {
        func jurisdictionCode(nationalAllowed: Bool) throws -> String {
            guard source == nil else { throw OperationError.badRequest("a \(role) token takes --jurisdiction, not --source") }
            guard let jurisdiction else {
                if nationalAllowed { return JurisdictionCode.national.value }
                throw OperationError.badRequest("a \(role) token needs --jurisdiction CODE")
            }
            let code: JurisdictionCode
            do { code = try JurisdictionCode(jurisdiction) } catch { throw OperationError.badRequest("--jurisdiction: \(error)") }
            if code.isNational && !nationalAllowed { throw OperationError.badRequest("a finance token needs one jurisdiction, not national") }
            return code.value
        }
        switch role {
        case .institution:
            guard jurisdiction == nil, let source else { throw OperationError.badRequest("an institution token needs --source (its 统一社会信用代码) and no --jurisdiction") }
            do { return try CreditCode(source).value } catch { throw OperationError.badRequest("--source: \(error)") }
        case .bureau, .auditor: return try jurisdictionCode(nationalAllowed: true)
        case .finance: return try jurisdictionCode(nationalAllowed: false)
        case .admin:
            guard source == nil, jurisdiction == nil else { throw OperationError.badRequest("an admin token has no scope: it manages tokens only") }
            return nil
        }
    }

    /// The source of an access event: the scope when it is one, else `national` (the ledger's own authority).
    static func eventSource(_ scope: String?) -> String { scope ?? JurisdictionCode.national.value }

    static func randomSecret() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<secretBytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// SHA-256 of a token's text.
    public static func hash(_ token: String) -> Data { Data(SHA256.hash(data: Data(token.utf8))) }

    /// Whether two byte strings are equal, looking at every byte whatever the first difference.
    public static func constantTimeEqual(_ left: Data, _ right: Data) -> Bool {
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for (a, b) in zip(left, right) { difference |= a ^ b }
        return difference == 0
    }
}
