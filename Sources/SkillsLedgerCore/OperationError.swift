import Intake
import Ledger
import Rules
import SkillsDomain

/// A refusal the application layer itself makes (the libraries' own errors pass through unchanged).
public enum OperationError: Error, Sendable, CustomStringConvertible {
    /// Nothing to show: no such worker, event or month. Exit 1 in the CLI, 404 in the service.
    case notFound(String)
    /// The request itself is wrong (a missing reason, an unknown format). Exit 2, 400.
    case badRequest(String)
    /// Outside what the caller's role or scope allows; nothing was written. Exit 2, 403.
    case forbidden(String)
    /// The request names something that is not there to act on (an entitlement on no notice). Exit 2, as a refused
    /// request always was in the CLI; 404 in the service.
    case unknownTarget(String)

    /// The message shown to the person who asked.
    public var description: String {
        switch self {
        case .notFound(let message), .badRequest(let message), .forbidden(let message), .unknownTarget(let message): message
        }
    }
}

/// How a front end should answer a failure: each kind is one exit code in the CLI and one status in the service.
public enum FailureKind: Sendable, Equatable {
    /// Bad input: a refused file, invalid identifier or parameter; nothing was written (exit 2; HTTP 400 or 422).
    case badInput
    /// An event id already recorded with other content (exit 2; HTTP 409).
    case conflict
    /// Nothing found (exit 1; HTTP 404).
    case notFound
    /// A request that names something not there to act on: an entitlement on no notice, an audit of a year no pack
    /// sets a floor for (exit 2, bad input, so that an audit's exit 1 still means findings; HTTP 404).
    case unknownTarget
    /// Outside the caller's role or scope; nothing written (exit 2; HTTP 403).
    case forbidden
    /// Another writer holds the ledger longer than the busy timeout, or the ledger's server is unavailable
    /// (exit 2; HTTP 503: try again).
    case busy
    /// The chain or its guards do not verify (exit 3; HTTP 500).
    case integrity

    /// Classifies any error a use case throws.
    public init(_ error: any Error) {
        switch error {
        case let error as LedgerError:
            switch error {
            case .integrity: self = .integrity
            case .conflicts: self = .conflict
            case .busy, .unavailable: self = .busy
            default: self = .badInput
            }
        case is Audits.AuditError:
            self = .unknownTarget   // no adopted pack sets the audit's floor for that year: nothing to audit against
        case let error as OperationError:
            switch error {
            case .notFound: self = .notFound
            case .forbidden: self = .forbidden
            case .badRequest: self = .badInput
            case .unknownTarget: self = .unknownTarget
            }
        default:
            self = .badInput
        }
    }
}
