import Rules
import SkillsDomain

/// Renders a month's entitlements (`entitlements`): a table for people (IDs masked), JSON in SPEC.md's shape, or CSV.
public struct EntitlementReport: Report, Sendable {
    /// The jurisdiction asked for.
    public var jurisdiction: String
    /// The month asked for.
    public var month: Month
    /// The month's entitlements, in the engine's order.
    public var entitlements: [Entitlement]
    /// Pseudonym → 公民身份号码 of the payees and workers listed.
    public var identities: [String: String]
    /// The settlement adjustments (补发 / 追回) the next grant of the month would record, listed after the
    /// entitlements as lines of their own: the signed difference as the amount, `adjusts` set.
    public var adjustments: [Settlement.Adjustment]

    /// The report of `entitlements` (and pending `adjustments`) for `jurisdiction` and `month`.
    public init(jurisdiction: String, month: Month, entitlements: [Entitlement], identities: [String: String],
                adjustments: [Settlement.Adjustment] = []) {
        self.jurisdiction = jurisdiction
        self.month = month
        self.entitlements = entitlements
        self.identities = identities
        self.adjustments = adjustments
    }

    /// The sum of the amounts (designations have none), adjustments included with their sign.
    public var total: Money { entitlements.compactMap(\.amount).sum() + adjustments.map(\.difference).sum() }

    /// An adjustment as a line: the entitlement it settles, with the signed difference and the settlement's explanation.
    static func line(_ adjustment: Settlement.Adjustment) -> Entitlement {
        var line = adjustment.entitlement
        line.amount = adjustment.difference
        (line.explanationZH, line.explanationEN) = (adjustment.explanationZH, adjustment.explanationEN)
        return line
    }

    public var formats: Set<ReportFormat> { [.table, .json, .csv, .xlsx] }

    public func write(_ format: ReportFormat, to emit: (String) -> Void) {
        switch effectiveFormat(format) {
        case .json: writeJSON { emit(String(decoding: $0, as: UTF8.self)) }
        case .csv: emit(csv + "\n")
        default: emit(table + "\n")
        }
    }

    func real(_ party: String) -> String { identities[party] ?? party }

    /// `{"jurisdiction", "month", "entitlements": [...], "total"}` with real identifiers and yuan strings.
    public var json: JSONValue {
        .object([
            JSONMember("jurisdiction", .string(jurisdiction)), JSONMember("month", .string(month.description)),
            JSONMember("entitlements", .array(entitlements.map { Self.json($0)(identities) } + adjustments.map { Self.json($0)(identities) })),
            JSONMember("total", .string(total.yuanString)),
        ])
    }

    /// The text of `CanonicalJSONWriter.pretty(json)` and a newline, handed to `emit` in blocks of entitlements as
    /// they are written, so that neither the tree of every entitlement nor the whole text is ever held. The
    /// entitlements are written on every core (`ConcurrentText`), in their order.
    public func writeJSON(_ emit: ([UInt8]) -> Void) {
        var writer = CanonicalJSONWriter(capacity: 256)
        writer.append("{\n  \"jurisdiction\": ")
        writer.writeString(jurisdiction)
        writer.append(",\n  \"month\": ")
        writer.writeString(month.description)
        writer.append(",\n  \"entitlements\": ")
        let count = entitlements.count + adjustments.count
        if count == 0 { writer.append("[]") } else {
            writer.append("[\n")
            emit(writer.bytes)
            let (entitlements, adjustments, identities) = (entitlements, adjustments, identities)
            ConcurrentText.render(count: count, { index, writer in
                let value = index < entitlements.count ? Self.json(entitlements[index]) : Self.json(adjustments[index - entitlements.count])
                writer.append("    ")
                writer.writePretty(value(identities), indent: 2)
                writer.append(index + 1 < count ? ",\n" : "\n")
            }, emit: emit)
            writer = CanonicalJSONWriter(capacity: 256)
            writer.append("  ]")
        }
        writer.append(",\n  \"total\": ")
        writer.writeString(total.yuanString)
        writer.append("\n}\n")
        emit(writer.bytes)
    }

