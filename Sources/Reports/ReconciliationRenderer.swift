import Reconciliation
import SkillsDomain

/// Writes a reconciliation report in any `ReportFormat`. People's formats put the totals first, then the
/// discrepancies grouped by class; programs' formats carry every line.
///
/// ```swift
/// let renderer = ReconciliationRenderer(report, masking: IdentifierMasking(identities: try ledger.identities(), masked: true))
/// print(renderer.render(.table))
/// ```
public struct ReconciliationRenderer: Sendable {
    /// The report written.
    public var report: ReconciliationReport
    /// How payees are shown, and the identities already known.
    public var masking: IdentifierMasking

    /// People's formats (table, markdown, html) list at most this many lines of one class; CSV and JSON carry them all.
    public static let maximumListedPerClass = 1_000

    /// The payees `format` shows when it lists only some lines (people's formats list the discrepancies, up to
    /// `maximumListedPerClass` a class): only these need looking up in the registry. Nil when every line is shown.
    public static func payeesShown(in report: ReconciliationReport, format: ReportFormat) -> Set<String>? {
        guard format.masksByDefault else { return nil }
        let renderer = ReconciliationRenderer(report, masking: IdentifierMasking(masked: true))
        return Set(renderer.discrepancyGroups.flatMap { $0.1.prefix(maximumListedPerClass).map(\.payee) })
    }

    /// Writes `report`, showing payees through `masking`.
    public init(_ report: ReconciliationReport, masking: IdentifierMasking) {
        self.report = report
        self.masking = masking
    }

    /// The whole report in `format`, as one string (for small reports and tests).
    public func render(_ format: ReportFormat) -> String {
        var text = ""
        render(format) { text += $0 }
        return text
    }

    /// Writes the report in pieces: the JSON and CSV formats a chunk of lines at a time, so that a report of a
    /// million lines goes to its file without being built whole in memory. Payees are shown as `masking` knows them.
    public func render(_ format: ReportFormat, to write: (String) -> Void) {
        guard format == .json || format == .csv else { return write(whole(format)) }
        var walk = ChunkWalk()
        write(opening(format))
        while let chunk = walk.next(report) { write(lines(chunk, format, masking: masking, written: &walk.written)) }
        write(closing(format))
    }

    /// As `render(_:to:)`; for JSON and CSV, which list every payee, `resolve` is asked for the identities
    /// (pseudonym → 公民身份号码) of each chunk of lines' payees before the chunk is written, on top of `masking`'s own,
    /// so that the whole registry need not be loaded.
    public func render(_ format: ReportFormat, resolving resolve: ([String]) async throws -> [String: String],
                       to write: (String) -> Void) async throws {
        guard format == .json || format == .csv else { return write(whole(format)) }
        var written = 0
        write(opening(format))
        try await forEachChunk(resolving: resolve) { chunk, masking in write(lines(chunk, format, masking: masking, written: &written)) }
        write(closing(format))
    }

    /// Every line, a chunk at a time, with `masking` knowing the chunk's payees: `resolve` is asked for those it
    /// does not know yet before `body` sees the chunk.
    func forEachChunk(resolving resolve: ([String]) async throws -> [String: String],
                      _ body: ([ReconciliationLine], IdentifierMasking) throws -> Void) async throws {
        var walk = ChunkWalk()
        while let chunk = walk.next(report) {
            var chunkMasking = masking
            let unknown = chunk.map(\.payee).filter { masking.identities[$0] == nil }
            if !unknown.isEmpty { chunkMasking.identities.merge(try await resolve(unknown)) { known, _ in known } }
            try body(chunk, chunkMasking)
        }
    }

    /// How many lines are written (and their payees resolved) at a time.
    static let chunkSize = 2_048

    /// A walk of the report's lines a chunk at a time, counting the lines written (JSON's last line has no comma).
    struct ChunkWalk {
        var cursor: LineCursor? = LineCursor()
        var written = 0

        mutating func next(_ report: ReconciliationReport) -> [ReconciliationLine]? {
            guard let start = cursor else { return nil }
            let chunk = report.lines(from: start, limit: ReconciliationRenderer.chunkSize)
            cursor = chunk.next
            return chunk.lines.isEmpty && cursor == nil ? nil : chunk.lines
        }
    }

    /// The people's formats, which show a bounded number of lines, whole.
    func whole(_ format: ReportFormat) -> String {
        switch format {
        case .markdown: markdown
        case .html: html
        default: table
        }
    }

