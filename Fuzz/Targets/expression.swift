// libFuzzer target: the rule expression language (ExpressionLexer, ExpressionParser, TypeChecker) and, for what
// type-checks, the Evaluator over sample bindings. Any text must give an expression or an ExpressionError with an
// offset inside the text; evaluation must give a value or an EvaluationError: never a trap, a stack overflow or a hang.
import Foundation
@testable import Rules
import SkillsDomain

let environment: TypeEnvironment = {
    var environment = TypeEnvironment()
    environment.declare(.certificationAwarded)
    environment.names["event"] = .record(TypeEnvironment.recordName(.certificationAwarded))
    environment.records["worker"] = TypeEnvironment.workerFields
    environment.names["worker"] = .record("worker")
    environment.records["params"] = ["amount": .money, "rate": .decimal, "count": .int, "by_level": .table(.money),
                                     "credits": .credits, "flag": .bool, "name": .string]
    environment.names["params"] = .record("params")
    environment.names["k"] = .int
    return environment
}()

let bindings: Bindings = {
    var bindings = Bindings()
    bindings.values["k"] = .int(3)
    bindings.records["worker"] = ["id": .string("ps_0123456789abcdef0123456789abcdef"), "jurisdiction": .string("420302"),
                                  "employer": .string("91420300MA0000011X"), "insured_since": .month(try! Month(parsing: "2020-01")),
                                  "migrant": .bool(true), "frontline": .bool(false)]
    bindings.records["params"] = ["amount": .money(Money(fen: 150_000)), "rate": .decimal(Decimal4("0.8")!), "count": .int(Int64.max),
                                  "by_level": .table(["junior": .money(Money(fen: 100_000))]), "credits": .credits(Credits(tenths: 40)),
                                  "flag": .bool(true), "name": .string("电工")]
    bindings.records["event"] = ["id": .string("c-1"), "occurred_on": .date(LocalDate.parse("2026-03-06")!), "source": .string("420300"),
                                 "employer": .null, "worker": .string("ps_0123456789abcdef0123456789abcdef"),
                                 "occupation": .string("6-31-01-03"), "level": .level(.junior), "certificate": .string("S0001"),
                                 "issuer": .string("420300"), "route": .string("exam"), "occupation_name": .string("电工")]
    return bindings
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    let expression: Rules.Expression
    do { expression = try ExpressionParser.parse(text) } catch {
        precondition(error.offset >= 0 && error.offset <= text.count, "an error offset outside the text")
        return 0
    }
    guard (try? TypeChecker(environment: environment).check(expression)) != nil else { return 0 }
    _ = try? Evaluator.evaluate(expression, bindings)
    return 0
}
