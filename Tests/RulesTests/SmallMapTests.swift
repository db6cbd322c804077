@testable import Rules
import SkillsDomain
import Testing

/// The records the expressions read behave as the dictionaries they replaced: the last value set for a name wins,
/// setting nil removes it, and a missing name reads as nil (which the evaluator turns into null).
@Suite struct SmallMapTests {
    @Test("reads, overrides and removes by name")
    func semantics() {
        var record: ValueRecord = ["id": .string("w-1"), "employer": .null]
        #expect(record["id"] == .string("w-1"))
        #expect(record["missing"] == nil)
        record["employer"] = .string("91420300MA4K3RLJ2Q")
        record["level"] = .level(.senior)
        #expect(record["employer"] == .string("91420300MA4K3RLJ2Q"))
        #expect(record.entries.map(\.name) == ["id", "employer", "level"], "an override keeps its place, a new name is added")
        record["id"] = nil
        #expect(record["id"] == nil)
        #expect(record.entries.count == 2)
        let literal: ValueRecord = ["a": .int(1), "a": .int(2)]
        #expect(literal["a"] == .int(2) && literal.entries.count == 1, "a name given twice keeps the last value")
        #expect(ValueRecord(["b": .int(2), "a": .int(1)]).entries.map(\.name) == ["a", "b"])
    }

    @Test("an event's data field overrides the envelope field of the same name, as before")
    func eventRecord() throws {
        let event = Event(id: "p-1", kind: .apprenticeshipStarted, occurredOn: LocalDate(year: 2026, month: 1, day: 5)!, source: "620400",
                          employer: "91620400MA4K3RLJ2Q", data: EventData([("employer", .text("91620400MA7N8P9Q0R")), ("planned_months", .integer(12))]))
        let record = Bindings.record(of: event)
        #expect(record["employer"] == .string("91620400MA7N8P9Q0R"))
        #expect(record["planned_months"] == .int(12))
        #expect(record["occurred_on"] == .date(LocalDate(year: 2026, month: 1, day: 5)!))
        #expect(record["worker"] == .null)
    }
}
