import SkillsDomain
import Testing

@Suite("events in force")
struct EventsInForceTests {
    static let day = LocalDate(year: 2026, month: 3, day: 6)!

    static func event(_ id: String, _ kind: EventKind, _ fields: [(String, FieldValue)] = []) -> Event {
        Event(id: id, kind: kind, occurredOn: day, source: "420300", data: EventData(fields))
    }

    static let award = event("c-1", .certificationAwarded, [("certificate", .text("N-1"))])
    static let otherAward = event("c-2", .certificationAwarded, [("certificate", .text("N-2"))])
    static let revocation = event("rv-1", .certificationRevoked, [("certificate", .text("N-1"))])
    static let training = event("t-1", .trainingCompleted)

    @Test("a reversed event is not in force, and says which reversal cancels it")
    func reversal() {
        var inForce = EventsInForce()
        inForce.note(Self.event("r-1", .eventReversed, [("target", .text("t-1"))]))
        #expect(!inForce.isInForce(Self.training))
        #expect(inForce.isReversed("t-1"))
        #expect(inForce.reversedBy == ["t-1": "r-1"])
        #expect(inForce.isInForce(Self.award))
    }

    @Test("a revoked certificate's award is not in force; other awards and other kinds are")
    func revocation() {
        var inForce = EventsInForce()
        inForce.note(Self.revocation)
        #expect(!inForce.isInForce(Self.award))
        #expect(inForce.revocation(of: "N-1") == "rv-1")
        #expect(inForce.isInForce(Self.otherAward))
        #expect(inForce.isInForce(Self.revocation), "the revocation itself counts")
        #expect(inForce.isInForce(Self.training))
    }

    @Test("a reversed revocation revokes nothing, whichever was noted first")
    func reversedRevocation() {
        var revocationFirst = EventsInForce()
        revocationFirst.note(Self.revocation)
        revocationFirst.noteReversal("r-2", of: "rv-1")
        var reversalFirst = EventsInForce()
        reversalFirst.noteReversal("r-2", of: "rv-1")
        reversalFirst.noteRevocation("rv-1", of: "N-1")
        for inForce in [revocationFirst, reversalFirst] {
            #expect(inForce.isInForce(Self.award))
            #expect(inForce.revocation(of: "N-1") == nil)
            #expect(!inForce.isInForce(Self.revocation))
        }
    }
}
