import Rules
import SkillsDomain

extension EntitlementReport: SheetReport {
    /// "应享补贴 420300 2026-03".
    public var sheetName: String { "应享补贴 \(jurisdiction) \(month)" }

    /// The CSV's columns, in Chinese and English.
    public var sheetHeaders: [String] {
        ["编号 id", "规则 rule", "政策 policy", "版本 version", "期间 period", "收款人 payee", "劳动者 worker", "金额 amount",
         "证据 evidence", "说明 explanation"]
    }

    /// One row per entitlement with real identifiers; a designation has no amount.
    public func forEachSheetRow(_ body: ([SheetCell]) throws -> Void) rethrows {
        for entitlement in entitlements {
            try body([
                .text(entitlement.id), .text(entitlement.rule), .text(entitlement.policy), .text(entitlement.version),
                .text(entitlement.period.description), .text(real(entitlement.payee)), .text(real(entitlement.worker)),
                entitlement.amount.map(SheetCell.money) ?? .empty, .text(entitlement.evidence.joined(separator: ";")),
                .text(entitlement.explanation),
            ])
        }
    }
}
