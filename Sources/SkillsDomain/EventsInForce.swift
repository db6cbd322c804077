/// Which events still count: an event is in force unless an `event.reversed` cancels it, and a certificate's award
/// is in force unless, besides, a `certification.revoked` in force (itself not reversed) names its certificate.
/// Nothing is hidden: the reversed and revoked events stay in the ledger and in every history, marked.
///
/// Fed the reversals (and, where certificates matter, the revocations) in any order; the answers do not depend on it.
/// Reversals and revocations are held apart, so that a copy of a ledger-wide value given one worker's revocations
/// shares the reversals instead of copying them.
public struct EventsInForce: Sendable {
    /// Event id → the id of the `event.reversed` that cancels it.
    public private(set) var reversedBy: [String: String] = [:]
    /// Certificate number → the `certification.revoked` events that name it, in the order noted.
    private var revocations: [String: [String]] = [:]

    /// An empty record: every event is in force until reversals and revocations are noted.
    public init() {}

    /// Notes an `event.reversed` (`reversal`) that cancels `target`.
    public mutating func noteReversal(_ reversal: String, of target: String) {
        reversedBy[target] = reversal
    }

    /// Notes a `certification.revoked` (`revocation`) of `certificate`.
    public mutating func noteRevocation(_ revocation: String, of certificate: String) {
        revocations[certificate, default: []].append(revocation)
    }

    /// Notes `event` if it is a reversal or a revocation; any other event is left alone.
    public mutating func note(_ event: Event) {
        switch event.kind {
        case .eventReversed: if let target = event.data.text("target") { noteReversal(event.id, of: target) }
        case .certificationRevoked: if let certificate = event.data.text("certificate") { noteRevocation(event.id, of: certificate) }
        default: break
        }
    }

    /// Whether an `event.reversed` cancels the event of this id.
    public func isReversed(_ id: String) -> Bool { reversedBy[id] != nil }

    /// The last revocation in force of `certificate` (nil when it is not revoked).
    public func revocation(of certificate: String) -> String? {
        revocations[certificate]?.last { !isReversed($0) }
    }

    /// Whether the event still counts: not reversed, and for a certificate's award, the certificate not revoked.
    public func isInForce(_ event: Event) -> Bool {
        guard !isReversed(event.id) else { return false }
        guard event.kind == .certificationAwarded, !revocations.isEmpty else { return true }
        return revocation(of: event.data.text("certificate") ?? "") == nil
    }
}
