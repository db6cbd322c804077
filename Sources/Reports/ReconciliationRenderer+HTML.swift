import Reconciliation
import SkillsDomain

extension ReconciliationRenderer {
    /// One self-contained page: inline CSS, an inline SVG chart of due vs paid by rule and month, the classes and
    /// the discrepancy list. No scripts and nothing fetched, so it can be mailed or archived as it is.
    var html: String {
        var body = "<header><h1>\(TextEscaping.html(title))</h1>"
        body += "<p class=\"sub\">对账报告 · 行政区划 jurisdiction \(TextEscaping.html(report.jurisdiction.value)) · 月份 month \(report.month)</p>"
        if let closeNote { body += "<p class=\"closed\">\(TextEscaping.html(closeNote))</p>" }
        body += "</header>\n" + htmlTotals() + htmlClasses() + htmlChart() + htmlDiscrepancies()
        body += "<footer>报告摘要 Report digest (SHA-256): <code>\(report.digest)</code><br>差额 difference = 实付 paid − 应付 due. "
        body += (masking.masked ? "身份证号已脱敏 ID numbers are masked." : "") + "</footer>"
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>\(TextEscaping.html(title))</title>
            <style>\(ReconciliationRenderer.css)</style>
            </head>
            <body>
            \(body)
            </body>
            </html>

            """
    }

    static let css = """
        body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",system-ui,sans-serif;color:#24292f;margin:24px auto;max-width:1120px;padding:0 16px;line-height:1.45}
        h1{font-size:24px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 10px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
        h3{font-size:15px;margin:18px 0 6px}.sub{color:#57606a;margin:0}.closed{color:#0550ae;margin:6px 0 0}
        .cards{display:flex;gap:12px;margin-top:18px}.card{flex:1;border:1px solid #d0d7de;border-radius:8px;padding:12px 16px}
        .card .label{color:#57606a;font-size:13px}.card .value{font-size:24px;font-variant-numeric:tabular-nums}
        .bad .value{color:#cf222e}.good .value{color:#1a7f37}
        table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #eaeef2;padding:5px 8px;text-align:left}
        th{background:#f6f8fa;font-weight:600}td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
        tr.zero td{color:#8c959f}code{font-size:12px;word-break:break-all}
        footer{margin-top:28px;color:#57606a;font-size:12px}.note{color:#57606a;font-size:13px}
        """

    func htmlTotals() -> String {
        let differenceClass = report.difference == .zero ? "good" : "bad"
        return "<section class=\"cards\">"
            + "<div class=\"card\"><div class=\"label\">应付 Due</div><div class=\"value\">\(report.due.yuanString)</div></div>"
            + "<div class=\"card\"><div class=\"label\">实付 Paid</div><div class=\"value\">\(report.paid.yuanString)</div></div>"
            + "<div class=\"card \(differenceClass)\"><div class=\"label\">差额 Difference</div><div class=\"value\">\(report.difference.yuanString)</div></div>"
            + "<div class=\"card\"><div class=\"label\">明细 Lines</div><div class=\"value\">\(report.lineCount)</div></div>"
            + "</section>\n"
    }

    func htmlClasses() -> String {
        var rows = ""
        for (classification, total) in report.classes {
            rows += "<tr\(total.count == 0 ? " class=\"zero\"" : "")><td>\(TextEscaping.html(classification.label))</td>"
            rows += "<td class=\"num\">\(total.count)</td><td class=\"num\">\(total.amount.yuanString)</td></tr>\n"
        }
        return "<h2>分类 Classes</h2><table><thead><tr><th>类别 class</th><th class=\"num\">笔数 count</th><th class=\"num\">金额 amount</th></tr></thead><tbody>\n"
            + rows + "</tbody></table>\n"
    }

    /// Due and paid summed by the grant's rule and period (payments with no grant form their own group).
    func chartGroups() -> [(label: String, due: Int64, paid: Int64)] {
        struct Key: Hashable, Comparable {
            var period: String
            var rule: String
            static func < (lhs: Key, rhs: Key) -> Bool { (lhs.period, lhs.rule) < (rhs.period, rhs.rule) }
        }
        var sums: [Key: (due: Int64, paid: Int64)] = [:]
        report.forEachLine { line in
            let key = Key(period: line.period?.description ?? "—", rule: line.rule ?? "无核定 no grant")
            sums[key, default: (0, 0)].due += line.due.fen
            sums[key, default: (0, 0)].paid += line.paid.fen
        }
        return sums.keys.sorted().map { key in (key.rule + " · " + key.period, sums[key]!.due, sums[key]!.paid) }
    }

    func htmlChart() -> String {
        guard let chart else { return "<h2>应付与实付 Due vs paid</h2><p class=\"note\">本月无核定或支付 Nothing due or paid this month.</p>\n" }
        var text = "<h2>应付与实付（按补贴规则与核定月份）Due vs paid by rule and month</h2>\n" + chart.svg + "\n"
        if chart.notDrawn > 0 {
            text += "<p class=\"note\">另有 \(chart.notDrawn) 组未画出 — \(chart.notDrawn) more groups not drawn (see the CSV).</p>\n"
        }
        return text
    }

    /// Due and paid by the grant's rule and month as an inline SVG bar chart, and how many groups it leaves out (it
    /// draws `SVGBarChart.maximumCategories`); nil when nothing was due or paid. This report and the service's
    /// reconciliation page draw this one chart.
    public var chart: (svg: String, notDrawn: Int)? {
        let groups = chartGroups()
        guard !groups.isEmpty else { return nil }
        let chart = SVGBarChart(categories: groups.map(\.label), series: [
            SVGBarChart.Series(name: "应付 due", color: "#8c959f", values: groups.map(\.due)),
            SVGBarChart.Series(name: "实付 paid", color: "#0969da", values: groups.map(\.paid)),
        ], format: { Money(fen: $0).yuanString })
        return (chart.rendered, max(0, groups.count - SVGBarChart.maximumCategories))
    }

    /// One class's discrepancies as people's formats list them: at most `maximumListedPerClass` rows of
    /// `lineHeaders` cells (payees shown through `masking`), and how many more there are.
    public struct DiscrepancyTable: Sendable {
        /// "少付 underpaid".
        public var label: String
        /// The class's lines and amount.
        public var total: ClassTotal
        /// The rows listed, a cell per header.
        public var rows: [[String]]
        /// The lines not listed.
        public var notListed: Int
    }

    /// The discrepancies by class, in class order (the HTML report's and the service page's lists).
    public var discrepancyTables: [DiscrepancyTable] {
        let limit = ReconciliationRenderer.maximumListedPerClass
        return discrepancyGroups.map { classification, group in
            DiscrepancyTable(label: classification.label, total: report.total(of: classification), rows: group.prefix(limit).map(cells),
                             notListed: max(0, group.count - limit))
        }
    }

    func htmlDiscrepancies() -> String {
        let tables = discrepancyTables
        var text = "<h2>差异明细 Discrepancies</h2>\n"
        guard !tables.isEmpty else { return text + "<p>无差异 No discrepancies: every due grant was paid exactly.</p>\n" }
        for table in tables {
            text += "<h3>\(TextEscaping.html(table.label)) — \(table.total.count) 笔, \(table.total.amount.yuanString)</h3>\n<table><thead><tr>"
            for (index, header) in ReconciliationRenderer.lineHeaders.enumerated() {
                text += "<th\(ReconciliationRenderer.isAmountColumn(index) ? " class=\"num\"" : "")>\(TextEscaping.html(header))</th>"
            }
            text += "</tr></thead><tbody>\n"
            for row in table.rows {
                text += "<tr>" + row.enumerated().map { index, cell in
                    "<td\(ReconciliationRenderer.isAmountColumn(index) ? " class=\"num\"" : "")>\(TextEscaping.html(cell))</td>"
                }.joined() + "</tr>\n"
            }
            text += "</tbody></table>\n"
            if table.notListed > 0 {
                text += "<p class=\"note\">… 另有 \(table.notListed) 笔 and \(table.notListed) more (all lines: CSV or JSON).</p>\n"
            }
        }
        return text
    }
}
