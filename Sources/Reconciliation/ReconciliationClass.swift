/// The class of one reconciliation line (SPEC.md "Reconciliation"), in the order reports list them.
public enum ReconciliationClass: String, Sendable, CaseIterable, Comparable, CustomStringConvertible {
    /// A due grant paid exactly.
    case matched
    /// A due grant with money still outstanding after the month's payments.
    case underpaid
    /// A grant paid beyond its amount; the excess is the discrepancy.
    case overpaid
    /// A second payment of a grant already paid in full.
    case duplicate
    /// A payment naming a grant of another payee.
    case wrongPayee = "wrong-payee"
    /// A payment against a reversed grant: to claw back.
    case revoked
    /// A payment for which no grant can be found.
    case unknown
    /// A due grant with nothing paid yet; it carries to the next month.
    case unpaid

    public var description: String { rawValue }

    /// The Chinese name finance offices use.
    public var chineseName: String {
        switch self {
        case .matched: "已匹配"
        case .underpaid: "少付"
        case .overpaid: "多付"
        case .duplicate: "重复支付"
        case .wrongPayee: "收款人不符"
        case .revoked: "已撤销应追回"
        case .unknown: "无法匹配"
        case .unpaid: "未支付"
        }
    }

    /// "已匹配 matched": for labels read by people.
    public var label: String { chineseName + " " + rawValue }

    /// Whether the line is a payment with no due grant behind it (as opposed to a grant's own line).
    public var isStrayPayment: Bool {
        switch self {
        case .duplicate, .wrongPayee, .revoked, .unknown: true
        case .matched, .underpaid, .overpaid, .unpaid: false
        }
    }

    /// The class's place in `allCases` (report order).
    var rank: Int {
        switch self {
        case .matched: 0
        case .underpaid: 1
        case .overpaid: 2
        case .duplicate: 3
        case .wrongPayee: 4
        case .revoked: 5
        case .unknown: 6
        case .unpaid: 7
        }
    }

    public static func < (lhs: ReconciliationClass, rhs: ReconciliationClass) -> Bool { lhs.rank < rhs.rank }
}
