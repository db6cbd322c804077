import Ledger
import SkillsDomain

extension WorkerEngine {
    /// One rule on one trigger event: levels, joins, condition, limits, amount. Returns nil when it does not apply
    /// (a limit that stops it is recorded as an exclusion, so the worker sees why).
    mutating func evaluate(_ rule: Rule, pack: PolicyPack, stored: StoredEvent, jurisdiction: JurisdictionCode,
                           records: EventRecords) throws(EvaluationError) -> Candidate? {
        let event = stored.event
        if let levels = rule.levels, let level = event.data.level("level"), !levels.contains(level) { return nil }
        var frame = frame(records.event, worker: records.worker, pack: pack, date: event.occurredOn)
        var evidence = [event.id]
        for join in rule.joins {
            guard let (match, record) = try findJoin(join, frame: frame, before: stored) else { return nil }
            frame.joins.append(record)
            evidence.insert(match.event.id, at: evidence.count - 1)
        }
        if let condition = rule.condition, try condition.evaluate(frame) != .bool(true) { return nil }
        let ruleName = rule.name
        var amount: Money?
        if let expression = rule.amount {
            guard case .money(let value) = try expression.evaluate(frame), value.fen > 0 else { return nil }
            amount = value
        }
        guard let payee = try payee(rule.payee, frame: frame) else { return nil }
        // Outside the window only what limits and exclusive groups read is needed: no id, parameters or explanation.
        let wanted = wanted(event.occurredOn.yearMonth)
        let id = wanted ? Entitlement.makeID(rule: ruleName, payee: payee, evidence: evidence) : ""
        let explained = wanted && explains(id)
        var entitlement = Entitlement(
            id: id, rule: ruleName, policy: pack.id,
            version: pack.version, clause: rule.clause, period: event.occurredOn.yearMonth, payee: payee, worker: worker, amount: amount,
            designation: rule.designationZH.map { "\($0) (\(rule.designationEN ?? $0))" }, evidence: evidence,
            parameters: explained ? parameterValues(rule, pack: pack, frame: frame) : [:], explanationZH: "", explanationEN: "",
            jurisdiction: jurisdiction, date: event.occurredOn)
        if let refusal = try state.refusal(rule, ruleName: ruleName, event: event, frame: frame) {
            outcome.exclusions.append(Exclusion(rule: ruleName, evidence: evidence, amount: amount, reasonZH: refusal.zh, reasonEN: refusal.en, date: event.occurredOn))
            return nil
        }
        if let capExpression = rule.limits.capPerYear, let full = amount, case .money(let cap) = try capExpression.evaluate(frame) {
            let used = state.moneyByYear[RuleYear(rule: ruleName, year: event.occurredOn.year)] ?? .zero
            let room = cap - used
            guard room.fen > 0 else {
                outcome.exclusions.append(Exclusion(rule: ruleName, evidence: evidence, amount: amount,
                    reasonZH: "本年度已达上限 \(cap.yuanString) 元", reasonEN: "the yearly cap of \(cap.yuanString) yuan is reached", date: event.occurredOn))
                return nil
            }
            if room < full { entitlement.amount = room; entitlement.parameters["capped_from"] = full.yuanString }
        }
        if explained { explain(&entitlement, rule: rule, frame: frame) }
        return Candidate(rule: rule, entitlement: entitlement, trigger: event)
    }

    /// The latest earlier (or same-day) event of the join's kind that satisfies its condition, with its record (the
    /// join's slot in the frame, bound while its condition is tried).
    func findJoin(_ join: Join, frame: Frame, before trigger: StoredEvent) throws(EvaluationError) -> (StoredEvent, [Value])? {
        var scoped = frame
        scoped.joins.append([])
        let slot = scoped.joins.count - 1
        for candidate in events.reversed() where candidate.event.kind == join.kind && candidate.seq != trigger.seq {
            guard (candidate.event.occurredOn, candidate.seq) <= (trigger.event.occurredOn, Int64.max) else { continue }
            scoped.joins[slot] = join.layout.record(of: candidate.event)
            if try join.condition.evaluate(scoped) == .bool(true) { return (candidate, scoped.joins[slot]) }
        }
        return nil
    }

    func payee(_ rule: PayeeRule, frame: Frame) throws(EvaluationError) -> String? {
        switch rule {
        case .worker: return worker
        case .employer:
            if case .string(let employer) = frame.worker[WorkerLayout.employer] { return employer }
            return nil
        case .expression(let expression):
            if case .string(let payee) = try expression.evaluate(frame), !payee.isEmpty { return payee }
            return nil
        }
    }

