import ArgumentParser
import Ledger
import Reports
import Rules
import SkillsDomain

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Show one worker's history: timeline, certificates by occupation and level, credits (职工档案).")

    @OptionGroup var options: LedgerOptions

    @Argument(help: "The worker's 公民身份号码 (or pseudonym, for an erased person).")
    var id: String

    @Flag(help: "Show the 公民身份号码 in full instead of masked.")
    var unmasked = false

    func run() async throws {
        do {
            let store = try options.open()
            let pseudonym = try store.pseudonym(forInput: id)
            let history = try store.workerHistory(pseudonym: pseudonym)
            guard !history.timeline.isEmpty else {
                Console.note("no events for \(CitizenID.mask(id)) in \(options.ledgerPath)")
                throw ExitCode(1)
            }
            let context = try await RulesContext.load(store)
            let outcome = try await EntitlementEngine.outcome(store, context: context, worker: pseudonym)
            let granted = context.grantedByEntitlement
            let view = WorkerView(history: history, unmasked: unmasked, outcome: outcome, granted: granted.mapValues(\.net),
                                  identities: try store.identities())
            Console.out(options.format == .json ? Console.json(view.json) : view.table)
        } catch { throw Console.fail(error) }
    }
}

/// The worker's history as a table for people or JSON for programs.
struct WorkerView {
    var history: WorkerHistory
    var unmasked: Bool
    var outcome: WorkerOutcome
    /// Entitlement id → net amount granted so far.
    var granted: [String: Money]
    var identities: [String: String]

    var shownID: String {
        guard let id = history.registry?.citizenID else { return history.pseudonym + " (personal data erased)" }
        return unmasked ? id : CitizenID.mask(id)
    }

    var table: String {
        var lines: [String] = []
        let today = history.timeline.map(\.event.occurredOn).max()!
        let attributes = history.attributes(asOf: today)
        lines.append("职工 worker: \(history.registry?.name ?? "—")  \(shownID)")
        lines.append("  jurisdiction \(attributes.text("jurisdiction") ?? "—")  employer \(attributes.text("employer") ?? "—")  insured since \(attributes.month("insured_since")?.description ?? "—")  migrant \(attributes.bool("migrant") == true ? "是" : "否")  frontline \(attributes.bool("frontline") == true ? "是" : "否")")
        lines.append("")
        lines.append("证书 certificates (by occupation, highest level first):")
        var certificates = TextColumns(["occupation", "name", "level", "certificate", "awarded", "status"])
        for certificate in history.certificates {
            certificates.add([certificate.occupation, certificate.name, "\(certificate.level.chineseName) \(certificate.level.rawValue)",
                              certificate.certificate, certificate.awardedOn.description, certificate.inForce ? "in force" : "revoked/reversed"])
        }
        lines.append(history.certificates.isEmpty ? "  none" : certificates.rendered)
        lines.append("")
        lines.append("学分 learning account (学分银行): balance \(outcome.credits.map(\.credits).reduce(Credits.zero, +).text)  (explicit credit.earned \(history.explicitCredits.text), see `credits ID`)")
        lines.append("")
        lines.append("应享补贴 entitlements (all periods):")
        var entitlements = TextColumns(["period", "rule", "amount", "payee", "granted", "explanation"])
        for entitlement in outcome.entitlements {
            entitlements.add([entitlement.period.description, entitlement.rule, entitlement.amount?.yuanString ?? entitlement.designation ?? "—",
                              shown(entitlement.payee), granted[entitlement.id].map { $0.yuanString } ?? "—", entitlement.explanationZH])
        }
        lines.append(outcome.entitlements.isEmpty ? "  none" : entitlements.rendered)
        if !outcome.exclusions.isEmpty {
            lines.append("")
            lines.append("未享受 not paid (limits and exclusive subsidies):")
            for exclusion in outcome.exclusions {
                lines.append("  \(exclusion.date) \(exclusion.rule) [\(exclusion.evidence.joined(separator: ","))] \(exclusion.amount?.yuanString ?? ""): \(exclusion.reasonZH) / \(exclusion.reasonEN)")
            }
        }
        lines.append("")
        lines.append("时间线 timeline:")
        var timeline = TextColumns(["seq", "date", "kind", "id", "details", "recorded", "operator"])
        for stored in history.timeline {
            let event = stored.event
            let status = history.reversedBy[event.id].map { " [reversed by \($0)]" } ?? ""
            timeline.add([String(stored.seq), event.occurredOn.description, "\(event.kind.rawValue) \(event.kind.chineseName)", event.id,
                          summary(event) + status, stored.recordedAt, stored.operatorName])
        }
        lines.append(timeline.rendered)
        return lines.joined(separator: "\n")
    }

