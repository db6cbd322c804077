import Rules
import SkillsDomain

extension AuditReport: SheetReport {
    /// The audit's title and year, cut to Excel's 31 characters.
    public var sheetName: String { "\(Row.title) \(year)" }

    /// The columns of the sheet, in Chinese and English.
    public var sheetHeaders: [String] { Row.sheetHeaders }

    /// One row per jurisdiction or employer.
    public func forEachSheetRow(_ body: ([SheetCell]) throws -> Void) rethrows {
        for row in rows { try body(row.sheetCells) }
    }
}

extension Audits.BudgetRow {
    /// The table's columns in Chinese and English.
    public static var sheetHeaders: [String] {
        ["地区 jurisdiction", "就业专项资金 employment fund", "培训补贴预算 training budget", "比例 ratio", "下限 floor", "缺口 shortfall",
         "已核定 granted", "使用率 utilisation"]
    }

    /// The table's cells, typed.
    public var sheetCells: [SheetCell] {
        [.text(jurisdiction), .money(employmentFund), .money(trainingSubsidyBudget), .decimal(ratio.description), .decimal(floor.description),
         .money(shortfall), .money(granted), .decimal(utilisation.description)]
    }
}

extension Audits.EmployerRow {
    /// The table's columns in Chinese and English.
    public static var sheetHeaders: [String] {
        ["单位 employer", "职工教育经费支出 spent", "一线职工 frontline", "比例 ratio", "下限 floor", "缺口 shortfall"]
    }

    /// The table's cells, typed.
    public var sheetCells: [SheetCell] {
        [.text(employer), .money(spent), .money(spentFrontline), .decimal(ratio.description), .decimal(floor.description), .money(shortfall)]
    }
}
