@testable import Rules
import SkillsDomain
import Testing

/// Inputs the fuzzers found (RELIABILITY.md §4), kept as tests so they stay fixed. Each trapped before its fix;
/// now each is a value or a clear error.
@Suite("fuzz regressions")
struct FuzzRegressionTests {
    /// Parses, type-checks and evaluates `text` with `k` an int, `params.amount` money and `params.start` the date
    /// 2026-06-15, as a pack's rule would.
    func evaluate(_ text: String, k: Int64 = 3) throws -> Value {
        var environment = TypeEnvironment()
        environment.names["k"] = .int
        environment.records["params"] = ["amount": .money, "start": .date]
        environment.names["params"] = .record("params")
        let expression = try ExpressionParser.parse(text)
        _ = try TypeChecker(environment: environment).check(expression)
        let start = try LocalDate(parsing: "2026-06-15")
        let frame = Frame(params: ParameterEpoch(values: [.money(Money(fen: Money.maximumFen)), .date(start)]), k: .int(k))
        return try Program.compile(expression, environment.scope).evaluate(frame)
    }

    /// A decimal parameter in a pack is read by `Decimal4(_:)`: a second sign was taken by `Int64`, and a large negative
    /// number overflowed and trapped (found while documenting Rules).
    @Test func decimalTextTakesOneSignAndNeverTraps() {
        #expect(Decimal4("--5") == nil)
        #expect(Decimal4("1.-5") == nil)
        #expect(Decimal4("+5") == nil)
        #expect(Decimal4("--99999999999999999") == nil)
        #expect(Decimal4("-12.5")?.description == "-12.5000")
        #expect(Decimal4("0.2")?.description == "0.2000")
    }

    @Test("fuzz-expression crash-cdbe8a16: k / -k divided by a negative number through Money.scaled's precondition")
    func divisionByNegative() throws {
        #expect(try evaluate("k / -k") == .decimal(Decimal4(integer: -1)))
        #expect(try evaluate("7 / -2") == .decimal(Decimal4("-3.5")!))
        #expect(try evaluate("-7 / 2") == .decimal(Decimal4("-3.5")!))
        #expect(try evaluate("params.amount / -2") == .money(Money(fen: -Money.maximumFen / 2)))
        #expect(Decimal4.ratio(1, -3) == Decimal4("-0.3333"))
    }

    /// The test process stopped with signal 4 in CI (2026-12-07): the compiled-program property test had generated
    /// `add_months(date, n)` with n at Int64.min, and the guard `abs(n) <= 1_200` trapped on it, in the engine and
    /// in the test's reference evaluator alike. Any month count beyond 1,200 is null; Int64.min is one of them.
    @Test("add_months with a month count at Int64.min is null, never a trap")
    func addMonthsAtTheEdge() throws {
        #expect(try evaluate("add_months(params.start, -9223372036854775807 - 1)") == .null)
        #expect(try evaluate("add_months(params.start, 9223372036854775807)") == .null)
        #expect(try evaluate("add_months(params.start, -1201)") == .null)
        #expect(try evaluate("add_months(params.start, -1200)") == .date(try LocalDate(parsing: "1926-06-15")))
        #expect(try evaluate("add_months(params.start, k)") == .date(try LocalDate(parsing: "2026-09-15")))
    }

    @Test("overflowing arithmetic is an EvaluationError, never a trap", arguments: [
        "-(-9223372036854775807 - 1)",
        "(-9223372036854775807 - 1) % -1",
        "9223372036854775807 * 1.5",
        "9223372036854775807 + 0.5",
        "k * 9223372036854775807",
        "params.amount * 9223372036854775807",
        "params.amount * 99999999999.9999 * 99999999999.9999",
        "params.amount / 0.0001 / 0.0001 / 0.0001",
        "99999999999.9999 * 99999999999.9999",
        "floor_to(-9223372036854775807 * 1, 0.0001) * 1",
        "9223372036854775807 / 0.0001",
    ])
    func overflow(text: String) {
        #expect(throws: EvaluationError.self, "\(text)") { try evaluate(text) }
    }
}
