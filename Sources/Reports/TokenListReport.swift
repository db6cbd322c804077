import Ledger
import SkillsDomain

/// `token list`: every service token ever created (never the token itself): name, role, scope, created, last used,
/// and whether it was revoked.
public struct TokenListReport: Report, Sendable {
    /// The tokens, oldest first.
    public var tokens: [AccessTokenRecord]

    /// The list of `tokens`.
    public init(tokens: [AccessTokenRecord]) { self.tokens = tokens }

    public var formats: Set<ReportFormat> { [.table, .json] }

    public func write(_ format: ReportFormat, to emit: (String) -> Void) {
        guard effectiveFormat(format) == .json else {
            if tokens.isEmpty { return emit("no tokens (create one with `skills-ledger token create --role ROLE --name NAME`)\n") }
            var columns = TextColumns(["name", "role", "scope", "created", "last used", "revoked"])
            for token in tokens {
                columns.add([token.name, "\(token.role) \(token.role.chineseName)", token.scope ?? "—", token.createdAt,
                             token.lastUsedAt ?? "never", token.revokedAt ?? "—"])
            }
            return emit(columns.rendered + "\n")
        }
        emit(prettyLine(.object([JSONMember("tokens", .array(tokens.map { token in
            .object([
                JSONMember("name", .string(token.name)), JSONMember("role", .string(token.role.rawValue)),
                JSONMember("scope", token.scope.json), JSONMember("created_at", .string(token.createdAt)),
                JSONMember("last_used_at", token.lastUsedAt.json), JSONMember("revoked_at", token.revokedAt.json),
            ])
        }))])))
    }
}
