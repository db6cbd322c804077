import Rules
import SkillsDomain

/// One row of a compliance audit: what it reports, in JSON and in a table, and its shortfall against the floor.
public protocol AuditRow: Sendable {
    /// The key of the list in the JSON shape (`jurisdictions`, `employers`).
    static var listKey: String { get }
    /// The table's title, before the year.
    static var title: String { get }
    static var headers: [String] { get }
    var shortfall: Money { get }
    var json: JSONValue { get }
    var cells: [String] { get }
    /// The spreadsheet's columns (`--format xlsx`), in Chinese and English.
    static var sheetHeaders: [String] { get }
    /// The row's typed cells, in `sheetHeaders` order: amounts as money, ratios as decimals.
    var sheetCells: [SheetCell] { get }
}

/// A compliance audit for a year (`audit budget`, `audit employers`): `{"year", LIST: [rows]}` in JSON, a table for
/// people. The command exits 1 when any row falls short of its floor.
public struct AuditReport<Row: AuditRow>: Report, Sendable {
    /// The calendar year audited.
    public var year: Int
    /// One row per jurisdiction or employer that reported for the year.
    public var rows: [Row]

    /// The audit of `year` over `rows`.
    public init(year: Int, rows: [Row]) {
        self.year = year
        self.rows = rows
    }

    /// Whether any row falls short of its floor.
    public var hasShortfall: Bool { rows.contains { $0.shortfall.fen > 0 } }

    public var formats: Set<ReportFormat> { [.table, .json, .xlsx] }

    public func write(_ format: ReportFormat, to emit: (String) -> Void) {
        emit(effectiveFormat(format) == .json ? prettyLine(json) : table + "\n")
    }

    /// `{"year", LIST: [row…]}`, SPEC.md's shapes.
    public var json: JSONValue {
        .object([JSONMember("year", .number(String(year))), JSONMember(Row.listKey, .array(rows.map(\.json)))])
    }

    /// The title and year, then one line per row.
    public var table: String {
        var table = TextColumns(Row.headers)
        for row in rows { table.add(row.cells) }
        return "\(Row.title) \(year)\n" + table.rendered
    }
}

/// Each jurisdiction's training-subsidy budget against the floor (Shiyan #30: ≥ 20% of the employment fund), and
/// what was granted against the budget.
public typealias BudgetAuditReport = AuditReport<Audits.BudgetRow>

/// Each employer's frontline share of the employee education fund against the floor (≥ 60%, 国发〔2010〕36号 §15).
public typealias EmployerAuditReport = AuditReport<Audits.EmployerRow>

extension Audits.BudgetRow: AuditRow {
    /// SPEC.md's `audit budget` list: `jurisdictions`.
    public static var listKey: String { "jurisdictions" }
    /// The table's title.
    public static var title: String { "培训补贴预算 budget floor" }
    /// The table's columns.
    public static var headers: [String] { ["jurisdiction", "employment fund", "training budget", "ratio", "floor", "shortfall", "granted", "utilisation"] }

    /// The row in SPEC.md's shape: amounts as yuan strings, ratios with four decimals.
    public var json: JSONValue {
        .object([JSONMember("jurisdiction", .string(jurisdiction)), JSONMember("employment_fund", .string(employmentFund.yuanString)),
                 JSONMember("training_subsidy_budget", .string(trainingSubsidyBudget.yuanString)),
                 JSONMember("ratio", .string(ratio.description)), JSONMember("floor", .string(floor.description)),
                 JSONMember("shortfall", .string(shortfall.yuanString)), JSONMember("granted", .string(granted.yuanString)),
                 JSONMember("utilisation", .string(utilisation.description)), JSONMember("evidence", .string(evidence))])
    }

    /// The row's cells in the table, in `headers` order.
    public var cells: [String] {
        [jurisdiction, employmentFund.yuanString, trainingSubsidyBudget.yuanString, ratio.description, floor.description,
         shortfall.yuanString, granted.yuanString, utilisation.description]
    }
}

extension Audits.EmployerRow: AuditRow {
    /// SPEC.md's `audit employers` list: `employers`.
    public static var listKey: String { "employers" }
    /// The table's title.
    public static var title: String { "职工教育经费一线使用 frontline share" }
    /// The table's columns.
    public static var headers: [String] { ["employer", "spent", "frontline", "ratio", "floor", "shortfall"] }

    /// The row in SPEC.md's shape: amounts as yuan strings, ratios with four decimals.
    public var json: JSONValue {
        .object([JSONMember("employer", .string(employer)), JSONMember("spent", .string(spent.yuanString)),
                 JSONMember("spent_frontline", .string(spentFrontline.yuanString)), JSONMember("ratio", .string(ratio.description)),
                 JSONMember("floor", .string(floor.description)), JSONMember("shortfall", .string(shortfall.yuanString)),
                 JSONMember("evidence", .string(evidence))])
    }

    /// The row's cells in the table, in `headers` order.
    public var cells: [String] {
        [employer, spent.yuanString, spentFrontline.yuanString, ratio.description, floor.description, shortfall.yuanString]
    }
}
