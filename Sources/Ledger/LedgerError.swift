import SkillsDomain

/// What can go wrong in the ledger, each with the context a person needs to act on it.
public enum LedgerError: Error, Sendable, CustomStringConvertible {
    /// No ledger file at the path (read commands never create one).
    case missing(path: String)
    /// The file exists but is not a SkillsLedger ledger (or is damaged beyond opening).
    case notALedger(path: String, reason: String)
    /// Events whose id is already recorded with different content; the whole batch was refused.
    case conflicts([Conflict])
    /// The chain or the schema's guarantees do not hold.
    case integrity(IntegrityFailure)
    /// The ledger is busy with another writer for longer than the wait allows.
    case busy(path: String, seconds: Int)
    /// A request that the ledger's state refuses (for example a payment in a closed month).
    case refused(String)
    /// The ledger's server cannot be reached or dropped the connection (PostgreSQL stopped, restarting, or cut the
    /// session): nothing of the interrupted transaction was kept, and the same request may be tried again.
    case unavailable(String)

    /// An event id submitted again with content different from what the ledger holds under it.
    public struct Conflict: Sendable, CustomStringConvertible {
        /// The event id in conflict.
        public var id: String
        /// Where the conflicting submission came from: `file:line` for a file's row, else the command.
        public var origin: String
        /// The sequence number of the event already recorded under that id.
        public var recordedSeq: Int64
        /// Which columns differ from the recorded event: `differs in ` and a list of `kind`, `occurred_on`, `source`,
        /// `worker`, `employer`, `data`.
        public var differences: String

        /// A conflict found by another backend's batch (`LedgerPostgres`).
        package init(id: String, origin: String, recordedSeq: Int64, differences: String) {
            self.id = id
            self.origin = origin
            self.recordedSeq = recordedSeq
            self.differences = differences
        }
        public var description: String {
            "\(origin): event id \(id) is already recorded (seq \(recordedSeq)) with different content (\(differences)); " +
                "an id names one event for good: use a new id, or reverse the old event"
        }
    }

    public var description: String {
        switch self {
        case .missing(let path): "no ledger at \(path): create one with `skills-ledger init --ledger \(path)`"
        case .notALedger(let path, let reason): "\(path) is not a SkillsLedger ledger: \(reason)"
        case .conflicts(let conflicts):
            "batch refused, nothing recorded: \(conflicts.count) conflicting event id(s)\n" + conflicts.map { "  " + $0.description }.joined(separator: "\n")
        case .integrity(let failure): failure.description
        case .busy(let path, let seconds): "the ledger \(path) is busy with another writer; gave up after \(seconds) s: try again"
        case .refused(let message): message
        case .unavailable(let message): message
        }
    }
}

/// Where verification found the ledger not to be what it recorded.
public struct IntegrityFailure: Error, Sendable, CustomStringConvertible {
    /// The first sequence number that does not verify (nil when the failure is not one row's).
    public var seq: Int64?
    /// The id of the event at `seq`, when one row is at fault.
    public var eventID: String?
    /// What does not match, for a person to read.
    public var reason: String

    /// Creates a failure; `seq` and `eventID` are nil when no single row is at fault.
    public init(seq: Int64?, eventID: String?, reason: String) {
        self.seq = seq
        self.eventID = eventID
        self.reason = reason
    }

    public var description: String {
        if let seq {
            return "integrity failure at seq \(seq)\(eventID.map { " (event \($0))" } ?? ""): \(reason)"
        }
        return "integrity failure: \(reason)"
    }
}
