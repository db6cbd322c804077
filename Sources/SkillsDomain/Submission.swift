/// One event offered to the ledger, with the personal data that came with it and where it came from
/// (`file:line`), so that a refusal can point at the row.
public struct Submission: Sendable {
    /// The event to append.
    public var event: Event
    /// The personal data (the name) for the registry, kept out of the chain.
    public var personal: PersonalData
    /// Where the event came from, for messages about it: `file:line` for a file's row, else the command (`reopen`,
    /// `grant 420300 2026-03`).
    public var origin: String

    /// An event offered from `origin`, with the personal data that came with it.
    public init(event: Event, personal: PersonalData = PersonalData(), origin: String) {
        self.event = event
        self.personal = personal
        self.origin = origin
    }
}
