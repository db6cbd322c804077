import Ledger
import Reports
import Rules
import SkillsDomain

/// Public notice (公示) and objections (异议), SPEC.md "Public notice": publish a month's list for a number of
/// working days (`notice`), record an objection to one entitlement (`object`) and its outcome (`resolve`). `grant`
/// holds back what a notice or an open objection holds (`NoticeBook`).
public struct Notices: Sendable {
    /// The ledger, operator and date the operations run with.
    public var session: Session

    /// The operations on `session`'s ledger.
    public init(_ session: Session) { self.session = session }

    /// Working days when neither `--days` nor any listed pack says (SPEC.md: commonly 5 个工作日).
    public static let defaultDays = 5

    /// Records `notice.published` for the month's entitlements of `period` (those not withdrawn) and renders the list.
    /// Publishing the same list with the same dates again records nothing.
    /// - Parameters:
    ///   - from: the first day of the notice (counted when it is a working day).
    ///   - days: working days, overriding the packs' `notice.working_days` (1–30).
    ///   - calendar: the working-day calendar (without one, Monday to Friday; a note says so).
    /// - Throws: `OperationError.notFound` when the month has nothing to list; `.badRequest` for days out of range.
    public func publish(_ period: JurisdictionMonth, from: LocalDate, days: Int? = nil, calendar: WorkingCalendar? = nil) async throws -> NoticeReport {
        if let days, !(1...30).contains(days) { throw OperationError.badRequest("--days must be 1–30 working days, found \(days)") }
        let ledger = session.ledger
        let context = try await RulesContext.load(ledger)
        let book = try await NoticeBook.load(ledger, inForce: context.inForce)
        let listed = try await MonthEnd(session, period).entitlements()
        let entitlements = listed.entitlements.filter { !book.isWithdrawn($0.id) }
        guard !entitlements.isEmpty else { throw OperationError.notFound("no entitlements for \(period): nothing to post") }
        let required = entitlements.compactMap { context.policies.noticeDays(for: $0) }.max()
        let workingDays = days ?? required ?? Notices.defaultDays
        if let required, workingDays < required {
            session.observer.note("warning: --days \(workingDays) is shorter than the \(required) working days a listed pack requires")
        }
        let calendar = calendar ?? .weekdaysOnly
        let until = calendar.until(from: from, workingDays: workingDays)
        let uncovered = Set([from.year, until.year]).subtracting(calendar.years).sorted()
        if !uncovered.isEmpty {
            session.observer.note("note: no calendar for \(uncovered.map(String.init).joined(separator: ", ")): counted Monday to Friday, without holidays (--calendar FILE)")
        }
        var report = NoticeReport(jurisdiction: period.jurisdiction.value, month: period.month, from: from, until: until, days: workingDays,
                                  entries: try await entries(entitlements, identities: listed.identities, policies: context.policies))
        let ids = entitlements.map(\.id)
        let earlier = book.notices.filter { $0.jurisdiction == period.jurisdiction.value && $0.month == period.month }
        if let same = earlier.first(where: { $0.from == from && $0.until == until && $0.entitlements == ids }) {
            (report.noticeID, report.recorded) = (same.id, false)
            return report
        }
        report.noticeID = "notice:\(period.jurisdiction.value):\(period.month):\(earlier.count + 1)"
        let event = Event(id: report.noticeID, kind: .noticePublished, occurredOn: from, source: period.jurisdiction.value, data: EventData([
            ("jurisdiction", .text(period.jurisdiction.value)), ("month", .month(period.month)), ("from", .date(from)), ("until", .date(until)),
            ("days", .integer(Int64(workingDays))), ("entitlements", .list(ids)), ("digest", .text(report.digest)),
        ]))
        _ = try await ledger.append([Submission(event: event, origin: "notice")], operatorName: session.operatorName, recordedAt: Timestamp.now())
        return report
    }

