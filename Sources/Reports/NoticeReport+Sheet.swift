import SkillsDomain

extension NoticeReport: SheetReport {
    /// "公示 510107 2026-02".
    public var sheetName: String { "公示 \(jurisdiction) \(month)" }

    /// The CSV's columns, in Chinese and English.
    public var sheetHeaders: [String] {
        ["公示编号 entitlement", "姓名 name", "身份证号 ID", "收款方 payee", "项目 item", "金额 amount"]
    }

    /// One row per entry, masked as posted; a designation has no amount.
    public func forEachSheetRow(_ body: ([SheetCell]) throws -> Void) rethrows {
        for entry in entries {
            try body([.text(entry.entitlement), .text(entry.name), .text(entry.worker), .text(entry.payee), .text(entry.item),
                      entry.amount.map(SheetCell.money) ?? .empty])
        }
    }
}
