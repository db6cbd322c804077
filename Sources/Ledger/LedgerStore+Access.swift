import Foundation
import GRDB
import SkillsDomain

/// Service tokens and idempotency keys: tables outside the chain (Schema/004_tokens.sql). Granting and revoking are
/// recorded in the chain in the same transaction as the token's row, so neither can happen without the other.
extension LedgerStore {
    /// Stores the token's hash and records `access.granted` in one transaction (see `LedgerStorage`).
    public func grantAccess(_ token: AccessTokenRecord, recording event: Submission, operatorName: String,
                            recordedAt: String) throws -> AppendResult {
        try append(operatorName: operatorName, recordedAt: recordedAt, keepingIDs: true, alsoWrite: { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM access_tokens WHERE name = ?", arguments: [token.name]) == true {
                throw LedgerError.refused("a token named \(token.name) exists already (names are never reused, even after `token revoke`): choose another name")
            }
            try db.execute(sql: """
                INSERT INTO access_tokens (name, token_sha256, role, scope, created_at) VALUES (?, ?, ?, ?, ?)
                """, arguments: [token.name, token.tokenSHA256, token.role.rawValue, token.scope, token.createdAt])
        }) { sink in try sink.add(event) }
    }

    /// Marks the token revoked and records `access.revoked` in one transaction (see `LedgerStorage`).
    public func revokeAccess(name: String, recording event: Submission, operatorName: String, recordedAt: String) throws -> AppendResult {
        try append(operatorName: operatorName, recordedAt: recordedAt, keepingIDs: true, alsoWrite: { db in
            try db.execute(sql: "UPDATE access_tokens SET revoked_at = ? WHERE name = ? AND revoked_at IS NULL",
                           arguments: [recordedAt, name])
            if db.changesCount != 1 { throw LedgerError.refused("no token named \(name) is in use (see `skills-ledger token list`)") }
        }) { sink in try sink.add(event) }
    }

    /// Every token ever created, revoked ones included, oldest first.
    public func accessTokens() throws -> [AccessTokenRecord] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM access_tokens ORDER BY created_at, name").map { row in
                let roleText: String = row["role"]
                guard let role = AccessRole(rawValue: roleText) else {
                    throw LedgerError.integrity(IntegrityFailure(seq: nil, eventID: nil, reason: "access_tokens holds an unknown role \(roleText)"))
                }
                return AccessTokenRecord(name: row["name"], tokenSHA256: row["token_sha256"], role: role, scope: row["scope"],
                                         createdAt: row["created_at"], lastUsedAt: row["last_used_at"], revokedAt: row["revoked_at"])
            }
        }
    }

    /// Records the minute the named token was last used.
    public func noteAccessTokenUsed(name: String, at minute: String) throws {
        try mapBusy {
            try writer.write { db in
                try db.execute(sql: "UPDATE access_tokens SET last_used_at = ? WHERE name = ? AND revoked_at IS NULL",
                               arguments: [minute, name])
            }
        }
    }

    /// The answer stored for `key` of the named token, or nil.
    public func idempotentResponse(tokenName: String, key: String) throws -> IdempotentResponse? {
        try read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM idempotency_keys WHERE token_name = ? AND key = ?", arguments: [tokenName, key]).map { row in
                IdempotentResponse(requestSHA256: row["request_sha256"], status: row["status"], contentType: row["content_type"], body: row["body"])
            }
        }
    }

    /// Stores the first answer for `key` of the named token.
    public func storeIdempotentResponse(_ response: IdempotentResponse, tokenName: String, key: String, recordedAt: String) throws {
        try mapBusy {
            try writer.write { db in
                try db.execute(sql: """
                    INSERT INTO idempotency_keys (token_name, key, request_sha256, status, content_type, body, recorded_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [tokenName, key, response.requestSHA256, response.status, response.contentType, response.body, recordedAt])
            }
        }
    }
}