    /// A payee as shown: an organisation's code as it is, a person's ID masked unless --unmasked.
    func shown(_ payee: String) -> String {
        guard let id = identities[payee] else { return payee }
        return unmasked ? id : CitizenID.mask(id)
    }

    func summary(_ event: Event) -> String {
        let interesting = ["title", "occupation", "level", "certificate", "hours", "cost", "credits", "scheme", "outcome", "rank", "tier",
                           "rule", "amount", "period", "target", "reason", "payment"]
        let text = event.data.fields.filter { interesting.contains($0.name) }.map { "\($0.name)=\($0.value.plainText)" }.joined(separator: " ")
        return text.count > 80 ? String(text.prefix(79)) + "…" : text
    }

    var json: JSONValue {
        let events: [JSONValue] = history.timeline.map { stored in
            guard case .object(var members) = stored.event.json else { return .null }
            if let index = members.firstIndex(where: { $0.key == "worker" }) { members[index].value = .string(history.registry?.citizenID ?? history.pseudonym) }
            members.append(JSONMember("seq", .number(String(stored.seq))))
            members.append(JSONMember("recorded_at", .string(stored.recordedAt)))
            members.append(JSONMember("operator", .string(stored.operatorName)))
            members.append(JSONMember("reversed_by", history.reversedBy[stored.event.id].map { .string($0) } ?? .null))
            return .object(members)
        }
        let certificates: [JSONValue] = history.certificates.map { certificate in
            .object([JSONMember("occupation", .string(certificate.occupation)), JSONMember("occupation_name", .string(certificate.name)),
                     JSONMember("level", .string(certificate.level.rawValue)), JSONMember("certificate", .string(certificate.certificate)),
                     JSONMember("awarded_on", .string(certificate.awardedOn.description)), JSONMember("event", .string(certificate.eventID)),
                     JSONMember("in_force", .bool(certificate.inForce))])
        }
        return .object([
            JSONMember("worker", .string(history.registry?.citizenID ?? history.pseudonym)),
            JSONMember("name", history.registry?.name.map { .string($0) } ?? .null),
            JSONMember("certificates", .array(certificates)),
            JSONMember("explicit_credits", .string(history.explicitCredits.text)),
            JSONMember("credits_balance", .string(outcome.credits.map(\.credits).reduce(Credits.zero, +).text)),
            JSONMember("entitlements", .array(outcome.entitlements.map { entitlement in
                guard case .object(var members) = EntitlementReport.json(entitlement)(identities) else { return .null }
                members.append(JSONMember("granted", granted[entitlement.id].map { .string($0.yuanString) } ?? .null))
                return .object(members)
            })),
            JSONMember("not_paid", .array(outcome.exclusions.map { exclusion in
                .object([JSONMember("rule", .string(exclusion.rule)), JSONMember("evidence", .array(exclusion.evidence.map { .string($0) })),
                         JSONMember("amount", exclusion.amount.map { .string($0.yuanString) } ?? .null), JSONMember("date", .string(exclusion.date.description)),
                         JSONMember("reason", .string(exclusion.reasonZH + " / " + exclusion.reasonEN))])
            })),
            JSONMember("events", .array(events)),
        ])
    }
}
