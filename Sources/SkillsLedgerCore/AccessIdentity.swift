import Ledger
import SkillsDomain

/// Who a request speaks for: a token's name, role and scope. The service authorises every route with it; the use
/// cases record `NAME (ROLE)` as the operator of every event written.
public struct AccessIdentity: Sendable, Equatable {
    /// The token's name, unique in the ledger (`shiyan-hr`).
    public var name: String
    /// What it may do.
    public var role: AccessRole
    /// The institution's 统一社会信用代码, or the jurisdiction (possibly `national`); nil for admin.
    public var scope: String?

    /// The identity of a token record.
    public init(name: String, role: AccessRole, scope: String?) {
        self.name = name
        self.role = role
        self.scope = scope
    }

    /// The identity a stored token grants.
    public init(_ record: AccessTokenRecord) {
        self.init(name: record.name, role: record.role, scope: record.scope)
    }

    /// `NAME (ROLE)`, the operator of every event written with this token.
    public var operatorName: String { "\(name) (\(role))" }

    /// The jurisdiction a bureau, finance or auditor token covers.
    public var jurisdiction: JurisdictionCode? { scope.flatMap { try? JurisdictionCode($0) } }

    /// Whether the token's scope covers `jurisdiction` (a jurisdiction inside its own, or anything for national).
    public func covers(_ jurisdiction: JurisdictionCode) -> Bool {
        self.jurisdiction?.contains(jurisdiction) ?? false
    }

    /// The kinds an institution may submit (SPEC.md "Service").
    public static let institutionKinds: Set<EventKind> = [
        .trainingCompleted, .certificationAwarded, .certificationRevoked, .creditEarned, .apprenticeshipStarted, .apprenticeshipEnded,
    ]

    /// Why this token may not submit `event`, or nil when it may: an institution submits its own kinds under its own
    /// code, for training it gave itself; a bureau submits any kind whose source and jurisdiction lie in its jurisdiction; nobody else submits.
    public func refusal(toSubmit event: Event) -> String? {
        switch role {
        case .institution:
            if event.source != scope { return "its source \(event.source) is not this token's institution \(scope ?? "")" }
            if !Self.institutionKinds.contains(event.kind) { return "an institution may not submit \(event.kind) events" }
            // A row that names another institution by its code is that institution's to submit.
            if let named = event.data.text("institution"), let code = try? CreditCode(named), code.value != scope {
                return "it names another institution, \(named)"
            }
            return nil
        case .bureau:
            if event.kind == .accessGranted || event.kind == .accessRevoked { return "access events are recorded by `token` only" }
            if let source = try? JurisdictionCode(event.source), !covers(source) {
                return "its source \(event.source) lies outside this token's jurisdiction \(scope ?? "")"
            }
            if let text = event.data.text("jurisdiction"), let code = try? JurisdictionCode(text), !covers(code) {
                return "its jurisdiction \(text) lies outside this token's jurisdiction \(scope ?? "")"
            }
            return nil
        case .finance, .auditor, .admin:
            return "a \(role) token submits no events"
        }
    }
}
