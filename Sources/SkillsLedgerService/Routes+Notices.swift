import Crypto
import Foundation
import Hummingbird
import HummingbirdAuth
import Ledger
import Reports
import Rules
import SkillsDomain
import SkillsLedgerCore

/// Public notice (公示) and objections (异议), SPEC.md "Public notice": the bureau publishes a month's list, reads
/// it back, records objections and their outcome. Each route maps HTTP to one `Notices` operation.
extension Routes {
    /// `POST /v1/notices?jurisdiction=&month=&from=[&days=]`: `notice`. The body, when there is one, is the working-day
    /// calendar (`application/yaml`, as `--calendar FILE`); without it working days are Monday to Friday, without
    /// holidays, as the CLI counts them without `--calendar`. 201 when recorded, 200 when the same notice already was.
    func publishNotice(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        let query = request.uri.queryParameters
        let period = try Self.period(query.get("jurisdiction"), query.get("month"), identity)
        let (from, days) = try Self.noticePeriod(from: query.get("from"), days: query.get("days"))
        let (calendar, hash) = try await Self.calendar(request)
        return try await write(request, identity: identity, bodySHA256: hash) { session, _ in
            let report = try await Notices(session).publish(period, from: from, days: days, calendar: calendar)
            return Reply(report, status: report.recorded ? .created : .ok)
        }.response
    }

    /// A notice's first day and its working days (nil: the policy's), 400 when malformed.
    static func noticePeriod(from fromText: String?, days daysText: String?) throws -> (LocalDate, Int?) {
        guard let fromText, !fromText.isEmpty else { throw ServiceError.badParameter("from", "required, the notice's first day YYYY-MM-DD") }
        guard let from = LocalDate.parse(fromText) else { throw ServiceError.badParameter("from", "a day YYYY-MM-DD (found \(fromText))") }
        let days = try daysText.flatMap { $0.isEmpty ? nil : $0 }.map { text in
            guard let days = Int(text) else { throw ServiceError.badParameter("days", "working days, 1–30 (found \(text))") }
            return days
        }
        return (from, days)
    }

    /// `GET /v1/notices/{jurisdiction}/{month}?format=json|html|csv|xlsx`: the latest notice of the month; 404 when none.
    func notice(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        let period = try Self.period(context.pathParameter("jurisdiction"), context.pathParameter("month"), identity)
        return try await notice(period, format: try Self.format(request), identity).response
    }

    /// The month's latest notice as a report file in `format` (xlsx through a temporary workbook); 404 when none.
    func notice(_ period: JurisdictionMonth, format: ReportFormat, _ identity: AccessIdentity) async throws -> Reply {
        let session = try await ledgers.session(for: identity)
        let report = try await Notices(session).latest(period)
        if format == .xlsx { return try await Self.workbook { try $0.write(report, session) } }
        return Reply(report, format: format)
    }

    /// `POST /v1/objections` `{"entitlement","reason"}`: `object`, in the scope of the entitlement's notice.
    func object(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        let (fields, hash) = try await Self.jsonFields(request, ["entitlement", "reason"], example: #"{"entitlement": "ID", "reason": "why"}"#)
        let entitlement = fields["entitlement"]!, reason = fields["reason"]!
        return try await write(request, identity: identity, bodySHA256: hash) { session, _ in
            let notices = Notices(session)
            try await Self.requireScope(identity, notices, entitlement)
            return Reply(try await notices.object(entitlement, reason: reason), status: .created)
        }.response
    }

    /// `POST /v1/objections/{entitlement}/resolution` `{"outcome": "upheld"|"dismissed", "reason"}`: `resolve`.
    func resolve(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        let entitlement = try context.requirePathParameter("entitlement")
        let example = #"{"outcome": "upheld" or "dismissed", "reason": "why"}"#
        let (fields, hash) = try await Self.jsonFields(request, ["outcome", "reason"], example: example)
        guard let outcome = fields["outcome"], ["upheld", "dismissed"].contains(outcome) else {
            throw ServiceError(.badRequest, "outcome must be \"upheld\" or \"dismissed\" (found \(fields["outcome"] ?? ""))")
        }
        let reason = fields["reason"]!
        return try await write(request, identity: identity, bodySHA256: hash) { session, _ in
            let notices = Notices(session)
            try await Self.requireScope(identity, notices, entitlement)
            return Reply(try await notices.resolve(entitlement, upheld: outcome == "upheld", reason: reason), status: .created)
        }.response
    }

    /// 403 when the notice that lists the entitlement lies outside the token's jurisdiction.
    static func requireScope(_ identity: AccessIdentity, _ notices: Notices, _ entitlement: String) async throws {
        let jurisdiction = try await notices.jurisdiction(of: entitlement)
        guard identity.covers(jurisdiction) else {
            throw ServiceError(.forbidden, "\(entitlement) lies in jurisdiction \(jurisdiction.value), outside this token's scope \(identity.scope ?? "")")
        }
    }

    /// The request's calendar (a YAML body of 1 MiB at most, as a `--calendar` file; 415 for another type, 422 naming
    /// line and field for a bad one), nil without a body; and the body's SHA-256 (for `Idempotency-Key`).
    static func calendar(_ request: Request) async throws -> (WorkingCalendar?, Data) {
        let bytes = Array(try await request.body.collect(upTo: 1024 * 1024).readableBytesView)
        guard !bytes.isEmpty else { return (nil, Data()) }
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard ["application/yaml", "application/x-yaml", "text/yaml"].contains(where: contentType.hasPrefix) else {
            throw ServiceError(.unsupportedMediaType, "send the calendar as application/yaml (found \(contentType.isEmpty ? "no Content-Type" : contentType))")
        }
        return (try WorkingCalendar.load(text: String(decoding: bytes, as: UTF8.self), file: "calendar"), Data(SHA256.hash(data: bytes)))
    }

    /// A small JSON object body (64 KiB at most) whose `names` are non-blank strings, and the body's SHA-256 (for
    /// `Idempotency-Key`); 400 naming `example` otherwise.
    static func jsonFields(_ request: Request, _ names: [String], example: String) async throws -> ([String: String], Data) {
        let bytes = Array(try await request.body.collect(upTo: 64 * 1024).readableBytesView)
        let bad = ServiceError(.badRequest, "the body must be \(example)")
        guard case .object(let members) = try? JSONParser.parse(bytes) else { throw bad }
        var fields: [String: String] = [:]
        for name in names {
            guard case .string(let text) = members.first(where: { $0.key == name })?.value, text.contains(where: { !$0.isWhitespace }) else { throw bad }
            fields[name] = text
        }
        return (fields, Data(SHA256.hash(data: bytes)))
    }
}