    /// The latest notice published for `period`, shown again: its dates and working days as recorded, its lines
    /// the month's entitlements it listed (masked as `publish` shows them), in its order. Records nothing.
    /// - Throws: `OperationError.notFound` when no notice of that month is in force.
    public func latest(_ period: JurisdictionMonth) async throws -> NoticeReport {
        let ledger = session.ledger
        let context = try await RulesContext.load(ledger)
        let book = try await NoticeBook.load(ledger, inForce: context.inForce)
        guard let notice = book.notices.last(where: { $0.jurisdiction == period.jurisdiction.value && $0.month == period.month }),
              let stored = try await ledger.event(id: notice.id) else {
            throw OperationError.notFound("no notice published for \(period)")
        }
        let listed = try await MonthEnd(session, period).entitlements()
        let byID = Dictionary(listed.entitlements.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let entitlements = notice.entitlements.compactMap { byID[$0] }
        if entitlements.count < notice.entitlements.count {
            session.observer.note("note: \(notice.entitlements.count - entitlements.count) entitlement(s) of \(notice.id) are no longer computed for \(period)")
        }
        let days = stored.event.data.integer("days").map { Int($0) } ?? Notices.defaultDays
        return NoticeReport(jurisdiction: notice.jurisdiction, month: notice.month, from: notice.from, until: notice.until, days: days,
                            entries: try await entries(entitlements, identities: listed.identities, policies: context.policies),
                            noticeID: notice.id, recorded: false)
    }

    /// The jurisdiction of the latest notice (or grant) naming the entitlement: the one an objection to it is
    /// recorded under, for a caller that checks its scope before `object` or `resolve`.
    /// - Throws: `OperationError.badRequest` as `object` does for an id no notice or grant names, or one withdrawn.
    public func jurisdiction(of entitlement: String) async throws -> JurisdictionCode {
        try JurisdictionCode(try await state(of: entitlement).1)
    }

    /// The list's lines, masked as a public notice shows them.
    func entries(_ entitlements: [Entitlement], identities: [String: String], policies: PolicySet) async throws -> [NoticeReport.Entry] {
        var names: [String: String] = [:]
        for worker in Set(entitlements.map(\.worker)) { names[worker] = try await session.ledger.registryEntry(pseudonym: worker)?.name }
        let masking = IdentifierMasking(identities: identities, masked: true)
        let titles = Dictionary(policies.packs.flatMap(\.rules).map { ($0.name, $0.titleZH) }, uniquingKeysWith: { first, _ in first })
        return entitlements.map { entitlement in
            NoticeReport.Entry(entitlement: entitlement.id, name: names[entitlement.worker].map(IdentifierMasking.maskName) ?? "",
                               worker: masking.show(entitlement.worker), payee: masking.show(entitlement.payee),
                               item: titles[entitlement.rule] ?? entitlement.rule, amount: entitlement.amount)
        }
    }

    /// Records `objection.filed` against an entitlement that a notice listed (or that was granted).
    /// - Throws: `OperationError.badRequest` for a blank reason, an entitlement no notice or grant names, or one withdrawn.
    public func object(_ entitlement: String, reason: String) async throws -> NoticeAction {
        let (book, jurisdiction) = try await state(of: entitlement)
        let filed = book.objections[entitlement]?.filed ?? []
        let event = Event(id: "objection:\(entitlement):\(filed.count + 1)", kind: .objectionFiled, occurredOn: session.today,
                          source: jurisdiction, data: EventData([("entitlement", .text(entitlement)), ("reason", .text(try checked(reason)))]))
        try await record(event, origin: "object")
        return NoticeAction(event: event.id, entitlement: entitlement, outcome: "open",
                            summary: "异议已登记，发放暂缓至处理完毕 / objection recorded: \(entitlement) is held until it is resolved")
    }

    /// Records `objection.resolved` for every open objection against the entitlement: upheld withdraws it (a
    /// clawback at the next `grant` if it was granted); dismissed lets the next `grant` after the notice grant it.
    /// - Throws: `OperationError.badRequest` when no objection is open, or the reason is blank.
    public func resolve(_ entitlement: String, upheld: Bool, reason: String) async throws -> NoticeAction {
        let (book, jurisdiction) = try await state(of: entitlement)
        let open = book.objections[entitlement]?.open ?? []
        guard !open.isEmpty else { throw OperationError.badRequest("no open objection against \(entitlement): nothing to resolve") }
        let outcome = upheld ? "upheld" : "dismissed"
        let resolutions = (book.objections[entitlement]?.resolved.count ?? 0) + 1
        let event = Event(id: "resolved:\(entitlement):\(resolutions)", kind: .objectionResolved, occurredOn: session.today, source: jurisdiction,
                          data: EventData([("entitlement", .text(entitlement)), ("outcome", .text(outcome)), ("objections", .list(open)),
                                           ("reason", .text(try checked(reason)))]))
        try await record(event, origin: "resolve")
        let summary = upheld ? "异议成立，该项撤销（已核定的将在下次核定时追回）/ upheld: \(entitlement) is withdrawn (clawed back at the next grant if granted)"
                             : "异议不成立，公示期满后照常核定 / dismissed: \(entitlement) is granted by the first grant after its notice ends"
        return NoticeAction(event: event.id, entitlement: entitlement, outcome: outcome, summary: summary)
    }

    /// The notices and objections, and the jurisdiction of the latest notice (or grant) naming the entitlement.
    func state(of entitlement: String) async throws -> (NoticeBook, String) {
        guard EventID.isValid(entitlement) else { throw OperationError.badRequest("\(entitlement) is not an entitlement id (as `notice` prints it)") }
        let context = try await RulesContext.load(session.ledger)
        let book = try await NoticeBook.load(session.ledger, inForce: context.inForce)
        if let upheld = book.objections[entitlement]?.upheldBy {
            throw OperationError.badRequest("\(entitlement) was withdrawn by \(upheld) (objection upheld)")
        }
        let granted = context.grants.last { $0.entitlement == entitlement && !context.inForce.isReversed($0.id) }
        guard let jurisdiction = book.notices(listing: entitlement).last?.jurisdiction ?? granted?.jurisdiction else {
            throw OperationError.unknownTarget("\(entitlement) is on no public notice and was never granted: publish the month's list with `notice` first")
        }
        return (book, jurisdiction)
    }

    func checked(_ reason: String) throws -> String {
        let reason = reason.trimmingSpaces
        guard reason.contains(where: { !$0.isWhitespace }) else { throw OperationError.badRequest("--reason must say why") }
        _ = try FieldReader.readText(reason, as: EventCatalogue.spec(for: .objectionFiled).field("reason")!.type)
        return reason
    }

    func record(_ event: Event, origin: String) async throws {
        _ = try await session.ledger.append([Submission(event: event, origin: origin)], operatorName: session.operatorName, recordedAt: Timestamp.now())
    }
}
