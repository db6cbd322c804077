import SkillsDomain

extension NoticeReport {
    /// A page to print and post (A4, portrait): the title with the jurisdiction and month, the period, how to object,
    /// the list with its total, and the digest that ties it to the ledger. Chinese first, English beside it; no
    /// scripts, fonts or images fetched.
    public var html: String {
        let title = "\(jurisdiction) \(month.year)年\(month.month)月 补贴发放名单公示"
        var rows = ""
        for (index, entry) in entries.enumerated() {
            rows += "<tr><td class=\"num\">\(index + 1)</td><td>\(TextEscaping.html(entry.name))</td><td class=\"id\">\(TextEscaping.html(entry.worker))</td>"
            rows += "<td class=\"id\">\(TextEscaping.html(entry.payee))</td><td>\(TextEscaping.html(entry.item))</td>"
            rows += "<td class=\"num\">\(TextEscaping.html(amountText(entry)))</td><td class=\"id\">\(TextEscaping.html(entry.entitlement))</td></tr>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="zh-CN">
            <head>
            <meta charset="utf-8">
            <title>\(TextEscaping.html(title))</title>
            <style>\(NoticeReport.css)</style>
            </head>
            <body>
            <h1>\(TextEscaping.html(title))</h1>
            <p class="en">Public notice of subsidy recipients — jurisdiction \(TextEscaping.html(jurisdiction)), \(month)</p>
            <p class="period"><b>公示期</b> \(from) 至 \(until)（\(days) 个工作日）<span class="en"> · Notice period \(from) to \(until) (\(days) working days)</span></p>
            <p>\(TextEscaping.html(howToObjectZH))<br><span class="en">\(TextEscaping.html(howToObjectEN))</span></p>
            <table>
            <thead><tr><th class="num">序号<br><span class="en">No.</span></th><th>姓名<br><span class="en">Name</span></th><th>身份证号<br><span class="en">ID number</span></th><th>收款方<br><span class="en">Payee</span></th><th>补贴项目<br><span class="en">Item</span></th><th class="num">金额（元）<br><span class="en">Amount (yuan)</span></th><th>公示编号<br><span class="en">Entitlement</span></th></tr></thead>
            <tbody>
            \(rows)</tbody>
            <tfoot><tr><td colspan="5">合计 Total：\(entries.count) 项 items</td><td class="num">\(total.yuanString)</td><td></td></tr></tfoot>
            </table>
            <p class="foot">姓名、身份证号已部分隐去 Names and ID numbers are partly masked. 台账记录 Ledger record \(TextEscaping.html(noticeID)) · SHA-256 <code>\(digest)</code></p>
            </body>
            </html>

            """
    }

    static let css = """
        @page{size:A4;margin:15mm 12mm}
        body{font-family:"Noto Sans CJK SC","Noto Sans SC","PingFang SC","Microsoft YaHei",sans-serif;color:#000;font-size:11pt;line-height:1.5;margin:12mm auto;max-width:186mm}
        @media print{body{margin:0 auto}}
        h1{font-size:18pt;text-align:center;margin:0 0 2pt}p.en{text-align:center;margin:0 0 10pt}.en{color:#444;font-size:9pt}
        .period{margin:6pt 0}table{border-collapse:collapse;width:100%;margin-top:8pt;font-size:9.5pt}
        th,td{border:0.5pt solid #000;padding:3pt 4pt;text-align:left;vertical-align:baseline}th{background:#eee;white-space:nowrap}
        td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
        td.id{font-family:"DejaVu Sans Mono",monospace;font-size:7.5pt;white-space:nowrap}
        thead{display:table-header-group}tr{page-break-inside:avoid}tfoot td{font-weight:bold}
        .foot{margin-top:10pt;font-size:8pt;color:#444}code{word-break:break-all}
        """
}
