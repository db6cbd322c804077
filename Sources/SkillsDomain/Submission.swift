/// One event offered to the ledger, with the personal data that came with it and where it came from
/// (`file:line`), so that a refusal can point at the row.
public struct Submission: Sendable {
    public var event: Event
    public var personal: PersonalData
    public var origin: String

    public init(event: Event, personal: PersonalData = PersonalData(), origin: String) {
        self.event = event
        self.personal = personal
        self.origin = origin
    }
}
