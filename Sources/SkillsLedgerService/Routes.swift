import Foundation
import Hummingbird
import HummingbirdAuth
import Ledger
import Reconciliation
import Reports
import SkillsDomain
import SkillsLedgerCore

/// The routes of SPEC.md's endpoint table that this build serves. Each one: check the role (middleware) and the
/// scope (here), call one use case, answer with the report the CLI's `--format json` writes.
struct Routes: Sendable {
    typealias Context = ServiceRequestContext
    let ledgers: LedgerAccess
    let bodyLimitBytes: Int
    let limits: ServiceLimits
    let verifying = VerifyGate()
    let uploads: UploadSlots

    init(ledgers: LedgerAccess, bodyLimitBytes: Int, limits: ServiceLimits) {
        self.ledgers = ledgers
        self.bodyLimitBytes = bodyLimitBytes
        self.limits = limits
        uploads = UploadSlots(capacity: limits.maxUploads)
    }

    func add(to router: Router<Context>) {
        router.get("healthz") { _, _ in Reply(body: Data("{\"status\":\"ok\"}\n".utf8)).response }
        router.get("openapi.yaml") { _, _ in Reply(contentType: "application/yaml; charset=utf-8", body: Data(OpenAPI.yaml.utf8)).response }
        let v1 = router.group("v1").add(middleware: TokenAuthenticator(ledgers: ledgers))
        func allow(_ roles: AccessRole...) -> RouterGroup<Context> { Self.allow(Set(roles), in: v1) }
        allow(.institution, .bureau).post("batches", use: submitBatch)
        allow(.bureau, .auditor).get("workers/:id", use: worker)
        allow(.bureau, .auditor).get("workers/:id/credits", use: credits)
        allow(.bureau, .finance, .auditor).get("entitlements", use: entitlements)
        allow(.bureau).post("grants", use: grant)
        allow(.bureau).post("notices", use: publishNotice)
        allow(.bureau).get("notices/:jurisdiction/:month", use: notice)
        allow(.bureau).post("objections", use: object)
        allow(.bureau).post("objections/:entitlement/resolution", use: resolve)
        allow(.finance).post("payouts", use: payouts)
        allow(.finance, .auditor).get("reconciliations/:jurisdiction/:month", use: reconciliation)
        allow(.finance).post("periods/:jurisdiction/:month/close", use: close)
        allow(.finance).post("periods/:jurisdiction/:month/reopen", use: reopen)
        allow(.bureau, .auditor).get("audits/budget", use: budgetAudit)
        allow(.bureau, .auditor).get("audits/employers", use: employerAudit)
        allow(.institution, .bureau, .finance, .auditor).get("digest", use: digest)
        allow(.institution, .bureau, .finance, .auditor).get("verify", use: verify)
    }

    /// A group of `parent` for the tokens of `roles`: 401 without an identity, 403 for another role.
    static func allow(_ roles: Set<AccessRole>, in parent: RouterGroup<Context>) -> RouterGroup<Context> {
        parent.group().add(middleware: AuthorizationPolicyMiddleware(AllowedRoles(roles: roles),
            deniedError: ServiceError(.forbidden, "a token of this role may not use this route"), context: Context.self))
    }

    // MARK: Writes

    func submitBatch(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        let fileExtension: String
        if contentType.hasPrefix("text/csv") { fileExtension = "csv" } else if contentType.hasPrefix("application/x-ndjson")
            || contentType.hasPrefix("application/jsonl") || contentType.hasPrefix("application/json-lines") {
            fileExtension = "jsonl"
        } else {
            throw ServiceError(.unsupportedMediaType, "send the batch as text/csv or application/x-ndjson (found \(contentType.isEmpty ? "no Content-Type" : contentType))")
        }
        // An institution's CSV rows take its own code as their source; a bureau's take the row's jurisdiction,
        // institution or issuer column, as `submit` does.
        let defaultSource = identity.role == .institution ? identity.scope : nil
        return try await write(request, identity: identity, upload: fileExtension) { session, upload in
            let receipt = try await SubmitBatch(session).record(file: upload!.path, defaultSource: defaultSource, identity: identity,
                                                                name: "upload.\(fileExtension)")
            return Reply(receipt, status: .created)
        }.response
    }

    func grant(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        let period = try Self.period(request.uri.queryParameters.get("jurisdiction"), request.uri.queryParameters.get("month"), identity)
        let allWorkers = try Self.flag(request.uri.queryParameters.get("all_workers"), "all_workers")
        return try await write(request, identity: identity) { session, _ in
            Reply(try await MonthEnd(session, period).grant(allWorkers: allWorkers))
        }.response
    }

    func payouts(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        let period = try Self.period(request.uri.queryParameters.get("jurisdiction"), request.uri.queryParameters.get("month"), identity)
        return try await write(request, identity: identity, upload: "csv") { session, upload in
            let payouts = Payouts(session, period)
            _ = try await payouts.recordPayments(file: upload!.path)
            return try await Self.reconciliationReply(payouts, try await payouts.reconcile(), format: .json)
        }.response
    }

