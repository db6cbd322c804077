import PropertyBased
@testable import Rules
import SkillsDomain
import Testing

/// Compiled packs (issue 15, part 1) give what the interpreter gave: for generated expressions of every type, over
/// generated events, joins, workers and parameters (fields missing, extreme amounts, a join not bound, `k` unset),
/// the compiled program's value or error, its rendering for an explanation and the parameters it lists are those of
/// `ReferenceEvaluator`, the tree-walking evaluator packs ran on before.
@Suite("compiled expressions against the interpreter (property-based)")
struct CompiledProgramTests {
    static let parameterTypes: [String: ExpressionType] = [
        "amount": .money, "count": .int, "rate": .decimal, "cap": .table(.money), "flag": .bool, "title": .string, "credits": .credits,
    ]

    static var environment: TypeEnvironment {
        var environment = TypeEnvironment()
        environment.records["params"] = parameterTypes
        environment.records["worker"] = TypeEnvironment.workerFields
        environment.names["params"] = .record("params")
        environment.names["worker"] = .record("worker")
        environment.declare(.certificationAwarded)
        environment.names["event"] = .record(TypeEnvironment.recordName(.certificationAwarded))
        environment.declare(.trainingCompleted)
        environment.names["training"] = .record(TypeEnvironment.recordName(.trainingCompleted))
        environment.joins = ["training"]
        environment.names["k"] = .int
        return environment
    }

    @Test("value or error, rendering and parameters read: the same as the interpreter's")
    func sameAsTheInterpreter() async {
        let environment = Self.environment
        let scope = environment.scope
        await propertyCheck(count: 300, input: Gen.uint64()) { seed in
            var random = SeededRandom(seed: seed)
            var checked = 0
            for _ in 0..<20 {
                let inputs = Inputs(&random)
                let type = ExpressionTexts.types.randomElement(using: &random)!
                let text = ExpressionTexts.text(type, depth: 0, &random)
                guard let expression = try? ExpressionParser.parse(text),
                      (try? TypeChecker(environment: environment).check(expression)) != nil else { continue }
                checked += 1
                let program = Program.compile(expression, scope)
                let frame = inputs.frame, bindings = inputs.bindings
                let compiled = Result { () throws(EvaluationError) in try program.evaluate(frame) }
                let reference = Result { () throws(EvaluationError) in try ReferenceEvaluator.evaluate(expression, bindings) }
                switch (compiled, reference) {
                case (.success(let a), .success(let b)): #expect(a == b, "seed \(seed): \(text)")
                case (.failure(let a), .failure(let b)): #expect(a.message == b.message, "seed \(seed): \(text)")
                default: Issue.record("seed \(seed): \(text): compiled \(compiled), interpreter \(reference)")
                }
                #expect(program.render(frame) == ReferenceEvaluator.render(expression, bindings), "seed \(seed): \(text)")
                var compiledUsed: [String: Value] = [:], referenceUsed: [String: Value] = [:]
                program.parameters(frame, &compiledUsed)
                ReferenceEvaluator.parametersUsed(expression, bindings, into: &referenceUsed)
                #expect(compiledUsed == referenceUsed, "seed \(seed): \(text)")
            }
            // The generator makes well-typed expressions by construction; if most stopped checking, this test would
            // compare nothing.
            #expect(checked >= 15, "seed \(seed): only \(checked) of 20 generated expressions type-checked")
        }
    }

    @Test("an event's data field takes the envelope field's slot of the same name; a personal field has none")
    func eventRecord() throws {
        let event = Event(id: "p-1", kind: .apprenticeshipStarted, occurredOn: LocalDate(year: 2026, month: 1, day: 5)!, source: "620400",
                          employer: "91620400MA4K3RLJ2Q", data: EventData([("employer", .text("91620400MA7N8P9Q0R")), ("planned_months", .integer(12))]))
        let layout = RecordLayout.of(.apprenticeshipStarted)
        let record = layout.record(of: event)
        #expect(record[try #require(layout.slot("employer"))] == .string("91620400MA7N8P9Q0R"))
        #expect(record[try #require(layout.slot("planned_months"))] == .int(12))
        #expect(record[try #require(layout.slot("occurred_on"))] == .date(LocalDate(year: 2026, month: 1, day: 5)!))
        #expect(record[try #require(layout.slot("worker"))] == .null)
        #expect(layout.names.count == Set(layout.names).count, "one slot per name")
        for kind in EventKind.allCases {
            let spec = EventCatalogue.spec(for: kind)
            for personal in spec.personalFields where !RecordLayout.common.contains(personal) {
                #expect(RecordLayout.of(kind).slot(personal) == nil, "\(kind): \(personal) is personal and never read by a rule")
            }
        }
    }
}

/// One evaluation's inputs, as the engine gives them to a compiled program (a frame) and as the interpreter took them
/// (records by name).
private struct Inputs {
    var event: Event
    var training: Event?
    var worker: [String: Value]
    var parameters: [String: Value]
    var k: Value

