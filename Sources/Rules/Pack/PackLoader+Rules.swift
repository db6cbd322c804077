import SkillsDomain

extension PackLoader {
    mutating func rules(_ node: PackNode, environment base: TypeEnvironment, policy: String) -> [Rule] {
        guard case .sequence(let items, _) = node else { fail(node.position, "rules must be a list (- items)"); return [] }
        var result: [Rule] = []
        for item in items {
            guard let map = mapping(item, allowed: PackLoader.ruleKeys, what: "a rule") else { continue }
            if let rule = rule(map, at: item.position, environment: base, policy: policy) {
                if result.contains(where: { $0.id == rule.id }) { fail(item.position, "two rules are named \(rule.id)") }
                result.append(rule)
            }
        }
        return result
    }

    mutating func trigger(_ map: [String: (PackNode, SourcePosition)], at position: SourcePosition, what: String) -> EventKind? {
        guard let (text, node) = scalar(map, "on", in: what, at: position) else { return nil }
        guard let kind = EventKind(rawValue: text) else {
            fail(node.position, "unknown event kind \"\(text)\"; expected one of: \(EventKind.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return kind
    }

    mutating func rule(_ map: [String: (PackNode, SourcePosition)], at position: SourcePosition, environment base: TypeEnvironment,
                       policy: String) -> Rule? {
        let id = scalar(map, "id", in: "a rule", at: position)?.0 ?? ""
        let what = "rule \(id)"
        guard let kind = trigger(map, at: position, what: what) else { return nil }
        var environment = base
        environment.declare(kind)
        environment.names["event"] = .record(TypeEnvironment.recordName(kind))
        let joins = map["requires"].map { self.joins($0.0, environment: &environment) } ?? []
        var titleZH = id, titleEN = id
        if let (node, _) = map["title"] { (titleZH, titleEN) = bilingual(node, what: "\(what) title") }
        let clause = scalar(map, "clause", in: what, at: position)?.0 ?? ""
        var levels: Set<SkillLevel>?
        if let (node, _) = map["levels"] { levels = levelList(node) }
        let condition = map["when"].flatMap { compile($0.0, environment, expecting: [.bool], what: "\(what) when") }
        var accrual: Accrual?
        if let (node, accruePosition) = map["accrue"], let accrue = mapping(node, allowed: ["every", "count", "stop_on"], what: "accrue") {
            var accrualEnvironment = environment
            accrualEnvironment.names["k"] = .int
            if let (every, everyNode) = scalar(accrue, "every", in: "accrue", at: accruePosition), every != "month" {
                fail(everyNode.position, "accrue every: only \"month\" is supported")
            }
            let stopOn = scalar(accrue, "stop_on", in: "accrue", at: accruePosition, required: false).flatMap { text, node -> EventKind? in
                guard let kind = EventKind(rawValue: text) else { fail(node.position, "unknown event kind \"\(text)\""); return nil }
                return kind
            }
            if let (countNode, _) = accrue["count"], let count = compile(countNode, accrualEnvironment, expecting: [.int], what: "accrue count") {
                accrual = Accrual(count: count, stopOn: stopOn)
            } else if accrue["count"] == nil {
                fail(accruePosition, "accrue needs \"count\": how many months at most")
            }
            environment = accrualEnvironment
        }
        let amount = map["amount"].flatMap { compile($0.0, environment, expecting: [.money], what: "\(what) amount") }
        var designationZH: String?, designationEN: String?
        if let (node, _) = map["designation"] { (designationZH, designationEN) = bilingual(node, what: "\(what) designation") }
        if amount == nil && designationZH == nil && map["amount"] == nil {
            fail(position, "\(what) needs \"amount\" (money) or \"designation\" (a status with no amount)")
        }
        let payee = payeeRule(map["payee"]?.0, environment: environment, what: what)
        let limits = map["limits"].map { self.limits($0.0, environment: environment, trigger: kind, what: what) } ?? Limits()
        let exclusive = scalar(map, "exclusive", in: what, at: position, required: false)?.0
        let preferOnTie = scalar(map, "prefer_on_tie", in: what, at: position, required: false)?.0 == "true"
        var stacksWith: [String] = []
        if let (node, _) = map["stacks_with"], case .sequence(let items, _) = node {
            stacksWith = items.compactMap { if case .scalar(let text, _, _, _) = $0 { text } else { nil } }
        }
        return Rule(id: id, policy: policy, titleZH: titleZH, titleEN: titleEN, clause: clause, trigger: kind, levels: levels, joins: joins,
                    condition: condition, amount: amount, designationZH: designationZH, designationEN: designationEN, payee: payee,
                    limits: limits, accrual: accrual, exclusiveGroup: exclusive, preferOnTie: preferOnTie, stacksWith: stacksWith,
                    position: position)
    }

    mutating func bilingual(_ node: PackNode, what: String) -> (String, String) {
        switch node {
        case .scalar(let text, _, _, _): return (text, text)
        case .mapping:
            let map = mapping(node, allowed: ["zh", "en"], what: what) ?? [:]
            let zh = scalar(map, "zh", in: what, at: node.position)?.0 ?? ""
            let en = scalar(map, "en", in: what, at: node.position)?.0 ?? zh
            return (zh, en)
        case .sequence:
            fail(node.position, "\(what) must be text or {zh, en}")
            return ("", "")
        }
    }

    mutating func levelList(_ node: PackNode) -> Set<SkillLevel>? {
        guard case .sequence(let items, _) = node else { fail(node.position, "levels must be a list of skill levels"); return nil }
        var result: Set<SkillLevel> = []
        for item in items {
            guard case .scalar(let text, let position, _, _) = item, let level = try? SkillLevel(parsing: text) else {
                fail(item.position, "expected a skill level (junior … chief-technician)")
                continue
            }
            _ = position
            result.insert(level)
        }
        return result
    }

    mutating func joins(_ node: PackNode, environment: inout TypeEnvironment) -> [Join] {
        guard case .mapping(let pairs, _) = node else { fail(node.position, "requires must be a mapping of name: {on, where}"); return [] }
        var result: [Join] = []
        for pair in pairs {
            guard !["event", "worker", "params", "k"].contains(pair.key) else {
                fail(pair.keyPosition, "\"\(pair.key)\" is a reserved name")
                continue
            }
            guard let map = mapping(pair.value, allowed: ["on", "where"], what: "requires.\(pair.key)"),
                  let kind = trigger(map, at: pair.keyPosition, what: "requires.\(pair.key)") else { continue }
            environment.declare(kind)
            environment.names[pair.key] = .record(TypeEnvironment.recordName(kind))
            environment.joins.append(pair.key)
            guard let (whereNode, _) = map["where"] else { fail(pair.keyPosition, "requires.\(pair.key) needs \"where\""); continue }
            if let condition = compile(whereNode, environment, expecting: [.bool], what: "requires.\(pair.key) where") {
                result.append(Join(name: pair.key, kind: kind, condition: condition, layout: RecordLayout.of(kind)))
            }
        }
        return result
    }

    mutating func payeeRule(_ node: PackNode?, environment: TypeEnvironment, what: String) -> PayeeRule {
        guard let node else { return .worker }
        guard case .scalar(let text, _, _, _) = node else { fail(node.position, "payee must be worker, employer or an expression"); return .worker }
        if text == "worker" { return .worker }
        if text == "employer" { return .employer }
        return compile(node, environment, expecting: [.string], what: "\(what) payee").map { .expression($0) } ?? .worker
    }

    mutating func limits(_ node: PackNode, environment: TypeEnvironment, trigger: EventKind, what: String) -> Limits {
        var limits = Limits()
        guard let map = mapping(node, allowed: ["once_per", "no_lower_level", "per_year", "once_per_lifetime", "cap_per_year"], what: "limits") else {
            return limits
        }
        if let (node, _) = map["once_per"] {
            guard case .sequence(let items, _) = node else { fail(node.position, "once_per must be a list of fields of the trigger event"); return limits }
            let fields = environment.records[TypeEnvironment.recordName(trigger)] ?? [:]
            for item in items {
                guard case .scalar(let text, let position, _, _) = item, fields[text] != nil else {
                    fail(item.position, "once_per names fields of \(trigger.rawValue): \(fields.keys.sorted().joined(separator: ", "))")
                    continue
                }
                _ = position
                limits.oncePer.append(text)
            }
        }
        limits.noLowerLevel = scalar(map, "no_lower_level", in: "limits", at: node.position, required: false)?.0 == "true"
        if limits.noLowerLevel && trigger != .certificationAwarded { fail(node.position, "no_lower_level applies to certification.awarded rules only") }
        limits.oncePerLifetime = scalar(map, "once_per_lifetime", in: "limits", at: node.position, required: false)?.0 == "true"
        limits.perYear = map["per_year"].flatMap { compile($0.0, environment, expecting: [.int], what: "\(what) per_year") }
        limits.capPerYear = map["cap_per_year"].flatMap { compile($0.0, environment, expecting: [.money], what: "\(what) cap_per_year") }
        return limits
    }

    mutating func creditRules(_ node: PackNode, environment base: TypeEnvironment) -> [CreditRule] {
        guard case .sequence(let items, _) = node else { fail(node.position, "credits must be a list (- items)"); return [] }
        var result: [CreditRule] = []
        for item in items {
            guard let map = mapping(item, allowed: ["id", "clause", "on", "when", "credits", "notes"], what: "a credit rule") else { continue }
            let id = scalar(map, "id", in: "a credit rule", at: item.position)?.0 ?? ""
            guard let kind = trigger(map, at: item.position, what: "credit rule \(id)") else { continue }
            var environment = base
            environment.declare(kind)
            environment.names["event"] = .record(TypeEnvironment.recordName(kind))
            let condition = map["when"].flatMap { compile($0.0, environment, expecting: [.bool], what: "credit rule \(id) when") }
            guard let (creditsNode, _) = map["credits"] else { fail(item.position, "credit rule \(id) needs \"credits\""); continue }
            guard let credits = compile(creditsNode, environment, expecting: [.credits], what: "credit rule \(id) credits") else { continue }
            result.append(CreditRule(id: id, clause: scalar(map, "clause", in: "credit rule", at: item.position, required: false)?.0 ?? "",
                                     trigger: kind, condition: condition, credits: credits, position: item.position))
        }
        return result
    }

    /// Two money rules that could pay for the same event must say how they relate: one exclusive group, or stacks_with.
    mutating func checkOverlaps(_ rules: [Rule], jurisdiction: JurisdictionCode, packID: String) {
        for (index, rule) in rules.enumerated() {
            for other in rules[..<index] {
                if let message = RuleOverlap.conflict(rule, jurisdiction, packID, other, jurisdiction, packID) { fail(rule.position, message) }
            }
        }
    }
}

/// Whether two money rules (possibly of different packs) could both pay for the same evidence without a declared
/// relation.
public enum RuleOverlap {
    static func payeeKey(_ payee: PayeeRule) -> String {
        switch payee {
        case .worker: "worker"
        case .employer: "employer"
        case .expression(let expression): expression.source
        }
    }

    /// Why two money rules could both pay for the same event, or nil when they cannot or say how they relate.
    ///
    /// They conflict when both pay money for the same trigger without accrual, their jurisdictions nest, their levels
    /// overlap, they share no `exclusive` group, neither lists the other in `stacks_with`, and they pay the same payee.
    /// - Returns: the message for the pack's author, naming both rules and the two ways to resolve it.
    public static func conflict(_ a: Rule, _ aJurisdiction: JurisdictionCode, _ aPack: String,
                                _ b: Rule, _ bJurisdiction: JurisdictionCode, _ bPack: String) -> String? {
        guard a.amount != nil, b.amount != nil, a.trigger == b.trigger, a.accrual == nil, b.accrual == nil else { return nil }
        guard aJurisdiction.contains(bJurisdiction) || bJurisdiction.contains(aJurisdiction) else { return nil }
        if let x = a.levels, let y = b.levels, x.isDisjoint(with: y) { return nil }
        if let group = a.exclusiveGroup, group == b.exclusiveGroup { return nil }
        if a.stacksWith.contains(b.id) || b.stacksWith.contains(a.id) || a.stacksWith.contains("\(bPack)/\(b.id)") || b.stacksWith.contains("\(aPack)/\(a.id)") {
            return nil
        }
        guard payeeKey(a.payee) == payeeKey(b.payee) else { return nil }
        return "rule \(aPack)/\(a.id) and rule \(bPack)/\(b.id) could both pay for the same \(a.trigger.rawValue) event: " +
            "declare one `exclusive: GROUP` on both (the larger is paid), or `stacks_with: [\(bPack)/\(b.id)]` if both are due"
    }
}