    func close(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        let period = try Self.period(context.pathParameter("jurisdiction"), context.pathParameter("month"), identity)
        return try await write(request, identity: identity) { session, _ in
            let payouts = Payouts(session, period)
            var report = try await payouts.reconcile()
            report.closedBy = try await payouts.close(report)
            return try await Self.reconciliationReply(payouts, report, format: .json)
        }.response
    }

    func reopen(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        let period = try Self.period(context.pathParameter("jurisdiction"), context.pathParameter("month"), identity)
        let (fields, hash) = try await Self.jsonFields(request, ["reason"], example: #"{"reason": "why the month is reopened"}"#)
        let reason = fields["reason"]!
        return try await write(request, identity: identity, bodySHA256: hash) { session, _ in
            let eventID = try await Payouts(session, period).reopen(reason: reason)
            return Reply(body: Data((CanonicalJSONWriter.string(.object([
                JSONMember("reopened", .string(eventID)), JSONMember("jurisdiction", .string(period.jurisdiction.value)),
                JSONMember("month", .string(period.month.description)),
            ])) + "\n").utf8))
        }.response
    }

    /// A write: the body (if any) into a temporary file, then under the write gate the idempotency check and the use
    /// case, in a session whose operator is the token's `NAME (ROLE)`. The file is removed whatever happened.
    /// `bodySHA256` is the hash of a body read before (a small JSON one), so that `Idempotency-Key` tells requests
    /// with different bodies apart; an upload's own hash is used otherwise.
    /// An upload holds one of `--max-uploads` slots from its first byte until its write is done.
    func write(_ request: Request, identity: AccessIdentity, upload fileExtension: String? = nil, bodySHA256: Data? = nil,
               _ body: @escaping @Sendable (Session, Upload?) async throws -> Reply) async throws -> Reply {
        guard let fileExtension else { return try await record(request, identity: identity, upload: nil, bodySHA256: bodySHA256, body) }
        let bodyLimitBytes = bodyLimitBytes
        return try await uploads.withSlot(waitingAtMost: limits.uploadWait) {
            let upload = try await Upload.receive(request, extension: fileExtension, limitBytes: bodyLimitBytes)
            return try await record(request, identity: identity, upload: upload, bodySHA256: bodySHA256, body)
        }
    }

    private func record(_ request: Request, identity: AccessIdentity, upload: Upload?, bodySHA256: Data?,
                        _ body: @escaping @Sendable (Session, Upload?) async throws -> Reply) async throws -> Reply {
        defer { upload?.remove() }
        return try await atWriteGate(upload: upload?.path) { ledgers in
            try await Idempotency.run(request, identity: identity, ledgers: ledgers, bodySHA256: upload?.bodySHA256 ?? bodySHA256 ?? Data()) {
                try await body(try await ledgers.session(for: identity), upload)
            }
        }
    }

    /// Runs `body` once every write before it has finished, one write at a time (the API's writes and the pages'
    /// alike); an error comes out as the service answers it, the temporary path of an upload named `upload`.
    func atWriteGate<T: Sendable>(upload: String? = nil, _ body: @escaping @Sendable (LedgerAccess) async throws -> T) async throws -> T {
        let ledgers = ledgers
        do { return try await ledgers.writing(body) } catch { throw ServiceError(error, upload: upload) }
    }

    // MARK: Reads

    func worker(_ request: Request, context: Context) async throws -> Response {
        let id = try context.requirePathParameter("id")
        return Reply(try await WorkerLookup(try await readableWorker(id, request, context)).report(for: id)).response
    }

    func credits(_ request: Request, context: Context) async throws -> Response {
        let id = try context.requirePathParameter("id")
        return Reply(try await WorkerLookup(try await readableWorker(id, request, context)).credits(for: id)).response
    }

    /// A session for a worker route, once the worker is known to lie in the token's scope (a national token sees
    /// every worker; another one a worker registered in its jurisdiction at some time).
    func readableWorker(_ id: String, _ request: Request, _ context: Context) async throws -> Session {
        try await readableWorker(id, asOf: request.uri.queryParameters.get("as_of"), context)
    }

    /// As `readableWorker(_:_:_:)`, as of the day `asOf` says (nil: now).
    func readableWorker(_ id: String, asOf: String?, _ context: Context) async throws -> Session {
        let identity = try context.requireIdentity()
        let session = try await readSession(asOf: asOf, identity)
        if identity.jurisdiction?.isNational == true { return session }
        let jurisdictions = try await WorkerLookup(session).jurisdictions(of: id)
        if jurisdictions.isEmpty { throw OperationError.notFound("no events for \(CitizenID.mask(id)) in the ledger") }
        guard jurisdictions.contains(where: identity.covers) else {
            throw ServiceError(.forbidden, "this worker is not registered in this token's jurisdiction \(identity.scope ?? "")")
        }
        return session
    }

    func entitlements(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        let query = request.uri.queryParameters
        let period = try Self.period(query.get("jurisdiction"), query.get("month"), identity)
        return Reply(try await MonthEnd(try await readSession(request, identity), period).entitlements()).response
    }

    func reconciliation(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        let period = try Self.period(context.pathParameter("jurisdiction"), context.pathParameter("month"), identity)
        return try await reconciliation(period, format: try Self.format(request), identity).response
    }

    /// The month's reconciliation as a report file in `format` (xlsx through a temporary workbook).
    func reconciliation(_ period: JurisdictionMonth, format: ReportFormat, _ identity: AccessIdentity) async throws -> Reply {
        let payouts = Payouts(try await ledgers.session(for: identity), period)
        let report = try await payouts.reconcile()
        if format == .xlsx { return try await Self.workbook { try await payouts.write(report, to: $0, unmasked: false) } }
        return try await Self.reconciliationReply(payouts, report, format: format)
    }

    func budgetAudit(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        let year = try Self.year(request.uri.queryParameters.get("year"))
        let report = try await Compliance(try await readSession(request, identity)).budget(year: year, within: identity.jurisdiction)
        return Reply(report).response
    }

    func employerAudit(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        let year = try Self.year(request.uri.queryParameters.get("year"))
        return Reply(try await Compliance(try await readSession(request, identity)).employers(year: year)).response
    }

    func digest(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        return Reply(try await Integrity(try await readSession(request, identity)).digest()).response
    }

    /// The session a read answers from: the ledger as recorded by the end of the query's `as_of` day when it gives
    /// one (`Session.asOf`, as the CLI's `--as-of`), else the ledger now. 400 for a malformed day.
    func readSession(_ request: Request, _ identity: AccessIdentity) async throws -> Session {
        try await readSession(asOf: request.uri.queryParameters.get("as_of"), identity)
    }

    /// The session of a read as of the day `text` names (nil: now); 400 for a malformed day.
    func readSession(asOf text: String?, _ identity: AccessIdentity) async throws -> Session {
        let session = try await ledgers.session(for: identity)
        guard let text else { return session }
        guard let day = LocalDate.parse(text) else { throw ServiceError.badParameter("as_of", "a day YYYY-MM-DD (found \(text))") }
        return try await session.asOf(day)
    }

    func verify(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        guard await verifying.begin() else { throw ServiceError(.serviceUnavailable, "a verify is already running: try again when it has finished") }
        do {
            let receipt = try await Integrity(try await ledgers.session(for: identity)).verify()
            await verifying.finished()
            return Reply(receipt).response
        } catch {
            await verifying.finished()
            throw error
        }
    }

    // MARK: Parameters

    static func reconciliationReply(_ payouts: Payouts, _ report: ReconciliationReport, format: ReportFormat) async throws -> Reply {
        var text = ""
        try await payouts.write(report, format: format, unmasked: false) { text += $0 }
        return Reply(contentType: Reply.contentType(format), body: Data(text.utf8))
    }

    /// The jurisdiction and month of a route, 400 when malformed, 403 when outside the token's scope.
    static func period(_ jurisdiction: String?, _ month: String?, _ identity: AccessIdentity) throws -> JurisdictionMonth {
        guard let jurisdiction else { throw ServiceError.badParameter("jurisdiction", "required (a jurisdiction code, e.g. 420300)") }
        guard let month else { throw ServiceError.badParameter("month", "required (YYYY-MM)") }
        let period: JurisdictionMonth
        do { period = JurisdictionMonth(try JurisdictionCode(jurisdiction), try Month(parsing: month)) } catch {
            throw ServiceError(.badRequest, "\(error)")
        }
        guard identity.covers(period.jurisdiction) else {
            throw ServiceError(.forbidden, "jurisdiction \(jurisdiction) lies outside this token's scope \(identity.scope ?? "")")
        }
        return period
    }

    /// The query's `format` of a report route: json (when absent), csv, html or xlsx; 400 otherwise.
    static func format(_ request: Request) throws -> ReportFormat {
        let text = request.uri.queryParameters.get("format") ?? "json"
        guard let format = ReportFormat(rawValue: text), [.json, .csv, .html, .xlsx].contains(format) else {
            throw ServiceError.badParameter("format", "json, csv, html or xlsx (found \(text))")
        }
        return format
    }

    /// An Excel workbook answer: `write` puts it at a temporary path, as the CLI's `--format xlsx --output FILE`
    /// does; it is read back and removed.
    static func workbook(_ write: (ReportDestination) async throws -> Void) async throws -> Reply {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skills-ledger-xlsx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("report.xlsx")
        try await write(try ReportDestination(format: .xlsx, path: file.path))
        return Reply(contentType: Reply.contentType(.xlsx), body: try Data(contentsOf: file))
    }

    /// An optional `true` / `false` parameter (absent: false).
    static func flag(_ text: String?, _ name: String) throws -> Bool {
        switch text {
        case nil, "false": return false
        case "true": return true
        case let other?: throw ServiceError.badParameter(name, "true or false (found \(other))")
        }
    }

    static func year(_ text: String?) throws -> Int {
        guard let text, let year = Int(text), (1900...2200).contains(year) else {
            throw ServiceError.badParameter("year", "required, a year YYYY of 1900–2200 (found \(text ?? "nothing"))")
        }
        return year
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async throws -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}
