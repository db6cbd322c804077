import Hummingbird
import HummingbirdAuth
import Ledger
import Reconciliation
import Reports
import SkillsDomain
import SkillsLedgerCore

/// Finance's pages: the payout file and the reconciliation with its chart, the report files, closing and reopening
/// a month, with the scope checks of `POST /v1/payouts`, `GET /v1/reconciliations/…` and `/v1/periods/…`.
extension Pages {
    /// `GET /payouts`: the upload form.
    func payoutsForm(_ request: Request, context: Context) async throws -> Response { try formPage("payouts", request, context) }

    /// `POST /payouts` (jurisdiction, month, file: the bank's CSV): the payments recorded, then the reconciliation.
    func payouts(_ request: Request, context: Context) async throws -> Response {
        let (identity, form, period) = try await monthForm(request, context)
        defer { form.remove() }
        guard let file = form.files["file"] else { throw ServiceError(.badRequest, "请选择支付文件 Choose the payout file to upload.") }
        let (recording, report) = try await routes.atWriteGate(upload: file.path) { ledgers in
            let payouts = Payouts(try await ledgers.session(for: identity), period)
            return (try await payouts.recordPayments(file: file.path), try await payouts.reconcile())
        }
        var values = Self.formValues(form, ["jurisdiction", "month"])
        var reconciliation = try await reconciliationValues(Payouts(try await routes.ledgers.session(for: identity), period), report)
        reconciliation["payments"] = "\(file.filename): \(recording.rows) 行 rows, 新记录 recorded \(recording.result.recorded), 此前已记录 already recorded \(recording.result.alreadyRecorded)"
        values["reconciliation"] = reconciliation
        return render("payouts", request, context, values)
    }

    /// `GET /reconciliation[?jurisdiction=&month=]`: the form, and the month's reconciliation.
    func reconciliation(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        var values = Self.query(request, ["jurisdiction", "month"], identity)
        if let period = try Self.askedPeriod(request, identity) {
            let payouts = Payouts(try await routes.ledgers.session(for: identity), period)
            values["reconciliation"] = try await reconciliationValues(payouts, try await payouts.reconcile())
        }
        return render("reconciliation", request, context, values)
    }

    /// `GET /reconciliation/download?jurisdiction=&month=&format=html|csv|xlsx`: the report as a file to save.
    func reconciliationDownload(_ request: Request, context: Context) async throws -> Response {
        try await download("reconciliation", request, context, routes.reconciliation)
    }

    /// `GET /periods`: the close and reopen forms.
    func periodsForm(_ request: Request, context: Context) async throws -> Response { try formPage("periods", request, context) }

    /// `POST /periods/close` (jurisdiction, month, confirm=yes): closes the month on its reconciliation and shows it.
    func close(_ request: Request, context: Context) async throws -> Response {
        let (identity, form, period) = try await monthForm(request, context)
        defer { form.remove() }
        guard form.fields["confirm"] == "yes" else { throw ServiceError(.badRequest, "请勾选确认 Tick the confirmation to close the month; nothing was done.") }
        let report = try await routes.atWriteGate { ledgers in
            let payouts = Payouts(try await ledgers.session(for: identity), period)
            var report = try await payouts.reconcile()
            report.closedBy = try await payouts.close(report)
            return report
        }
        var values = Self.formValues(form, ["jurisdiction", "month"])
        values["reconciliation"] = try await reconciliationValues(Payouts(try await routes.ledgers.session(for: identity), period), report)
        return render("periods", request, context, values)
    }

    /// `POST /periods/reopen` (jurisdiction, month, reason): reopens a closed month.
    func reopen(_ request: Request, context: Context) async throws -> Response {
        let (identity, form, period) = try await monthForm(request, context)
        defer { form.remove() }
        guard let reason = form.fields["reason"]?.trimmingSpaces, !reason.isEmpty else {
            throw ServiceError(.badRequest, "请写明理由 Give the reason for reopening; nothing was done.")
        }
        let eventID = try await routes.atWriteGate { ledgers in try await Payouts(try await ledgers.session(for: identity), period).reopen(reason: reason) }
        var values = Self.formValues(form, ["jurisdiction", "month"])
        values["reopened"] = eventID
        values["jurisdiction"] = period.jurisdiction.value
        values["month"] = period.month.description
        return render("periods", request, context, values)
    }

    /// The reconciliation as its page shows it: totals, the chart of due and paid, the classes, and the
    /// discrepancies (payees masked), as the HTML report has them.
    func reconciliationValues(_ payouts: Payouts, _ report: ReconciliationReport) async throws -> [String: Any] {
        let renderer = try await payouts.renderer(report, format: .html)
        func cells(_ texts: [String]) -> [[String: String]] {
            texts.enumerated().map { index, text in ["text": text, "css": ReconciliationRenderer.isAmountColumn(index) ? "num" : ""] }
        }
        var values: [String: Any] = [
            "jurisdiction": report.jurisdiction.value, "month": report.month.description, "due": report.due.yuanString,
            "paid": report.paid.yuanString, "difference": report.difference.yuanString, "lines": "\(report.lineCount)",
            "differenceClass": report.difference == .zero ? "good" : "bad",
            "classes": report.classes.map { classification, total in
                ["label": classification.label, "count": "\(total.count)", "amount": total.amount.yuanString]
            },
            "discrepancies": renderer.discrepancyTables.map { table -> [String: Any] in
                var values: [String: Any] = ["label": table.label, "count": "\(table.total.count)", "amount": table.total.amount.yuanString,
                                             "headers": cells(ReconciliationRenderer.lineHeaders), "rows": table.rows.map { ["cells": cells($0)] }]
                if table.notListed > 0 { values["more"] = table.notListed }
                return values
            },
        ]
        if let chart = renderer.chart {
            values["chart"] = chart.svg
            if chart.notDrawn > 0 { values["chartMore"] = chart.notDrawn }
        }
        if let note = renderer.closeNote { values["closed"] = note }
        return values
    }
}
