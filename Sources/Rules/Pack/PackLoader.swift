import Crypto
import Foundation
import SkillsDomain

/// Loads and checks a policy pack: structure, dates, parameter values, and every expression's names and types.
/// Collects all errors it can, each with file, line and column.
public struct PackLoader {
    /// The largest pack text accepted, in bytes (UTF-8); a larger one is refused before parsing.
    public static let maximumPackBytes = 1_000_000
    static let topKeys = ["policy", "version", "title", "jurisdiction", "source", "effective", "parameters", "rules", "credits", "audits", "notice", "notes"]
    static let ruleKeys = ["id", "title", "clause", "on", "levels", "requires", "when", "amount", "designation", "payee", "limits", "accrue",
                           "exclusive", "prefer_on_tie", "stacks_with", "notes"]

    let file: String
    let text: String
    var errors: [PackError] = []

    /// Loads a pack from its text. `file` names it in errors.
    public static func load(text: String, file: String) throws(PackErrors) -> PolicyPack {
        guard text.utf8.count <= maximumPackBytes else {
            throw PackErrors([PackError(file: file, position: nil, message: "a pack larger than \(maximumPackBytes) bytes")])
        }
        var loader = PackLoader(file: file, text: text)
        let root: PackNode
        do { root = try PackNode.parse(text, file: file) } catch { throw PackErrors([error]) }
        let pack = loader.pack(root)
        guard loader.errors.isEmpty, let pack else { throw PackErrors(loader.errors) }
        return pack
    }

