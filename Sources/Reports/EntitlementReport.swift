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

    /// The report of `entitlements` for `jurisdiction` and `month`.
    public init(jurisdiction: String, month: Month, entitlements: [Entitlement], identities: [String: String]) {
        self.jurisdiction = jurisdiction
        self.month = month
        self.entitlements = entitlements
        self.identities = identities
    }

    /// The sum of the amounts (designations have none).
    public var total: Money { entitlements.compactMap(\.amount).sum() }

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
            JSONMember("entitlements", .array(entitlements.map { Self.json($0)(identities) })),
            JSONMember("total", .string(total.yuanString)),
        ])
    }

    /// The text of `CanonicalJSONWriter.pretty(json)` and a newline, handed to `emit` in chunks of about 64 KiB as each
    /// entitlement is written, so that neither the tree of every entitlement nor the whole text is ever held.
    public func writeJSON(_ emit: ([UInt8]) -> Void) {
        var writer = CanonicalJSONWriter(capacity: 70_000)
        writer.append("{\n  \"jurisdiction\": ")
        writer.writeString(jurisdiction)
        writer.append(",\n  \"month\": ")
        writer.writeString(month.description)
        writer.append(",\n  \"entitlements\": ")
        if entitlements.isEmpty { writer.append("[]") } else {
            writer.append("[\n")
            for (index, entitlement) in entitlements.enumerated() {
                writer.append("    ")
                writer.writePretty(Self.json(entitlement)(identities), indent: 2)
                writer.append(index + 1 < entitlements.count ? ",\n" : "\n")
                if writer.bytes.count > 65_536 {
                    emit(writer.bytes)
                    writer = CanonicalJSONWriter(capacity: 70_000)
                }
            }
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

    /// For people: a line per entitlement, IDs masked, the Chinese explanation.
    public var table: String {
        let masking = IdentifierMasking(identities: identities, masked: true)
        var columns = TextColumns(["payee", "worker", "rule", "amount", "evidence", "explanation"], rightAligned: [3])
        for entitlement in entitlements {
            columns.add([masking.show(entitlement.payee), masking.show(entitlement.worker), entitlement.rule,
                         entitlement.amount?.yuanString ?? (entitlement.designation ?? "designation"), entitlement.evidence.joined(separator: ","),
                         entitlement.explanationZH])
        }
        let header = "应享补贴 entitlements — \(jurisdiction) \(month): \(entitlements.count) 项, 合计 total \(total.yuanString) 元"
        return entitlements.isEmpty ? header : header + "\n" + columns.rendered
    }

    /// One record per entitlement with real identifiers, for spreadsheets.
    public var csv: String {
        var lines = [TextEscaping.csvRecord(["id", "rule", "policy", "version", "period", "payee", "worker", "amount", "evidence", "explanation"])]
        for entitlement in entitlements {
            lines.append(TextEscaping.csvRecord([
                entitlement.id, entitlement.rule, entitlement.policy, entitlement.version, entitlement.period.description,
                real(entitlement.payee), real(entitlement.worker), entitlement.amount?.yuanString ?? "", entitlement.evidence.joined(separator: ";"),
                entitlement.explanation,
            ]))
        }
        return lines.joined(separator: "\n")
    }
}
