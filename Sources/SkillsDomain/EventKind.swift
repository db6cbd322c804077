/// Every kind of event the ledger records (SPEC.md "Event kinds").
public enum EventKind: String, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    case workerRegistered = "worker.registered"
    case workerChanged = "worker.changed"
    case trainingCompleted = "training.completed"
    case certificationAwarded = "certification.awarded"
    case certificationRevoked = "certification.revoked"
    case creditEarned = "credit.earned"
    case apprenticeshipStarted = "apprenticeship.started"
    case apprenticeshipEnded = "apprenticeship.ended"
    case competitionPlaced = "competition.placed"
    case honorAwarded = "honor.awarded"
    case fundBudgeted = "fund.budgeted"
    case employerEducationFund = "employer.education-fund"
    case subsidyGranted = "subsidy.granted"
    case subsidyPaid = "subsidy.paid"
    case policyAdopted = "policy.adopted"
    case eventReversed = "event.reversed"
    case periodClosed = "period.closed"
    /// An extension of SPEC.md's catalogue: `reopen` records why a closed month was opened again.
    case periodReopened = "period.reopened"
    /// A subsidy list posted for public notice (公示) before payment (SPEC.md "Public notice").
    case noticePublished = "notice.published"
    /// An objection (异议) to one entitlement on a notice.
    case objectionFiled = "objection.filed"
    /// An objection's outcome: upheld (the entitlement is withdrawn) or dismissed.
    case objectionResolved = "objection.resolved"
    /// Extensions for the service: a token was issued to a role and scope (`token create`), or withdrawn.
    case accessGranted = "access.granted"
    case accessRevoked = "access.revoked"

    public var description: String { rawValue }

    /// The kind whose raw value is these UTF-8 bytes (a stored row's `kind`, read in place); nil for any other text.
    /// Compared with each kind's bytes, so that a month-end read makes no string of each event's kind.
    public init?(utf8 bytes: UnsafeRawBufferPointer) {
        guard let kind = EventKind.byUTF8.first(where: { $0.bytes.count == bytes.count && $0.bytes.elementsEqual(bytes) })?.kind else { return nil }
        self = kind
    }

    private static let byUTF8: [(bytes: [UInt8], kind: EventKind)] = allCases.map { (Array($0.rawValue.utf8), $0) }

    /// The Chinese name shown to users.
    public var chineseName: String {
        switch self {
        case .workerRegistered: "职工登记"
        case .workerChanged: "职工信息变更"
        case .trainingCompleted: "培训结业"
        case .certificationAwarded: "取得职业技能等级证书"
        case .certificationRevoked: "证书撤销"
        case .creditEarned: "学分获得"
        case .apprenticeshipStarted: "学徒培训开始"
        case .apprenticeshipEnded: "学徒培训结束"
        case .competitionPlaced: "技能竞赛获奖"
        case .honorAwarded: "荣誉称号"
        case .fundBudgeted: "资金预算"
        case .employerEducationFund: "职工教育经费"
        case .subsidyGranted: "补贴核定"
        case .subsidyPaid: "补贴发放"
        case .policyAdopted: "政策采用"
        case .eventReversed: "冲正"
        case .periodClosed: "月度结账"
        case .periodReopened: "重新开账"
        case .noticePublished: "公示"
        case .objectionFiled: "异议"
        case .objectionResolved: "异议处理"
        case .accessGranted: "授予访问权限"
        case .accessRevoked: "撤销访问权限"
        }
    }

    public static func < (lhs: EventKind, rhs: EventKind) -> Bool { lhs.rawValue < rhs.rawValue }
}
