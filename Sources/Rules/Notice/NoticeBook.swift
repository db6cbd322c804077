import Ledger
import SkillsDomain

/// The public notices (公示) and objections (异议) recorded in a ledger, and what they mean for granting: an
/// entitlement whose pack declares `notice: {working_days: N}` is granted only after a notice that listed it has
/// ended (the run date is after its `until`) with no open objection; an upheld objection withdraws any entitlement.
///
/// ```swift
/// let book = try await NoticeBook.load(ledger, inForce: context.inForce)
/// if let hold = book.hold(entitlement, noticeDays: 5, on: today) { print(hold.reason) }
/// ```
///
/// Events cancelled by `event.reversed` count for nothing: reversing an upheld resolution restores the entitlement.
public struct NoticeBook: Sendable {
    /// One `notice.published` event.
    public struct Notice: Sendable, Equatable {
        /// The id of the `notice.published` event.
        public var id: String
        /// The GB/T 2260 code of the jurisdiction whose list it posts.
        public var jurisdiction: String
        /// The month of the entitlements it lists.
        public var month: Month
        /// The first day of the notice.
        public var from: LocalDate
        /// The notice's last working day: the period has ended on a run date after it.
        public var until: LocalDate
        /// The ids of the entitlements it lists.
        public var entitlements: [String]
    }

    /// The objections to one entitlement: every one filed, those resolved, and the upholding resolution if any.
    public struct Objections: Sendable, Equatable {
        /// The `objection.filed` event ids, in recording order.
        public var filed: [String] = []
        /// The ids of the objections an `objection.resolved` event has resolved.
        public var resolved: Set<String> = []
        /// The `objection.resolved` event that upheld an objection: the entitlement is withdrawn.
        public var upheldBy: String?
        /// Filed and not yet resolved, in filing order.
        public var open: [String] { filed.filter { !resolved.contains($0) } }
    }

    /// Why `grant` did not grant an entitlement this run (SPEC.md: it reports what it held back and why).
    public struct Hold: Sendable, Equatable {
        /// Why it is held; the raw value is the name JSON reports use.
        public enum Reason: String, Sendable {
            /// The pack requires a notice and no notice has listed the entitlement yet.
            case noNotice = "no-notice"
            /// A notice lists it, but its period has not ended on the run date.
            case noticeRunning = "notice-running"
            /// An objection against it is open.
            case objectionOpen = "objection-open"
        }
        /// The id of the entitlement held back.
        public var entitlement: String
        /// Why it is held back.
        public var reason: Reason
        /// The notice's last day, when a notice lists it.
        public var until: LocalDate?
        /// The open objections, for `objectionOpen`.
        public var objections: [String] = []

        /// A hold of `entitlement` for `reason`.
        public init(entitlement: String, reason: Reason, until: LocalDate? = nil, objections: [String] = []) {
            (self.entitlement, self.reason, self.until, self.objections) = (entitlement, reason, until, objections)
        }

        /// One line for people, Chinese first.
        public var explanation: String {
            switch reason {
            case .noNotice: "未公示 / not yet on a public notice"
            case .noticeRunning: "公示期至 \(until?.description ?? "?") 未满 / notice runs until \(until?.description ?? "?")"
            case .objectionOpen: "异议未处理 / objection open: \(objections.joined(separator: ", "))"
            }
        }
    }

    /// Every notice in force, in recording order.
    public var notices: [Notice] = []
    /// Entitlement id → its objections.
    public var objections: [String: Objections] = [:]
    /// Entitlement id → the notices that listed it (indices into `notices`), in recording order.
    var listings: [String: [Int]] = [:]

    /// An empty book.
    public init() {}

    /// Reads every notice and objection event in force, in recording order.
    public static func load(_ store: any LedgerStorage, inForce: EventsInForce) async throws -> NoticeBook {
        var book = NoticeBook()
        try await store.forEachEvent(kinds: [.noticePublished, .objectionFiled, .objectionResolved]) { stored in
            guard !inForce.isReversed(stored.event.id) else { return }
            book.note(stored.event)
        }
        return book
    }

    /// Takes one notice or objection event into account.
    public mutating func note(_ event: Event) {
        let data = event.data
        switch event.kind {
        case .noticePublished:
            guard let month = data.month("month"), let from = data.date("from"), let until = data.date("until") else { return }
            let entitlements = data.list("entitlements") ?? []
            for id in entitlements { listings[id, default: []].append(notices.count) }
            notices.append(Notice(id: event.id, jurisdiction: data.text("jurisdiction") ?? "", month: month, from: from, until: until,
                                  entitlements: entitlements))
        case .objectionFiled:
            guard let entitlement = data.text("entitlement") else { return }
            objections[entitlement, default: Objections()].filed.append(event.id)
        case .objectionResolved:
            guard let entitlement = data.text("entitlement") else { return }
            objections[entitlement, default: Objections()].resolved.formUnion(data.list("objections") ?? [])
            if data.text("outcome") == "upheld" { objections[entitlement]!.upheldBy = event.id }
        default:
            break
        }
    }

    /// The notices that listed an entitlement, in recording order.
    public func notices(listing entitlement: String) -> [Notice] { (listings[entitlement] ?? []).map { notices[$0] } }

    /// Whether an upheld objection withdrew the entitlement.
    public func isWithdrawn(_ entitlement: String) -> Bool { objections[entitlement]?.upheldBy != nil }

    /// Why the entitlement cannot be granted on `runDate`, or nil when nothing holds it. `noticeDays` is its pack's
    /// `notice.working_days` (nil: the pack requires no notice, and only an open objection holds it).
    public func hold(_ entitlement: String, noticeDays: Int?, on runDate: LocalDate) -> Hold? {
        if let open = objections[entitlement]?.open, !open.isEmpty {
            return Hold(entitlement: entitlement, reason: .objectionOpen, until: nil, objections: open)
        }
        guard noticeDays != nil else { return nil }
        let listed = notices(listing: entitlement)
        guard let earliest = listed.map(\.until).min() else { return Hold(entitlement: entitlement, reason: .noNotice, until: nil) }
        return runDate > earliest ? nil : Hold(entitlement: entitlement, reason: .noticeRunning, until: earliest)
    }
}

extension PolicySet {
    /// `notice.working_days` of the pack version an entitlement was computed under (nil when it requires none).
    public func noticeDays(for entitlement: Entitlement) -> Int? {
        versions[entitlement.policy]?.first { $0.version == entitlement.version }?.noticeWorkingDays
    }
}
