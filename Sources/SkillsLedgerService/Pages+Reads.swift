import Hummingbird
import HummingbirdAuth
import Ledger
import Reconciliation
import Reports
import SkillsDomain
import SkillsLedgerCore

/// The pages that read: a worker (bureau, auditor) and a month's entitlements (bureau, finance, auditor), with the
/// scope checks of `GET /v1/workers/{id}` and `GET /v1/entitlements`.
extension Pages {
    /// Pages list at most this many entitlements; the API and the CLI give them all.
    static let listedEntitlements = 500

    /// `GET /worker[?id=&as_of=]`: the form, and the worker's events, levels, credits and entitlements.
    func worker(_ request: Request, context: Context) async throws -> Response {
        var values = Self.query(request, ["id", "as_of"])
        if let id = request.uri.queryParameters.get("id")?.trimmingSpaces, !id.isEmpty {
            // A date field left blank is sent empty: the ledger now.
            let asOf = request.uri.queryParameters.get("as_of").flatMap { $0.isEmpty ? nil : $0 }
            let report = try await WorkerLookup(try await routes.readableWorker(id, asOf: asOf, context)).report(for: id)
            values["worker"] = PageValues.of(report)
        }
        return render("worker", request, context, values)
    }

    /// `GET /entitlements[?jurisdiction=&month=]`: the form (the jurisdiction prefilled from the token's scope), and
    /// the month's entitlements with their explanations, parameters and evidence, pending adjustments and total.
    func entitlements(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        var values = Self.query(request, ["jurisdiction", "month"], identity)
        if let period = try Self.askedPeriod(request, identity) {
            var report = PageValues.of(try await MonthEnd(try await routes.readSession(request, identity), period).entitlements())
            PageValues.truncate(&report, "entitlements", to: Self.listedEntitlements)
            values["report"] = report
        }
        return render("entitlements", request, context, values)
    }

    /// The jurisdiction and month of the query once the form was sent (nil before), checked as the API checks them.
    static func askedPeriod(_ request: Request, _ identity: AccessIdentity) throws -> JurisdictionMonth? {
        let query = request.uri.queryParameters
        guard query.get("month") != nil else { return nil }
        return try Routes.period(query.get("jurisdiction"), query.get("month"), identity)
    }

    /// A form page: `template` with the query's `names` (jurisdiction and month unless told) filled in.
    func formPage(_ template: String, _ request: Request, _ context: Context, _ names: [String] = ["jurisdiction", "month"]) throws -> Response {
        render(template, request, context, Self.query(request, names, try context.requireIdentity()))
    }

    /// `GET /…/download?jurisdiction=&month=&format=html|csv|xlsx`: `answer`'s report file of the month, to save.
    func download(_ name: String, _ request: Request, _ context: Context,
                  _ answer: (JurisdictionMonth, ReportFormat, AccessIdentity) async throws -> Reply) async throws -> Response {
        let identity = try context.requireIdentity()
        guard let period = try Self.askedPeriod(request, identity) else { throw ServiceError.badParameter("month", "required (YYYY-MM)") }
        let format = try Routes.format(request)
        return Self.download(try await answer(period, format, identity), name: "\(name)-\(period.jurisdiction.value)-\(period.month)", format)
    }

    /// The query's `names` as the forms show them again (`query.NAME`); the jurisdiction, when none is given, is
    /// the token's own unless it is national; the month, when none is given, this month.
    static func query(_ request: Request, _ names: [String], _ identity: AccessIdentity? = nil) -> [String: Any] {
        var query: [String: String] = [:]
        for name in names { query[name] = request.uri.queryParameters.get(name) }
        if names.contains("jurisdiction"), query["jurisdiction"] == nil, let own = identity?.jurisdiction, !own.isNational {
            query["jurisdiction"] = own.value
        }
        if names.contains("month"), query["month"] == nil { query["month"] = String(LocalDate.today().description.prefix(7)) }
        return ["query": query]
    }
}