    /// Loads a pack from a file (UTF-8).
    public static func load(path: String) throws(PackErrors) -> PolicyPack {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw PackErrors([PackError(file: path, position: nil, message: "no such file, or it cannot be read")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw PackErrors([PackError(file: path, position: nil, message: "a policy pack must be UTF-8 text")])
        }
        return try load(text: text, file: path)
    }

    mutating func fail(_ position: SourcePosition?, _ message: String) { errors.append(PackError(file: file, position: position, message: message)) }

    // MARK: Structure

    func fields(_ node: PackNode) -> [String: (PackNode, SourcePosition)] {
        guard case .mapping(let pairs, _) = node else { return [:] }
        var result: [String: (PackNode, SourcePosition)] = [:]
        for pair in pairs { result[pair.key] = (pair.value, pair.keyPosition) }
        return result
    }

    mutating func mapping(_ node: PackNode, allowed: [String], what: String) -> [String: (PackNode, SourcePosition)]? {
        guard case .mapping(let pairs, _) = node else {
            fail(node.position, "\(what) must be \(PackNode.mapping([], node.position).kindName), found \(node.kindName)")
            return nil
        }
        for pair in pairs where !allowed.contains(pair.key) {
            fail(pair.keyPosition, "unknown key \"\(pair.key)\" in \(what); expected one of: \(allowed.joined(separator: ", "))")
        }
        return fields(node)
    }

    mutating func scalar(_ map: [String: (PackNode, SourcePosition)], _ key: String, in what: String, at position: SourcePosition,
                         required: Bool = true) -> (String, PackNode)? {
        guard let (node, _) = map[key] else {
            if required { fail(position, "\(what) needs \"\(key)\"") }
            return nil
        }
        guard case .scalar(let text, _, _, _) = node else {
            fail(node.position, "\"\(key)\" must be a single value, found \(node.kindName)")
            return nil
        }
        return (text, node)
    }

    mutating func date(_ text: String, at node: PackNode) -> LocalDate? {
        guard let date = LocalDate.parse(text) else { fail(node.position, "expected a date YYYY-MM-DD, found \"\(text)\""); return nil }
        return date
    }

    // MARK: Pack

    mutating func pack(_ root: PackNode) -> PolicyPack? {
        guard let top = mapping(root, allowed: PackLoader.topKeys, what: "a policy pack") else { return nil }
        let origin = root.position
        let id = scalar(top, "policy", in: "a policy pack", at: origin)?.0
        if let id, !EventID.isValid(id) { fail(top["policy"]?.0.position, "a policy id uses A-Z a-z 0-9 . _ : - (found \"\(id)\")") }
        let version = scalar(top, "version", in: "a policy pack", at: origin)?.0
        let title = scalar(top, "title", in: "a policy pack", at: origin)?.0
        var jurisdiction: JurisdictionCode?
        if let (text, node) = scalar(top, "jurisdiction", in: "a policy pack", at: origin) {
            do { jurisdiction = try JurisdictionCode(text) } catch { fail(node.position, error.description) }
        }
        var document = ""
        if let (node, position) = top["source"], let source = mapping(node, allowed: ["document", "clause", "url", "issued"], what: "source") {
            document = scalar(source, "document", in: "source", at: position)?.0 ?? ""
        } else if top["source"] == nil {
            fail(origin, "a policy pack needs \"source\" with the document it implements")
        }
        var from: LocalDate?, until: LocalDate?
        if let (node, position) = top["effective"], let effective = mapping(node, allowed: ["from", "until"], what: "effective") {
            if let (text, node) = scalar(effective, "from", in: "effective", at: position) { from = date(text, at: node) }
            if let (text, node) = scalar(effective, "until", in: "effective", at: position, required: false) { until = date(text, at: node) }
        } else if top["effective"] == nil {
            fail(origin, "a policy pack needs \"effective\" with a \"from\" date")
        }
        let parameters = top["parameters"].map { self.parameters($0.0) } ?? [:]
        var environment = TypeEnvironment()
        environment.records["params"] = parameters.mapValues(\.type)
        environment.records["worker"] = TypeEnvironment.workerFields
        environment.names["params"] = .record("params")
        environment.names["worker"] = .record("worker")
        let rules = top["rules"].map { self.rules($0.0, environment: environment, policy: id ?? "") } ?? []
        let creditRules = top["credits"].map { self.creditRules($0.0, environment: environment) } ?? []
        var audits: [String: CompiledExpression] = [:]
        if let (node, _) = top["audits"], let map = mapping(node, allowed: ["budget_floor", "frontline_floor"], what: "audits") {
            for (key, (value, _)) in map {
                if let compiled = compile(value, environment, expecting: [.decimal, .int], what: "audits.\(key)") { audits[key] = compiled }
            }
        }
        let noticeDays = top["notice"].flatMap { noticeWorkingDays($0.0, at: $0.1) }
        checkOverlaps(rules, jurisdiction: jurisdiction ?? .national, packID: id ?? "")
        guard let id, let version, let title, let jurisdiction, let from else { return nil }
        let digest = Hex.string(SHA256.hash(data: Data(text.utf8)))
        return PolicyPack(id: id, version: version, title: title, jurisdiction: jurisdiction, document: document, effectiveFrom: from,
                          effectiveUntil: until, parameters: parameters, rules: rules, creditRules: creditRules, audits: audits,
                          noticeWorkingDays: noticeDays, text: text, sha256: digest, file: file)
    }

    /// `notice: {working_days: N}`: the pack's entitlements are granted only after a public notice (公示) of N
    /// working days (1–30) that listed them.
    mutating func noticeWorkingDays(_ node: PackNode, at position: SourcePosition) -> Int? {
        guard let map = mapping(node, allowed: ["working_days"], what: "notice") else { return nil }
        guard let (text, valueNode) = scalar(map, "working_days", in: "notice", at: position) else { return nil }
        guard let days = Int(text), (1...30).contains(days) else {
            fail(valueNode.position, "notice.working_days must be a whole number of working days from 1 to 30, found \"\(text)\"")
            return nil
        }
        return days
    }

    // MARK: Parameters

    static let parameterTypes: [String: ExpressionType] = [
        "money": .money, "int": .int, "decimal": .decimal, "ratio": .decimal, "credits": .credits, "bool": .bool, "string": .string,
        "money by level": .table(.money), "credits by level": .table(.credits), "int by level": .table(.int),
    ]

    mutating func parameters(_ node: PackNode) -> [String: Parameter] {
        guard case .mapping(let pairs, _) = node else {
            fail(node.position, "parameters must be a mapping of name: {type, values}")
            return [:]
        }
        var result: [String: Parameter] = [:]
        for pair in pairs {
            guard let map = mapping(pair.value, allowed: ["type", "values", "sample", "note", "unit"], what: "parameter \(pair.key)") else { continue }
            guard let (typeName, typeNode) = scalar(map, "type", in: "parameter \(pair.key)", at: pair.keyPosition) else { continue }
            guard let type = PackLoader.parameterTypes[typeName] else {
                fail(typeNode.position, "unknown parameter type \"\(typeName)\"; expected one of: \(PackLoader.parameterTypes.keys.sorted().joined(separator: ", "))")
                continue
            }
            guard let (valuesNode, valuesPosition) = map["values"], case .mapping(let dated, _) = valuesNode else {
                fail(pair.keyPosition, "parameter \(pair.key) needs \"values\": a mapping of date: value")
                continue
            }
            var values: [(from: LocalDate, value: Value)] = []
            for entry in dated {
                guard let from = LocalDate.parse(entry.key) else {
                    fail(entry.keyPosition, "a parameter value starts on a date YYYY-MM-DD, found \"\(entry.key)\"")
                    continue
                }
                if let value = parameterValue(entry.value, type: type, name: pair.key) { values.append((from, value)) }
            }
            if values.isEmpty { fail(valuesPosition, "parameter \(pair.key) has no values") }
            let sample = map["sample"].map { if case .scalar(let text, _, _, _) = $0.0 { text == "true" } else { false } } ?? false
            let note = map["note"].flatMap { if case .scalar(let text, _, _, _) = $0.0 { text } else { nil } }
            result[pair.key] = Parameter(name: pair.key, type: type, values: values.sorted { $0.from < $1.from }, sample: sample, note: note)
        }
        return result
    }

    mutating func parameterValue(_ node: PackNode, type: ExpressionType, name: String) -> Value? {
        if case .table(let element) = type {
            guard case .mapping(let pairs, _) = node else { fail(node.position, "parameter \(name) needs a table of level: value"); return nil }
            var table: [String: Value] = [:]
            for pair in pairs {
                guard let level = try? SkillLevel(parsing: pair.key) else {
                    fail(pair.keyPosition, "\"\(pair.key)\" is not a skill level (junior … chief-technician, or 初级工 …)")
                    continue
                }
                if let value = parameterValue(pair.value, type: element, name: name) { table[level.rawValue] = value }
            }
            return .table(table)
        }
        guard case .scalar(let text, let position, _, _) = node else { fail(node.position, "parameter \(name) needs a single \(type) value"); return nil }
        let value: Value?
        switch type {
        case .money: value = (try? Money(yuan: text)).map { .money($0) }
        case .int: value = Int64(text).map { .int($0) }
        case .decimal: value = Decimal4(text).map { .decimal($0) }
        case .credits: value = (try? Credits(text: text)).map { .credits($0) }
        case .bool: value = text == "true" ? .bool(true) : text == "false" ? .bool(false) : nil
        default: value = .string(text)
        }
        if value == nil { fail(position, "parameter \(name) expects \(type), found \"\(text)\"") }
        return value
    }

    // MARK: Expressions

    /// The file position of a character offset inside an expression scalar.
    func position(of node: PackNode, offset: Int) -> SourcePosition {
        guard case .scalar(let text, let start, let quoted, let block) = node else { return node.position }
        let before = text.prefix(offset)
        let lineBreaks = before.filter { $0 == "\n" }.count
        if lineBreaks == 0 && !block { return start.advanced(by: offset + (quoted ? 1 : 0)) }
        let lineOffset = before.count - (before.lastIndex(of: "\n").map { before.distance(from: before.startIndex, to: $0) + 1 } ?? 0)
        let line = start.line + lineBreaks + (block ? 1 : 0)
        let fileLines = self.text.split(separator: "\n", omittingEmptySubsequences: false)
        let indent = line - 1 < fileLines.count ? fileLines[line - 1].prefix { $0 == " " }.count : 0
        return SourcePosition(line: line, column: indent + lineOffset + 1)
    }

    mutating func compile(_ node: PackNode, _ environment: TypeEnvironment, expecting: [ExpressionType], what: String) -> CompiledExpression? {
        guard case .scalar(let source, _, _, _) = node else { fail(node.position, "\(what) must be an expression, found \(node.kindName)"); return nil }
        do {
            let expression = try ExpressionParser.parse(source)
            let type = try TypeChecker(environment: environment).check(expression)
            guard expecting.isEmpty || expecting.contains(type) || type == .null else {
                fail(node.position, "\(what) must be \(expecting.map(\.description).joined(separator: " or ")), but \"\(source)\" is \(type)")
                return nil
            }
            return CompiledExpression(source: source, position: node.position, expression: expression, type: type,
                                      program: Program.compile(expression, environment.scope))
        } catch {
            fail(position(of: node, offset: error.offset), "in \(what): \(error.message)")
            return nil
        }
    }
}