    init(_ random: inout SeededRandom) {
        func maybe<T>(_ value: T, _ random: inout SeededRandom) -> T? { Int.random(in: 0..<5, using: &random) == 0 ? nil : value }
        let day = LocalDate(year: 2026, month: 6, day: 15)!
        let dates = [day, LocalDate(year: 2025, month: 2, day: 28)!, LocalDate(year: 2024, month: 2, day: 29)!, LocalDate(year: 1999, month: 12, day: 31)!]
        let levels = SkillLevel.allCases
        var data: [(String, FieldValue)] = []
        if let v = maybe(FieldValue.text("6-18-01-01"), &random) { data.append(("occupation", v)) }
        if let v = maybe(FieldValue.level(levels.randomElement(using: &random)!), &random) { data.append(("level", v)) }
        if let v = maybe(FieldValue.text(["exam", "competition", "skip-level"].randomElement(using: &random)!), &random) { data.append(("route", v)) }
        if let v = maybe(FieldValue.text("C-1"), &random) { data.append(("certificate", v)) }
        event = Event(id: "cert-1", kind: .certificationAwarded, occurredOn: dates.randomElement(using: &random)!, source: "420300",
                      employer: maybe("91420300MA4K3RLJ2Q", &random), data: EventData(data))
        if Bool.random(using: &random) {
            var fields: [(String, FieldValue)] = [("track", .text(["upgrade", "technician"].randomElement(using: &random)!))]
            let costs: [Int64] = [0, 1, 120_000, 99_999_999, Money.maximumFen]
            if let v = maybe(FieldValue.money(Money(fen: costs.randomElement(using: &random)!)), &random) { fields.append(("cost", v)) }
            if let v = maybe(FieldValue.integer(Int64.random(in: 1...200, using: &random)), &random) { fields.append(("hours", v)) }
            if let v = maybe(FieldValue.date(dates.randomElement(using: &random)!), &random) { fields.append(("started_on", v)) }
            training = Event(id: "tr-1", kind: .trainingCompleted, occurredOn: day, source: "420300", data: EventData(fields))
        }
        worker = ["id": .string("w-1"), "jurisdiction": .string("420300"), "employer": maybe(Value.string("91420300MA4K3RLJ2Q"), &random) ?? .null,
                  "insured_since": maybe(Value.month(Month(year: 2024, month: Int.random(in: 1...12, using: &random))!), &random) ?? .null,
                  "migrant": maybe(Value.bool(Bool.random(using: &random)), &random) ?? .null,
                  "frontline": maybe(Value.bool(Bool.random(using: &random)), &random) ?? .null]
        let amounts: [Int64] = [0, 150_000, 100_000_000, Money.maximumFen, -1]
        var cap: [String: Value] = [:]
        for level in levels where Bool.random(using: &random) { cap[level.rawValue] = .money(Money(fen: amounts.randomElement(using: &random)!)) }
        parameters = [
            "amount": .money(Money(fen: amounts.randomElement(using: &random)!)),
            "count": .int([0, 2, -3, Int64.max].randomElement(using: &random)!),
            "rate": .decimal([Decimal4("0.8")!, Decimal4("0")!, Decimal4("-1.5")!].randomElement(using: &random)!),
            "cap": .table(cap), "flag": .bool(Bool.random(using: &random)), "title": .string("诸葛工匠"),
            "credits": .credits(Credits(tenths: Int64.random(in: -20...20, using: &random))),
        ]
        if Int.random(in: 0..<4, using: &random) == 0 { parameters["count"] = nil }
        k = Bool.random(using: &random) ? .int(Int64.random(in: -2...14, using: &random)) : .null
    }

    var frame: Frame {
        var frame = Frame()
        frame.event = RecordLayout.of(.certificationAwarded).record(of: event)
        if let training { frame.joins = [RecordLayout.of(.trainingCompleted).record(of: training)] }
        frame.worker = WorkerLayout.names.map { worker[$0] ?? .null }
        frame.params = ParameterEpoch(values: CompiledProgramTests.parameterTypes.keys.sorted().map { parameters[$0] ?? .null })
        frame.k = k
        return frame
    }

    var bindings: ReferenceBindings {
        var bindings = ReferenceBindings()
        bindings.records["event"] = ReferenceBindings.record(of: event)
        if let training { bindings.records["training"] = ReferenceBindings.record(of: training) }
        bindings.records["worker"] = worker
        bindings.records["params"] = parameters
        if k != .null { bindings.values["k"] = k }
        return bindings
    }
}

/// Texts of expressions of a type, from a grammar that covers every node, operator and function of the language.
private enum ExpressionTexts {
    enum Kind: CaseIterable { case money, int, decimal, bool, date, month, string, level, credits }
    static let types = Kind.allCases