    /// JSON: `CanonicalJSONWriter.pretty(report.json(identify:))` up to its lines; CSV: the header row.
    func opening(_ format: ReportFormat) -> String {
        guard format == .json else { return TextEscaping.csvRecord(ReconciliationRenderer.csvHeaders) }
        var text = "{\n"
        for member in report.header {
            text += "  " + CanonicalJSONWriter.string(.string(member.key)) + ": " + CanonicalJSONWriter.pretty(member.value, indent: 1) + ",\n"
        }
        return text + (report.lineCount > 0 ? "  \"lines\": [\n" : "  \"lines\": []\n}\n")
    }

    func closing(_ format: ReportFormat) -> String {
        format == .json && report.lineCount > 0 ? "  ]\n}\n" : ""
    }

    /// A chunk of lines in JSON (the line's shape is fixed, so no JSON value is built per line) or CSV.
    func lines(_ chunk: [ReconciliationLine], _ format: ReportFormat, masking: IdentifierMasking, written: inout Int) -> String {
        if format == .csv {
            var text = ""
            for line in chunk {
                text += TextEscaping.csvRecord([
                    line.classification.rawValue, line.grant ?? "", line.payments.joined(separator: ";"), masking.show(line.payee),
                    line.due.yuanString, line.paid.yuanString, line.difference.yuanString, line.rule ?? "", line.period?.description ?? "",
                ])
            }
            return text
        }
        var bytes: [UInt8] = []
        for line in chunk {
            written += 1
            ReconciliationRenderer.appendPretty(line, payee: masking.show(line.payee), last: written == report.lineCount, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// One line as `"    " + CanonicalJSONWriter.pretty(report.line(json:), indent: 2)` writes it, with its separator.
    static func appendPretty(_ line: ReconciliationLine, payee: String, last: Bool, to bytes: inout [UInt8]) {
        CanonicalJSONWriter.appendLiteral("    {\n      \"class\": ", to: &bytes)
        CanonicalJSONWriter.appendQuoted(line.classification.rawValue, to: &bytes)
        CanonicalJSONWriter.appendLiteral(",\n      \"grant\": ", to: &bytes)
        if let grant = line.grant { CanonicalJSONWriter.appendQuoted(grant, to: &bytes) } else { CanonicalJSONWriter.appendLiteral("null", to: &bytes) }
        if line.payments.isEmpty {
            CanonicalJSONWriter.appendLiteral(",\n      \"payments\": []", to: &bytes)
        } else {
            CanonicalJSONWriter.appendLiteral(",\n      \"payments\": [\n", to: &bytes)
            for (index, payment) in line.payments.enumerated() {
                CanonicalJSONWriter.appendLiteral("        ", to: &bytes)
                CanonicalJSONWriter.appendQuoted(payment, to: &bytes)
                CanonicalJSONWriter.appendLiteral(index + 1 < line.payments.count ? ",\n" : "\n", to: &bytes)
            }
            CanonicalJSONWriter.appendLiteral("      ]", to: &bytes)
        }
        CanonicalJSONWriter.appendLiteral(",\n      \"payee\": ", to: &bytes)
        CanonicalJSONWriter.appendQuoted(payee, to: &bytes)
        CanonicalJSONWriter.appendLiteral(",\n      \"due\": ", to: &bytes)
        CanonicalJSONWriter.appendQuoted(line.due.yuanString, to: &bytes)
        CanonicalJSONWriter.appendLiteral(",\n      \"paid\": ", to: &bytes)
        CanonicalJSONWriter.appendQuoted(line.paid.yuanString, to: &bytes)
        CanonicalJSONWriter.appendLiteral(",\n      \"difference\": ", to: &bytes)
        CanonicalJSONWriter.appendQuoted(line.difference.yuanString, to: &bytes)
        CanonicalJSONWriter.appendLiteral(last ? "\n    }\n" : "\n    },\n", to: &bytes)
    }

    /// The columns of a listed line: grant, payee, payments, then the amounts due, paid and their difference.
    public static let lineHeaders = ["补贴核定 grant", "收款人 payee", "支付 payments", "应付 due", "实付 paid", "差额 difference"]

    /// Whether the column `index` of `lineHeaders` holds an amount (right-aligned).
    public static func isAmountColumn(_ index: Int) -> Bool { index >= 3 }

    func cells(_ line: ReconciliationLine) -> [String] {
        [line.grant ?? "—", masking.show(line.payee), line.payments.isEmpty ? "—" : line.payments.joined(separator: " "),
         line.due.yuanString, line.paid.yuanString, line.difference.yuanString]
    }

    /// The discrepancies by class, in class order: every class but `matched` that has lines with money out of balance.
    var discrepancyGroups: [(ReconciliationClass, [ReconciliationLine])] {
        var groups: [ReconciliationClass: [ReconciliationLine]] = [:]
        report.forEachLine { line in
            guard line.classification != .matched, line.isDiscrepancy else { return }
            groups[line.classification, default: []].append(line)
        }
        return ReconciliationClass.allCases.compactMap { classification in groups[classification].map { (classification, $0) } }
    }

    var title: String { "对账报告 Reconciliation — \(report.jurisdiction) \(report.month)" }

    /// "本月已结账 closed by …" when the report is the one a close recorded.
    public var closeNote: String? {
        report.closedBy.map { "本月已结账 closed by \($0.eventID) on \($0.closedOn); report as of the close (结账时的台账)" }
    }

    // MARK: table

    var table: String {
        var lines = [title, ""]
        lines.append("合计 Totals: 应付 due \(report.due.yuanString)  实付 paid \(report.paid.yuanString)  差额 difference \(report.difference.yuanString) (paid − due)")
        if let closeNote { lines.append(closeNote) }
        lines.append("报告摘要 report digest: \(report.digest)")
        lines.append("")
        var classes = TextColumns(["类别 class", "笔数 count", "金额 amount"], rightAligned: [1, 2])
        for (classification, total) in report.classes { classes.add([classification.label, String(total.count), total.amount.yuanString]) }
        lines.append(classes.rendered)
        lines.append("")
        let groups = discrepancyGroups
        guard !groups.isEmpty else {
            lines.append("无差异 No discrepancies: every due grant was paid exactly. (\(report.lineCount) lines)")
            return lines.joined(separator: "\n") + "\n"
        }
        lines.append("差异明细 Discrepancies, by class:")
        for (classification, group) in groups {
            let total = report.total(of: classification)
            lines.append("")
            lines.append("\(classification.label) — \(total.count), \(total.amount.yuanString)")
            var rows = TextColumns(ReconciliationRenderer.lineHeaders, rightAligned: [3, 4, 5])
            for line in group.prefix(ReconciliationRenderer.maximumListedPerClass) { rows.add(cells(line)) }
            lines.append(rows.rendered)
            if group.count > ReconciliationRenderer.maximumListedPerClass {
                lines.append("… and \(group.count - ReconciliationRenderer.maximumListedPerClass) more (all lines: --format csv or json)")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    // MARK: csv

    static let csvHeaders = ["class", "grant", "payments", "payee", "due", "paid", "difference", "rule", "period"]

    // MARK: markdown

    var markdown: String {
        var parts = ["# " + title]
        var totals = TextColumns(["应付 due", "实付 paid", "差额 difference"], rightAligned: [0, 1, 2])
        totals.add([report.due.yuanString, report.paid.yuanString, report.difference.yuanString])
        parts.append(totals.markdown)
        var notes = ["Report digest (报告摘要): `\(report.digest)`"]
        if let closeNote { notes.insert(closeNote, at: 0) }
        parts.append(notes.joined(separator: "  \n"))
        var classes = TextColumns(["类别 class", "笔数 count", "金额 amount"], rightAligned: [1, 2])
        for (classification, total) in report.classes { classes.add([classification.label, String(total.count), total.amount.yuanString]) }
        parts.append("## 分类 Classes\n\n" + classes.markdown)
        let groups = discrepancyGroups
        parts.append("## 差异明细 Discrepancies" + (groups.isEmpty ? "\n\n无差异 None: every due grant was paid exactly." : ""))
        for (classification, group) in groups {
            var rows = TextColumns(ReconciliationRenderer.lineHeaders, rightAligned: [3, 4, 5])
            for line in group.prefix(ReconciliationRenderer.maximumListedPerClass) { rows.add(cells(line)) }
            var section = "### \(classification.label) (\(group.count))\n\n" + rows.markdown
            if group.count > ReconciliationRenderer.maximumListedPerClass {
                section += "\n\n… and \(group.count - ReconciliationRenderer.maximumListedPerClass) more (all lines: `--format csv`)"
            }
            parts.append(section)
        }
        return parts.joined(separator: "\n\n") + "\n"
    }
}
