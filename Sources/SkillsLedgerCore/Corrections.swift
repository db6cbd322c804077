import Ledger
import SkillsDomain

/// Corrections that never edit: cancelling an event (`reverse`, 冲正) and erasing a person's personal data (`erase`,
/// PIPL).
public struct Corrections: Sendable {
    /// The ledger, operator and date the operations run with.
    public var session: Session

    /// The operations on `session`'s ledger.
    public init(_ session: Session) { self.session = session }

    /// What `reverse` did: the reversal's id, and whether it was recorded now or already.
    public struct Reversal: Sendable, Equatable {
        /// The reversal event's id.
        public var id: String
        /// The id of the event it cancels.
        public var target: String
        /// Whether this call recorded it (false: it was recorded before, identically).
        public var recorded: Bool
    }

    /// Records `event.reversed` pointing at `target`, with the reason.
    /// - Parameters:
    ///   - id: the reversal's id (default `rev:TARGET`, cut to fit the 64-character limit).
    ///   - source: who reverses it (default: the reversed event's source).
    ///   - date: when the reversal takes effect (default: today).
    /// - Throws: `OperationError.badRequest` without a reason, `LedgerError.refused` for an unknown event.
    public func reverse(_ target: String, reason: String, id: String? = nil, source: String? = nil, date: LocalDate? = nil) async throws -> Reversal {
        guard let reversed = try await session.ledger.event(id: target) else {
            throw LedgerError.refused("no event with id \(target) in \(session.ledger.location)")
        }
        let reason = reason.trimmingSpaces
        guard reason.contains(where: { !$0.isWhitespace }) else { throw OperationError.badRequest("--reason must say why") }
        let reversalID = id ?? (target.count <= 60 ? "rev:" + target : "rev:" + String(target.suffix(60)))
        var warnings: [FieldIssue] = []
        let sourceCode = try source.map { text throws(ValueError) in try EventDecoder.validateSource(text, warnings: &warnings) } ?? reversed.event.source
        let reversal = Event(id: reversalID, kind: .eventReversed, occurredOn: date ?? session.today, source: sourceCode,
                             data: EventData([("target", .text(target)), ("reason", .text(reason))]))
        let result = try await session.ledger.append([Submission(event: reversal, origin: "reverse")], operatorName: session.operatorName,
                                                     recordedAt: Timestamp.now())
        return Reversal(id: reversalID, target: target, recorded: result.recorded == 1)
    }

    /// Removes the person's name and 公民身份号码 from the registry; their events remain under the pseudonym.
    /// - Returns: the pseudonym.
    /// - Throws: `OperationError.notFound` when the registry holds no personal data of theirs (never, or erased already).
    public func erase(_ citizen: CitizenID, reason: String) async throws -> String {
        guard let pseudonym = try await session.ledger.erase(citizen: citizen, reason: reason) else {
            throw OperationError.notFound("no personal data for \(citizen.masked) in the registry (never recorded, or erased already)")
        }
        return pseudonym
    }
}
