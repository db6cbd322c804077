import Rules
import SkillsDomain

/// What `grant` recorded for a jurisdiction and month: counts and totals, and (in JSON) every grant id (grants,
/// clawbacks, then settlement adjustments), written in chunks rather than built as a tree of a million strings.
public struct GrantReport: Report, Sendable {
    /// The jurisdiction granted.
    public var jurisdiction: JurisdictionCode
    /// The month granted.
    public var month: Month
    /// What the run recorded.
    public var result: Granting.Result

    /// The report of `result`.
    public init(jurisdiction: JurisdictionCode, month: Month, result: Granting.Result) {
        self.jurisdiction = jurisdiction
        self.month = month
        self.result = result
    }

    public var formats: Set<ReportFormat> { [.table, .json] }

    public func write(_ format: ReportFormat, to emit: (String) -> Void) {
        guard effectiveFormat(format) == .json else { return emit(table + "\n") }
        writeJSON(emit)
    }

    /// One line: granted, clawbacks, already granted, lapsed, settlement adjustments (补发 / 追回, their signed sum), and
    /// held back by reason when any is (the list is in JSON).
    public var table: String {
        "\(jurisdiction) \(month): granted \(result.granted.count) (\(result.grantedTotal.yuanString) 元), clawbacks \(result.clawbacks.count) (\(result.clawbackTotal.yuanString) 元), already granted \(result.alreadyGranted), lapsed \(result.lapsed), adjustments \(result.adjustments.count) (\(result.adjustmentTotal.yuanString) 元)"
            + (result.held.isEmpty ? "" : ", held back \(result.held.count) (" + heldCounts + ")")
            + "\n" + scopeLine
    }

    /// Which workers were computed: `computed 40 workers (everyone: no earlier grant of 620400)`, or for a run that
    /// computed only those whose outcome can have changed, which they were and that the counts cover them only.
    var scopeLine: String {
        if result.scope.workers == nil { return "computed \(result.computed) workers (everyone: \(result.scope.reason))" }
        return "computed \(result.computed) workers: \(result.scope.reason); already granted, lapsed and held back count these only"
    }

    /// `no-notice 1, notice-running 2`: the holds by reason.
    var heldCounts: String {
        let reasons: [NoticeBook.Hold.Reason] = [.noNotice, .noticeRunning, .objectionOpen]
        return reasons.compactMap { reason in
            let count = result.held.count { $0.reason == reason }
            return count == 0 ? nil : "\(reason.rawValue) \(count)"
        }.joined(separator: ", ")
    }

    /// `"held_back"`: each entitlement not granted because of a public notice or an open objection.
    var heldJSON: String {
        guard !result.held.isEmpty else { return "[]" }
        let items = result.held.map { hold in
            "    " + CanonicalJSONWriter.string(.object([
                JSONMember("entitlement", .string(hold.entitlement)), JSONMember("reason", .string(hold.reason.rawValue)),
                JSONMember("until", hold.until.map { .string($0.description) } ?? .null),
                JSONMember("objections", .array(hold.objections.map { .string($0) })), JSONMember("explanation", .string(hold.explanation)),
            ]))
        }
        return "[\n" + items.joined(separator: ",\n") + "\n  ]"
    }

    /// The counts as pretty JSON, then `"grants"`: the ids, a chunk of about 64 KiB at a time.
    func writeJSON(_ emit: (String) -> Void) {
        let head = CanonicalJSONWriter.pretty(.object([
            JSONMember("jurisdiction", .string(jurisdiction.value)), JSONMember("month", .string(month.description)),
            JSONMember("granted", .number(String(result.granted.count))), JSONMember("granted_total", .string(result.grantedTotal.yuanString)),
            JSONMember("clawbacks", .number(String(result.clawbacks.count))), JSONMember("clawback_total", .string(result.clawbackTotal.yuanString)),
            JSONMember("already_granted", .number(String(result.alreadyGranted))), JSONMember("lapsed", .number(String(result.lapsed))),
            JSONMember("adjustments", .number(String(result.adjustments.count))),
            JSONMember("adjustment_total", .string(result.adjustmentTotal.yuanString)),
            JSONMember("computed_workers", .number(String(result.computed))),
            JSONMember("scope", .string(result.scope.workers == nil ? "everyone" : "changed")),
            JSONMember("scope_reason", .string(result.scope.reason)),
        ]))
        // The head without its closing "\n}", continued with the list.
        var chunk = String(head.dropLast(2)) + ",\n  \"grants\": "
        let total = result.granted.count + result.clawbacks.count + result.adjustments.count
        let held = ",\n  \"held_back\": " + heldJSON + "\n}\n"
        if total == 0 { return emit(chunk + "[]" + held) }
        chunk += "[\n"
        var index = 0
        func element(_ id: String) {
            index += 1
            chunk += "    " + CanonicalJSONWriter.string(.string(id)) + (index < total ? ",\n" : "\n")
            if chunk.utf8.count > 65_536 { emit(chunk); chunk = "" }
        }
        for id in result.granted { element(id) }
        for clawback in result.clawbacks { element(clawback.id) }
        for id in result.adjustments { element(id) }
        emit(chunk + "  ]" + held)
    }
}