    /// The parameters a rule's expressions read, with the values used (table lookups by the key used); sample values
    /// are marked so.
    func parameterValues(_ rule: Rule, pack: PolicyPack, frame: Frame) -> [String: String] {
        var used: [String: Value] = [:]
        let expressions = [rule.condition, rule.amount, rule.limits.perYear, rule.limits.capPerYear, rule.accrual?.count].compactMap { $0 }
            + rule.joins.map(\.condition)
        for expression in expressions { expression.program.parameters(frame, &used) }
        var result: [String: String] = [:]
        result.reserveCapacity(used.count)
        for (name, value) in used {
            // The parameter read: `cap` of `cap[junior]`. Its name is an identifier of the pack, so the first "[" is
            // the look-up's (found in the bytes: walking Characters was a quarter of this function).
            let base = name.utf8.firstIndex(of: UInt8(ascii: "[")).map { String(name[..<$0]) } ?? name
            result[name] = value.display + (pack.parameters[base]?.sample == true ? " (sample)" : "")
        }
        return result
    }

    func explain(_ entitlement: inout Entitlement, rule: Rule, frame: Frame) {
        let evidence = entitlement.evidence.joined(separator: ", ")
        let sample = entitlement.parameters.values.contains { $0.hasSuffix("(sample)") }
        if let amount = entitlement.amount {
            var computed = rule.amount.map { $0.program.render(frame) } ?? amount.yuanString
            if computed == amount.yuanString, let lookup = entitlement.parameters.keys.sorted().first(where: { $0.contains("[") }) { computed = lookup }
            let capped = entitlement.parameters["capped_from"].map { "，受年度上限限制（原 \($0)）" } ?? ""
            let cappedEN = entitlement.parameters["capped_from"].map { ", reduced to the yearly cap (from \($0))" } ?? ""
            entitlement.explanationZH = "\(rule.titleZH)（\(rule.clause)）：\(computed) = \(amount.yuanString) 元\(capped)，依据 \(evidence)"
            entitlement.explanationEN = "\(rule.titleEN) (\(rule.clause)): \(computed) = \(amount.yuanString) yuan\(cappedEN), evidence \(evidence)"
        } else {
            entitlement.explanationZH = "\(rule.titleZH)（\(rule.clause)）：列入\(rule.designationZH ?? "")，依据 \(evidence)"
            entitlement.explanationEN = "\(rule.titleEN) (\(rule.clause)): designated for the \(rule.designationEN ?? ""), evidence \(evidence)"
        }
        if sample {
            entitlement.explanationZH += "（含示例参数）"
            entitlement.explanationEN += " (uses sample parameters)"
        }
    }

    /// Settles exclusive groups among the candidates for one event (larger wins; on a tie the rule marked
    /// prefer_on_tie), records the winners and explains the losers.
    mutating func settle(_ candidates: [Candidate]) {
        var groups: [String: [Candidate]] = [:]
        var winners: [Candidate] = []
        for candidate in candidates {
            if let group = candidate.rule.exclusiveGroup { groups[group, default: []].append(candidate) } else { winners.append(candidate) }
        }
        for (_, members) in groups.sorted(by: { $0.key < $1.key }) {
            let ordered = members.sorted { a, b in
                let x = a.entitlement.amount ?? .zero, y = b.entitlement.amount ?? .zero
                if x != y { return x > y }
                if a.rule.preferOnTie != b.rule.preferOnTie { return a.rule.preferOnTie }
                return a.entitlement.rule < b.entitlement.rule
            }
            winners.append(ordered[0])
            for loser in ordered.dropFirst() {
                outcome.exclusions.append(Exclusion(
                    rule: loser.entitlement.rule, evidence: loser.entitlement.evidence, amount: loser.entitlement.amount,
                    reasonZH: "与 \(ordered[0].entitlement.rule) 互斥，按较高者 \(ordered[0].entitlement.amount?.yuanString ?? "") 元享受",
                    reasonEN: "exclusive with \(ordered[0].entitlement.rule), which pays the larger amount \(ordered[0].entitlement.amount?.yuanString ?? "")",
                    date: loser.entitlement.date))
            }
        }
        for winner in winners {
            state.record(winner)
            if wanted(winner.entitlement.period) { outcome.entitlements.append(winner.entitlement) }
        }
    }

