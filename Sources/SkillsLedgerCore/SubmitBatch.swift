import Intake
import Ledger
import Reports
import SkillsDomain

/// Records one file of events as one atomic batch (`submit`, `POST /v1/batches`): all of its events or none, every
/// bad row listed, events already recorded with identical content skipped.
public struct SubmitBatch: Sendable {
    /// The ledger, operator and date the operations run with.
    public var session: Session

    /// The operations on `session`'s ledger.
    public init(_ session: Session) { self.session = session }

    /// Records the file at `path` (CSV in any of the layouts, or JSON Lines). Warnings go to the observer, whether
    /// the batch is recorded or refused.
    /// - Parameters:
    ///   - defaultSource: the source for CSV rows that do not name one (a bureau's roster).
    ///   - identity: the service token submitting, whose role and scope every row must fit (nil for the CLI).
    ///   - name: how the receipt and errors name the file (default: the path).
    /// - Throws: `IntakeError` with every bad row (nothing recorded), `LedgerError.conflicts`, `.refused`,
    ///   `OperationError.forbidden` for a row outside the token's scope (nothing recorded).
    public func record(file path: String, defaultSource: String? = nil, identity: AccessIdentity? = nil,
                       name: String? = nil) async throws -> BatchReceipt {
        let reader = EventFileReader(path: path, defaultSource: defaultSource)
        let progress = session.observer.fileProgress("submit \(path)", path: path)
        defer { progress.finish() }
        var warnings: [RowIssue] = []
        do {
            let result = try await session.ledger.append(operatorName: session.operatorName, recordedAt: Timestamp.now(), cache: .large) { sink in
                var rows = 0
                let outcome = try reader.read { submission in
                    if let identity, let refusal = identity.refusal(toSubmit: submission.event) {
                        throw OperationError.forbidden("\(submission.origin): event \(submission.event.id) refused, nothing recorded: \(refusal)")
                    }
                    try sink.add(submission)
                    rows += 1
                    progress.update(rows)
                }
                warnings = outcome.warnings
            }
            progress.finish()
            for warning in warnings { session.observer.note(warning.description) }
            return BatchReceipt(file: name ?? path, result: result)
        } catch {
            progress.finish()
            for warning in (error as? IntakeError)?.warnings ?? warnings { session.observer.note(warning.description) }
            throw error
        }
    }
}