    static func text(_ type: Kind, depth: Int, _ random: inout SeededRandom) -> String {
        func t(_ type: Kind) -> String { text(type, depth: depth + 1, &random) }
        func one(_ options: [String]) -> String { options.randomElement(using: &random)! }
        let leaf = depth >= 3 || Int.random(in: 0..<3, using: &random) == 0
        switch type {
        case .money:
            if leaf { return one(["params.amount", "training.cost", "params.cap[event.level]", "params.cap[\"senior\"]", "yuan(12)", "yuan(0.5)"]) }
            switch Int.random(in: 0..<10, using: &random) {
            case 0: return "min(\(t(.money)), \(t(.money)))"
            case 1: return "max(\(t(.money)), \(t(.money)), \(t(.money)))"
            case 2: return "\(t(.money)) + \(t(.money))"
            case 3: return "\(t(.money)) - \(t(.money))"
            case 4: return "\(t(.money)) * \(t(.decimal))"
            case 5: return "\(t(.int)) * \(t(.money))"
            case 6: return "\(t(.money)) / \(t(.int))"
            case 7: return "-\(t(.money))"
            case 8: return "(\(t(.bool)) ? \(t(.money)) : \(t(.money)))"
            default: return "params.cap[\(t(.string))]"
            }
        case .int:
            if leaf { return one(["0", "1", "3", "12", "9223372036854775807", "k", "params.count", "training.hours", "year(event.occurred_on)"]) }
            switch Int.random(in: 0..<11, using: &random) {
            case 0: return "\(t(.int)) + \(t(.int))"
            case 1: return "\(t(.int)) - \(t(.int))"
            case 2: return "\(t(.int)) * \(t(.int))"
            case 3: return "\(t(.int)) % \(t(.int))"
            case 4: return "-\(t(.int))"
            case 5: return "months_between(\(t(.month)), \(t(.month)))"
            case 6: return "months_between(\(t(.date)), \(t(.month)))"
            case 7: return "days_between(\(t(.date)), \(t(.date)))"
            case 8: return "year(\(t(.month)))"
            case 9: return "size([\(t(.int)), \(t(.int)), k])"
            default: return "(\(t(.bool)) ? \(t(.int)) : \(one(["null", t(.int)])))"
            }
        case .decimal:
            if leaf { return one(["0.8", "1.5", "0.0001", "params.rate"]) }
            switch Int.random(in: 0..<7, using: &random) {
            case 0: return "\(t(.int)) / \(t(.int))"
            case 1: return "\(t(.decimal)) * \(t(.decimal))"
            case 2: return "\(t(.decimal)) + \(t(.int))"
            case 3: return "\(t(.money)) / \(t(.money))"
            case 4: return "floor_to(\(t(.decimal)), \(t(.decimal)))"
            case 5: return "floor_to(\(t(.int)), 0.5)"
            default: return "-\(t(.decimal))"
            }
        case .bool:
            if leaf { return one(["true", "false", "params.flag", "worker.migrant", "worker.frontline"]) }
            switch Int.random(in: 0..<20, using: &random) {
            case 0: return "\(t(.bool)) && \(t(.bool))"
            case 1: return "\(t(.bool)) || \(t(.bool))"
            case 2: return "!\(t(.bool))"
            case 3: return "\(t(.int)) < \(t(.int))"
            case 4: return "\(t(.money)) >= \(t(.money))"
            case 5: return "\(t(.decimal)) <= \(t(.int))"
            case 6: return "\(t(.date)) > \(t(.date))"
            case 7: return "\(t(.month)) == \(t(.month))"
            case 8: return "\(t(.string)) == \(t(.string))"
            case 9: return "\(t(.string)) != \(t(.string))"
            case 10: return "event.level >= \"senior\""
            case 11: return "event.level == \"technician\""
            case 12: return "\(t(.level)) in params.cap"
            case 13: return "\(t(.string)) in params.cap"
            case 14: return "event.route in [\"exam\", \"competition\"]"
            case 15: return "\(t(.int)) in [1, 2, k]"
            case 16: return "has(\(one(["training.cost", "params.count", "event.level", "worker.migrant", "k"])))"
            case 17: return "(\(t(.bool)) ? \(t(.bool)) : \(t(.bool)))"
            case 18: return "\(t(.credits)) > \(t(.credits))"
            default: return "\(t(.money)) != \(one(["null", t(.money)]))"
            }
        case .date:
            if leaf { return one(["event.occurred_on", "training.started_on", "training.occurred_on"]) }
            return Bool.random(using: &random) ? "add_months(\(t(.date)), \(t(.int)))" : "(\(t(.bool)) ? \(t(.date)) : \(t(.date)))"
        case .month:
            if leaf { return one(["worker.insured_since", "month(event.occurred_on)"]) }
            return "month(\(t(.date)))"
        case .string:
            if leaf { return one(["event.occupation", "training.track", "params.title", "worker.employer", "event.employer", "\"senior\"", "\"exam\""]) }
            return "(\(t(.bool)) ? \(t(.string)) : \(t(.string)))"
        case .level:
            return leaf ? "event.level" : "(\(t(.bool)) ? event.level : \(t(.level)))"
        case .credits:
            if leaf { return one(["params.credits", "credits(2)", "credits(0.5)"]) }
            switch Int.random(in: 0..<4, using: &random) {
            case 0: return "\(t(.credits)) + \(t(.credits))"
            case 1: return "\(t(.credits)) * \(t(.decimal))"
            case 2: return "credits(\(t(.decimal)))"
            default: return "-\(t(.credits))"
            }
        }
    }
}