    /// A monthly accrual (Baiyin apprenticeships): month k completes on the start date plus k months, clamped to the
    /// month's end, and is due in the month it completes; it stops at the event that ends it.
    mutating func accrue(_ stored: StoredEvent, rule: Rule, pack: PolicyPack) throws(EvaluationError) {
        guard let accrual = rule.accrual else { return }
        let start = stored.event.occurredOn
        // The event's record is the same every month: built once, with the worker's record once per month.
        let eventRecord = rule.eventLayout.record(of: stored.event)
        var frame = frame(eventRecord, worker: attributes(on: start), pack: pack, date: start)
        if let condition = rule.condition, try condition.evaluate(frame) != .bool(true) { return }
        guard case .int(let count) = try accrual.count.evaluate(frame), count > 0 else { return }
        let stop = accrual.stopOn.flatMap { kind in
            events.first { $0.event.kind == kind && $0.event.occurredOn >= start && $0.seq != stored.seq }?.event
        }
        let ruleName = rule.name
        for k in 1...min(count, 600) {
            let completes = start.adding(months: Int(k))
            if let stop, completes > stop.occurredOn { break }
            let attributes = timeline.state(on: completes)
            guard let jurisdiction = timeline.jurisdictions[attributes] else { continue }
            let workerRecord = timeline.records[attributes]
            let activePack = policies.inForce(on: completes, for: jurisdiction).first { $0.id == pack.id } ?? pack
            // The rule is the starting version's; the amount uses the parameters of the version in force that month.
            frame = Frame(event: eventRecord, worker: workerRecord, params: activePack.parameterValues(on: completes, laidOutFor: pack), k: .int(k))
            guard case .money(let amount) = try rule.amount!.evaluate(frame), amount.fen > 0,
                  let payee = try payee(rule.payee, frame: frame), wanted(completes.yearMonth) else { continue }
            let id = Entitlement.makeID(rule: ruleName, payee: payee, evidence: [stored.event.id], suffix: "month \(k)")
            let explained = explains(id)
            var entitlement = Entitlement(
                id: id, rule: ruleName,
                policy: activePack.id, version: activePack.version, clause: rule.clause, period: completes.yearMonth, payee: payee,
                worker: worker, amount: amount, designation: nil, evidence: [stored.event.id],
                parameters: explained ? parameterValues(rule, pack: activePack, frame: frame) : [:], explanationZH: "", explanationEN: "",
                jurisdiction: jurisdiction, date: completes)
            if explained {
                explain(&entitlement, rule: rule, frame: frame)
                entitlement.explanationZH += "；第 \(k) 个月于 \(completes) 届满"
                entitlement.explanationEN += "; month \(k) completed on \(completes)"
            }
            outcome.entitlements.append(entitlement)
        }
    }
}

/// What a worker has been entitled to so far, for the limits that span their history. Keyed by small structs rather
/// than strings joined with "|": nothing is formatted to look a limit up.
struct LimitState {
    var oncePerKeys: Set<OnceKey> = []
    var highestLevel: [RuleText: SkillLevel] = [:]
    var countByYear: [RuleYear: Int] = [:]
    var lifetime: Set<String> = []
    var moneyByYear: [RuleYear: Money] = [:]

    /// A rule and the values of its `once_per` fields on one event.
    struct OnceKey: Hashable {
        var rule: String
        var values: [String]
    }

    func onceKey(_ rule: Rule, _ ruleName: String, _ event: Event) -> OnceKey {
        OnceKey(rule: ruleName, values: rule.limits.oncePer.map { event.data[$0]?.plainText ?? RecordLayout.common.firstIndex(of: $0).map { RecordLayout.envelope(of: event)[$0].display } ?? "" })
    }

    /// Why a limit stops the rule for this event, if one does.
    func refusal(_ rule: Rule, ruleName: String, event: Event, frame: Frame) throws(EvaluationError) -> (zh: String, en: String)? {
        let limits = rule.limits
        if limits.oncePerLifetime && lifetime.contains(ruleName) {
            return ("终身限享一次，已享受", "once in a lifetime, already granted")
        }
        if !limits.oncePer.isEmpty && oncePerKeys.contains(onceKey(rule, ruleName, event)) {
            return ("同一\(limits.oncePer.joined(separator: "、"))限享一次，已享受", "once per \(limits.oncePer.joined(separator: " and ")), already granted")
        }
        if limits.noLowerLevel, let level = event.data.level("level"), let occupation = event.data.text("occupation"),
           let highest = highestLevel[RuleText(rule: ruleName, text: occupation)], highest > level {
            return ("已享受更高等级（\(highest.chineseName)）补贴，不再享受较低等级", "a higher level (\(highest.rawValue)) was already granted in this occupation")
        }
        if let perYear = limits.perYear, case .int(let maximum) = try perYear.evaluate(frame),
           (countByYear[RuleYear(rule: ruleName, year: event.occurredOn.year)] ?? 0) >= maximum {
            return ("\(event.occurredOn.year) 年已享受 \(maximum) 次，达到年度上限", "\(maximum) already granted in \(event.occurredOn.year), the yearly limit")
        }
        return nil
    }

    mutating func record(_ winner: Candidate) {
        let rule = winner.rule, name = winner.entitlement.rule
        let event = winner.entitlement
        lifetime.insert(name)
        let year = RuleYear(rule: name, year: event.date.year)
        countByYear[year, default: 0] += 1
        if let amount = event.amount { moneyByYear[year, default: .zero] += amount }
        recordKeys(rule, name, winner.trigger)
    }

    mutating func recordKeys(_ rule: Rule, _ ruleName: String, _ trigger: Event) {
        if !rule.limits.oncePer.isEmpty { oncePerKeys.insert(onceKey(rule, ruleName, trigger)) }
        if let level = trigger.data.level("level"), let occupation = trigger.data.text("occupation") {
            let key = RuleText(rule: ruleName, text: occupation)
            if highestLevel[key].map({ level > $0 }) ?? true { highestLevel[key] = level }
        }
    }
}

/// A rule and a calendar year (yearly counts and caps).
struct RuleYear: Hashable {
    var rule: String
    var year: Int
}

/// A rule and a text (the occupation whose highest level was granted).
struct RuleText: Hashable {
    var rule: String
    var text: String
}
