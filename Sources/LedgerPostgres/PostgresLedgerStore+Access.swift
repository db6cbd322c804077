import Foundation
import Ledger
import PostgresNIO
import SkillsDomain

/// Service tokens and idempotency keys, outside the chain (Schema.sql `access_tokens`, `idempotency_keys`), with
/// SQLite's semantics (`LedgerStore+Access.swift`): granting and revoking record their event in the same transaction
/// as the token's row, so neither happens without the other.
extension PostgresLedgerStore {
    public func grantAccess(_ token: AccessTokenRecord, recording event: Submission, operatorName: String,
                            recordedAt: String) async throws -> AppendResult {
        try await append([event], operatorName: operatorName, recordedAt: recordedAt) { connection in
            var exists = false
            for try await _ in try await connection.watchedQuery(
                "SELECT 1 FROM access_tokens WHERE name = \(token.name)", logger: Self.logger
            ).decode(Int32.self) {
                exists = true
            }
            if exists {
                throw LedgerError.refused("a token named \(token.name) exists already (names are never reused, even after `token revoke`): choose another name")
            }
            _ = try await connection.watchedQuery("""
                INSERT INTO access_tokens (name, token_sha256, role, scope, created_at)
                VALUES (\(token.name), \(token.tokenSHA256), \(token.role.rawValue), \(token.scope), \(token.createdAt))
                """, logger: Self.logger).collect()
        }
    }

    public func revokeAccess(name: String, recording event: Submission, operatorName: String, recordedAt: String) async throws -> AppendResult {
        try await append([event], operatorName: operatorName, recordedAt: recordedAt) { connection in
            let changed = try await connection.watchedQuery("""
                UPDATE access_tokens SET revoked_at = \(recordedAt) WHERE name = \(name) AND revoked_at IS NULL RETURNING name
                """, logger: Self.logger).collect()
            if changed.count != 1 { throw LedgerError.refused("no token named \(name) is in use (see `skills-ledger token list`)") }
        }
    }

    /// Every token ever created, revoked ones included, oldest first (names in byte order, as SQLite sorts them).
    public func accessTokens() async throws -> [AccessTokenRecord] {
        try await snapshot { connection in try await Self.accessTokens(connection) }
    }

    /// The tokens as `connection`'s transaction sees them (a backup reads them in its snapshot).
    static func accessTokens(_ connection: PostgresConnection) async throws -> [AccessTokenRecord] {
        var result: [AccessTokenRecord] = []
        for try await (name, hash, roleText, scope, createdAt, lastUsedAt, revokedAt) in try await connection.watchedQuery("""
            SELECT name, token_sha256, role, scope, created_at, last_used_at, revoked_at FROM access_tokens
            ORDER BY created_at COLLATE "C", name COLLATE "C"
            """, logger: Self.logger).decode((String, Data, String, String?, String, String?, String?).self) {
            guard let role = AccessRole(rawValue: roleText) else {
                throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil, reason: "access_tokens holds an unknown role \(roleText)"))
            }
            result.append(AccessTokenRecord(name: name, tokenSHA256: hash, role: role, scope: scope, createdAt: createdAt,
                                            lastUsedAt: lastUsedAt, revokedAt: revokedAt))
        }
        return result
    }

    /// Records the minute the named token was last used (nothing for a revoked or unknown name).
    public func noteAccessTokenUsed(name: String, at minute: String) async throws {
        try await transaction(writing: "noting a token's use") { connection in
            _ = try await connection.watchedQuery("""
                UPDATE access_tokens SET last_used_at = \(minute) WHERE name = \(name) AND revoked_at IS NULL
                """, logger: Self.logger).collect()
        }
    }

    /// The answer stored for `key` of the named token, or nil.
    public func idempotentResponse(tokenName: String, key: String) async throws -> IdempotentResponse? {
        try await snapshot { connection in
            var found: IdempotentResponse?
            for try await (hash, status, contentType, body) in try await connection.watchedQuery("""
                SELECT request_sha256, status, content_type, body FROM idempotency_keys WHERE token_name = \(tokenName) AND key = \(key)
                """, logger: Self.logger).decode((Data, Int32, String, Data).self) {
                found = IdempotentResponse(requestSHA256: hash, status: Int(status), contentType: contentType, body: body)
            }
            return found
        }
    }

    /// Stores the first answer for `key` of the named token; a second answer for the same key is refused (primary key).
    public func storeIdempotentResponse(_ response: IdempotentResponse, tokenName: String, key: String, recordedAt: String) async throws {
        let status = Int32(clamping: response.status)
        try await transaction(writing: "keeping a service answer") { connection in
            _ = try await connection.watchedQuery("""
                INSERT INTO idempotency_keys (token_name, key, request_sha256, status, content_type, body, recorded_at)
                VALUES (\(tokenName), \(key), \(response.requestSHA256), \(status), \(response.contentType), \(response.body), \(recordedAt))
                """, logger: Self.logger).collect()
        }
    }
}
