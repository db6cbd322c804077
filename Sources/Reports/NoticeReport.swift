import Crypto
import Foundation
import SkillsDomain

/// A public notice (公示) of a month's subsidy list (`notice`): who is listed, for what and how much, the period, and
/// how to object. Names and 公民身份号码 are masked in every format, because the list is posted publicly.
///
/// ```swift
/// let report = NoticeReport(jurisdiction: "510107", month: month, from: from, until: until, days: 5, entries: entries)
/// print(report.rendered(.html))   // print-ready on A4
/// ```
public struct NoticeReport: Report, Sendable {
    /// One line of the list, already masked.
    public struct Entry: Sendable, Equatable {
        /// The entitlement id, which an objection quotes.
        public var entitlement: String
        /// The name masked (`张*`); empty when the registry no longer holds it (erased).
        public var name: String
        /// The 公民身份号码 masked to its first 6 and last 4 digits (or the pseudonym of an erased person).
        public var worker: String
        /// An organisation's 统一社会信用代码 in full, or the worker's masked 公民身份号码.
        public var payee: String
        /// The rule's title in Chinese (补贴项目).
        public var item: String
        /// Nil for a designation (e.g. the talent pool), which pays nothing.
        public var amount: Money?

        /// An entry from its parts.
        public init(entitlement: String, name: String, worker: String, payee: String, item: String, amount: Money?) {
            (self.entitlement, self.name, self.worker, self.payee, self.item, self.amount) = (entitlement, name, worker, payee, item, amount)
        }
    }

    /// The GB/T 2260 code of the jurisdiction whose list is posted.
    public var jurisdiction: String
    /// The month of the entitlements listed.
    public var month: Month
    /// The notice's first day.
    public var from: LocalDate
    /// The notice's last working day: objections are taken up to and including it.
    public var until: LocalDate
    /// Working days the notice runs.
    public var days: Int
    /// The lines of the list, masked, in the order given.
    public var entries: [Entry]
    /// The `notice.published` event that records it.
    public var noticeID: String
    /// Whether this run recorded the event (false: the same notice was already recorded).
    public var recorded: Bool

    /// The report of a notice.
    public init(jurisdiction: String, month: Month, from: LocalDate, until: LocalDate, days: Int, entries: [Entry],
                noticeID: String = "", recorded: Bool = true) {
        (self.jurisdiction, self.month, self.from, self.until, self.days) = (jurisdiction, month, from, until, days)
        (self.entries, self.noticeID, self.recorded) = (entries, noticeID, recorded)
    }

    /// The sum of the amounts listed.
    public var total: Money { entries.compactMap(\.amount).sum() }

    /// How to object, in Chinese: in writing, under one's own name, to the jurisdiction's bureau by `until`.
    public var howToObjectZH: String {
        "公示期内对名单有异议的，请于 \(until) 前（含当日）以实名书面形式向 \(jurisdiction) 人力资源和社会保障部门提出，注明公示编号。"
    }
    /// How to object, in English.
    public var howToObjectEN: String {
        "Objections: in writing and under your own name to the human resources and social security bureau of \(jurisdiction) by \(until) (inclusive), quoting the entitlement id."
    }

    public var formats: Set<ReportFormat> { [.table, .json, .csv, .html, .xlsx] }

    public func write(_ format: ReportFormat, to emit: (String) -> Void) {
        switch effectiveFormat(format) {
        case .json: emit(prettyLine(json))
        case .csv: emit(csv)
        case .html: emit(html)
        default: emit(table + "\n")
        }
    }

    /// SPEC.md's shape: `{"jurisdiction","month","from","until","days","entries":[…],"total"}`, masked.
    public var list: JSONValue {
        .object([
            JSONMember("jurisdiction", .string(jurisdiction)), JSONMember("month", .string(month.description)),
            JSONMember("from", .string(from.description)), JSONMember("until", .string(until.description)),
            JSONMember("days", .number(String(days))),
            JSONMember("entries", .array(entries.map { entry in
                .object([
                    JSONMember("entitlement", .string(entry.entitlement)), JSONMember("name", .string(entry.name)),
                    JSONMember("worker", .string(entry.worker)), JSONMember("payee", .string(entry.payee)),
                    JSONMember("item", .string(entry.item)), JSONMember("amount", entry.amount.map { .string($0.yuanString) } ?? .null),
                ])
            })),
            JSONMember("total", .string(total.yuanString)),
        ])
    }

    /// SHA-256 (hex) of the list's canonical JSON: what `notice.published` records, so that a posted list can be
    /// checked against the ledger.
    public var digest: String { Hex.string(SHA256.hash(data: Data(CanonicalJSONWriter.encode(list)))) }

    /// The list, then `notice` (the event id) and `digest` (of the list without these two members).
    public var json: JSONValue {
        guard case .object(var members) = list else { return list }
        members.append(JSONMember("notice", .string(noticeID)))
        members.append(JSONMember("digest", .string(digest)))
        return .object(members)
    }

    var amountText: (Entry) -> String { { $0.amount?.yuanString ?? "—" } }

    /// For people: the period, how to object, the list and the total.
    public var table: String {
        var columns = TextColumns(["公示编号 entitlement", "姓名 name", "身份证号 ID", "收款方 payee", "项目 item", "金额 amount"], rightAligned: [5])
        for entry in entries { columns.add([entry.entitlement, entry.name, entry.worker, entry.payee, entry.item, amountText(entry)]) }
        return [
            "公示 public notice — \(jurisdiction) \(month): \(entries.count) 项, 合计 total \(total.yuanString) 元",
            "公示期 period: \(from) – \(until) (\(days) 个工作日 working days)\(recorded ? "" : "; already recorded") \(noticeID)",
            howToObjectZH, howToObjectEN, "", columns.rendered,
        ].joined(separator: "\n")
    }

    /// One record per entry (masked, as posted), CRLF line ends.
    public var csv: String {
        var text = TextEscaping.csvRecord(["entitlement", "name", "worker", "payee", "item", "amount"])
        for entry in entries {
            text += TextEscaping.csvRecord([entry.entitlement, entry.name, entry.worker, entry.payee, entry.item, entry.amount?.yuanString ?? ""])
        }
        return text
    }
}

/// What `object` or `resolve` recorded: the event, the entitlement, the objection's state and a line for people.
public struct NoticeAction: Report, Sendable, Equatable {
    /// The `objection.filed` or `objection.resolved` event recorded.
    public var event: String
    /// The entitlement the objection is about.
    public var entitlement: String
    /// `open`, `upheld` or `dismissed`.
    public var outcome: String
    /// One line, Chinese then English.
    public var summary: String

    /// An action's report.
    public init(event: String, entitlement: String, outcome: String, summary: String) {
        (self.event, self.entitlement, self.outcome, self.summary) = (event, entitlement, outcome, summary)
    }

    public var formats: Set<ReportFormat> { [.table, .json] }

    public func write(_ format: ReportFormat, to emit: (String) -> Void) {
        guard effectiveFormat(format) == .json else { return emit("recorded \(event): \(summary)\n") }
        emit(prettyLine(.object([JSONMember("event", .string(event)), JSONMember("entitlement", .string(entitlement)),
                                 JSONMember("outcome", .string(outcome))])))
    }
}
