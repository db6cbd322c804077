import SkillsDomain

/// The CSV layouts institutions, bureaus and banks send (SPEC.md "CSV layouts"), recognised from the header row in
/// English or Chinese.
public enum CSVLayout: String, Sendable, CaseIterable {
    case workers
    case training
    case certificates
    case payments

    /// The columns in SPEC.md's order.
    public var columns: [String] {
        switch self {
        case .workers: ["id", "worker", "name", "jurisdiction", "employer", "insured_since", "migrant", "frontline", "registered_on"]
        case .training: ["id", "worker", "name", "course", "title", "institution", "hours", "started_on", "completed_on", "cost", "paid_by", "track", "occupation"]
        case .certificates: ["id", "worker", "name", "occupation", "occupation_name", "level", "certificate", "issuer", "awarded_on", "route"]
        case .payments: ["payment_id", "payee", "amount", "paid_on", "grant", "bank_ref"]
        }
    }

    /// Columns a file may leave out.
    var optionalColumns: Set<String> {
        switch self {
        case .workers: ["name", "employer", "insured_since"]
        case .training: ["name", "occupation"]
        case .certificates: ["name"]
        case .payments: ["grant", "bank_ref"]
        }
    }

    /// The column whose presence identifies the layout.
    var marker: String {
        switch self {
        case .workers: "registered_on"
        case .training: "course"
        case .certificates: "certificate"
        case .payments: "payment_id"
        }
    }

    /// Chinese (and a few English) header names people use, mapped to SPEC.md's names.
    static let aliases: [String: String] = [
        "编号": "id", "事件编号": "id", "记录编号": "id", "流水号": "id",
        "身份证号": "worker", "身份证号码": "worker", "公民身份号码": "worker", "职工": "worker", "worker_id": "worker",
        "姓名": "name",
        "行政区划": "jurisdiction", "行政区划代码": "jurisdiction", "地区代码": "jurisdiction", "所属地区": "jurisdiction",
        "用人单位": "employer", "单位": "employer", "单位信用代码": "employer", "用人单位统一社会信用代码": "employer",
        "参保起始": "insured_since", "参保年月": "insured_since", "失业保险参保起始年月": "insured_since",
        "农民工": "migrant", "是否农民工": "migrant", "一线职工": "frontline", "是否一线职工": "frontline",
        "登记日期": "registered_on",
        "课程编号": "course", "课程代码": "course", "课程名称": "title", "培训项目": "title",
        "培训机构": "institution", "培训机构代码": "institution", "学时": "hours", "培训学时": "hours",
        "开班日期": "started_on", "开始日期": "started_on", "结业日期": "completed_on", "完成日期": "completed_on",
        "培训费用": "cost", "费用": "cost", "付费方": "paid_by", "出资方": "paid_by",
        "培训类别": "track", "培训类型": "track", "职业编码": "occupation", "职业代码": "occupation",
        "职业名称": "occupation_name", "等级": "level", "技能等级": "level", "职业技能等级": "level",
        "证书编号": "certificate", "发证机构": "issuer", "评价机构": "issuer", "发证日期": "awarded_on", "取证日期": "awarded_on",
        "评价方式": "route", "取证方式": "route",
        "支付编号": "payment_id", "付款编号": "payment_id", "收款人": "payee", "收款人证件号码": "payee",
        "金额": "amount", "支付金额": "amount", "发放金额": "amount", "支付日期": "paid_on", "发放日期": "paid_on",
        "补贴编号": "grant", "核定编号": "grant", "银行流水号": "bank_ref", "银行交易流水号": "bank_ref",
    ]

    /// The SPEC.md name of a header cell, or nil if it is not one we know.
    static func canonicalName(_ header: String) -> String? {
        let trimmed = header.trimmingSpaces.replacingBOM
        let lowered = trimmed.lowercased()
        if CSVLayout.allCases.contains(where: { $0.columns.contains(lowered) }) { return lowered }
        return aliases[trimmed] ?? aliases[lowered]
    }

    /// Recognises the layout of a header row; returns the SPEC.md name of each column in file order.
    public static func detect(header: [String], file: String) throws(IntakeError) -> (layout: CSVLayout, columns: [String]) {
        let names = header.map { canonicalName($0) }
        let known = Set(names.compactMap { $0 })
        guard let layout = CSVLayout.allCases.first(where: { known.contains($0.marker) }) else {
            throw IntakeError(file: file, line: 1, field: nil, message: "the header is not one of the known layouts: "
                + CSVLayout.allCases.map { "\($0.rawValue) (\($0.columns.joined(separator: ",")))" }.joined(separator: "; "))
        }
        var issues: [RowIssue] = []
        for (index, name) in names.enumerated() where name == nil || !layout.columns.contains(name!) {
            issues.append(RowIssue(file: file, line: 1, field: header[index],
                                   message: "unknown column \"\(header[index])\" for the \(layout.rawValue) layout; expected columns: \(layout.columns.joined(separator: ","))"))
        }
        var seen: Set<String> = []
        for name in names.compactMap({ $0 }) where !seen.insert(name).inserted {
            issues.append(RowIssue(file: file, line: 1, field: name, message: "the column \(name) appears twice"))
        }
        for column in layout.columns where !known.contains(column) && !layout.optionalColumns.contains(column) {
            issues.append(RowIssue(file: file, line: 1, field: column, message: "the \(layout.rawValue) layout needs a column \(column)"))
        }
        guard issues.isEmpty else { throw IntakeError(file: file, issues: issues) }
        return (layout, names.map { $0! })
    }
}

extension String {
    var replacingBOM: String { hasPrefix("\u{FEFF}") ? String(dropFirst()) : self }
}
