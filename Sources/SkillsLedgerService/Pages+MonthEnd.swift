import Foundation
import Hummingbird
import HummingbirdAuth
import Reports
import Rules
import SkillsDomain
import SkillsLedgerCore

/// The bureau's month end: publishing the public notice and granting, with the scope checks of `POST /v1/notices`
/// and `POST /v1/grants`.
extension Pages {
    /// `GET /notices`: the form.
    func noticeForm(_ request: Request, context: Context) async throws -> Response {
        try formPage("notice", request, context, ["jurisdiction", "month", "from", "days"])
    }

    /// `POST /notices` (jurisdiction, month, from, days; the calendar as an optional YAML file): the notice as
    /// published (or as published before), with links to its files.
    func publishNotice(_ request: Request, context: Context) async throws -> Response {
        let (identity, form, period) = try await monthForm(request, context)
        defer { form.remove() }
        let (from, days) = try Routes.noticePeriod(from: form.fields["from"], days: form.fields["days"])
        let calendar = try form.files["calendar"].map { file in
            guard file.bytes <= 1024 * 1024 else { throw ServiceError(.contentTooLarge, "\(file.filename): a calendar is 1 MiB at most") }
            return try WorkingCalendar.load(text: try String(contentsOfFile: file.path, encoding: .utf8), file: file.filename)
        }
        let report = try await routes.atWriteGate { ledgers in
            try await Notices(try await ledgers.session(for: identity)).publish(period, from: from, days: days, calendar: calendar)
        }
        var values = Self.formValues(form, ["jurisdiction", "month", "from", "days"])
        var notice = PageValues.of(report)
        notice["entries"] = (notice["entries"] as? [[String: Any]] ?? []).enumerated().map { index, entry in
            entry.merging(["number": index + 1]) { first, _ in first }
        }
        notice["recorded"] = report.recorded  // the API's 201 or 200; not a field of the notice's JSON
        values["notice"] = notice
        return render("notice", request, context, values)
    }

    /// `GET /notices/download?jurisdiction=&month=&format=html|csv|xlsx`: the latest notice as a file to save.
    func noticeDownload(_ request: Request, context: Context) async throws -> Response {
        try await download("notice", request, context, routes.notice)
    }

    /// `GET /grants`: the form.
    func grantForm(_ request: Request, context: Context) async throws -> Response { try formPage("grant", request, context) }

    /// `POST /grants` (jurisdiction, month): what was granted, clawed back, adjusted, and what was held back and why.
    func grant(_ request: Request, context: Context) async throws -> Response {
        let (identity, form, period) = try await monthForm(request, context)
        defer { form.remove() }
        let report = try await routes.atWriteGate { ledgers in try await MonthEnd(try await ledgers.session(for: identity), period).grant() }
        var values = Self.formValues(form, ["jurisdiction", "month"])
        var grant = PageValues.of(report)
        PageValues.truncate(&grant, "grants", to: Self.listedEntitlements)
        grant["changed_only"] = report.result.scope.workers != nil
        values["grant"] = grant
        return render("grant", request, context, values)
    }

    /// A posted form's `names` as the form shows them again (`query.NAME`).
    static func formValues(_ form: PageForm, _ names: [String]) -> [String: Any] {
        ["query": form.fields.filter { names.contains($0.key) }]
    }
}
