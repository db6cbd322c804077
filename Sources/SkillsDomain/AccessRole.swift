/// Who a service token speaks for (SPEC.md "Service"): each role may do one organisation's jobs, inside its scope.
public enum AccessRole: String, Sendable, CaseIterable, Hashable, CustomStringConvertible {
    /// A training institution: submits its own training, certificates and credits (scope: its 统一社会信用代码).
    case institution
    /// An HR bureau (人社局): everything inside its jurisdiction (scope: a jurisdiction code, or national).
    case bureau
    /// A finance office (财政局): payouts, reconciliation, closing months (scope: a jurisdiction code).
    case finance
    /// An auditor: reads everything in scope and writes nothing (scope: a jurisdiction code, or national).
    case auditor
    /// Manages tokens only; has no scope and sees no ledger data.
    case admin

    public var description: String { rawValue }

    /// The Chinese name shown to users.
    public var chineseName: String {
        switch self {
        case .institution: "培训机构"
        case .bureau: "人社部门"
        case .finance: "财政部门"
        case .auditor: "审计"
        case .admin: "管理员"
        }
    }
}