    /// One entitlement in SPEC.md's shape, with the version, clause and parameters used beside it.
    public static func json(_ entitlement: Entitlement) -> ([String: String]) -> JSONValue {
        { identities in
            .object([
                JSONMember("id", .string(entitlement.id)), JSONMember("rule", .string(entitlement.rule)),
                JSONMember("policy", .string(entitlement.policy)), JSONMember("version", .string(entitlement.version)),
                JSONMember("clause", .string(entitlement.clause)), JSONMember("period", .string(entitlement.period.description)),
                JSONMember("payee", .string(identities[entitlement.payee] ?? entitlement.payee)),
                JSONMember("worker", .string(identities[entitlement.worker] ?? entitlement.worker)),
                JSONMember("amount", entitlement.amount.map { .string($0.yuanString) } ?? .null),
                JSONMember("designation", entitlement.designation.map { .string($0) } ?? .null),
                JSONMember("evidence", .array(entitlement.evidence.map { .string($0) })),
                JSONMember("parameters", .object(entitlement.parameters.keys.sorted().map { JSONMember($0, .string(entitlement.parameters[$0]!)) })),
                JSONMember("explanation", .string(entitlement.explanation)),
            ])
        }
    }

    /// A pending adjustment in the same shape, with `adjusts` (the grant it settles), `granted` and `due` added.
    public static func json(_ adjustment: Settlement.Adjustment) -> ([String: String]) -> JSONValue {
        { identities in
            guard case .object(var members) = json(line(adjustment))(identities) else { return .null }
            members += [JSONMember("adjusts", .string(adjustment.adjusts)), JSONMember("granted", .string(adjustment.granted.yuanString)),
                        JSONMember("due", .string(adjustment.due.yuanString))]
            return .object(members)
        }
    }

    /// For people: a line per entitlement, IDs masked, the Chinese explanation.
    public var table: String {
        let masking = IdentifierMasking(identities: identities, masked: true)
        var columns = TextColumns(["payee", "worker", "rule", "amount", "evidence", "explanation"], rightAligned: [3])
        for entitlement in entitlements + adjustments.map(Self.line) {
            columns.add([masking.show(entitlement.payee), masking.show(entitlement.worker), entitlement.rule,
                         entitlement.amount?.yuanString ?? (entitlement.designation ?? "designation"), entitlement.evidence.joined(separator: ","),
                         entitlement.explanationZH])
        }
        var header = "应享补贴 entitlements — \(jurisdiction) \(month): \(entitlements.count) 项, 合计 total \(total.yuanString) 元"
        if !adjustments.isEmpty {
            header += ", 其中补发/追回 adjustments \(adjustments.count) 项 \(adjustments.map(\.difference).sum().yuanString) 元"
        }
        return entitlements.isEmpty && adjustments.isEmpty ? header : header + "\n" + columns.rendered
    }

    /// One record per entitlement with real identifiers, for spreadsheets.
    public var csv: String {
        var lines = [TextEscaping.csvRecord(["id", "rule", "policy", "version", "period", "payee", "worker", "amount", "evidence", "explanation"]
            + (adjustments.isEmpty ? [] : ["adjusts"]))]
        let adjusts = [String](repeating: "", count: entitlements.count) + adjustments.map(\.adjusts)
        for (entitlement, adjusted) in zip(entitlements + adjustments.map(Self.line), adjusts) {
            lines.append(TextEscaping.csvRecord([
                entitlement.id, entitlement.rule, entitlement.policy, entitlement.version, entitlement.period.description,
                real(entitlement.payee), real(entitlement.worker), entitlement.amount?.yuanString ?? "", entitlement.evidence.joined(separator: ";"),
                entitlement.explanation,
            ] + (adjustments.isEmpty ? [] : [adjusted])))
        }
        return lines.joined(separator: "\n")
    }
}
