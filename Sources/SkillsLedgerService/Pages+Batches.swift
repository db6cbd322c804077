import Hummingbird
import HummingbirdAuth
import Reports
import SkillsDomain
import SkillsLedgerCore

/// Uploading a batch file (institution, bureau): the page of `POST /v1/batches`, with its scope rule.
extension Pages {
    /// `GET /upload`: the file chooser.
    func uploadForm(_ request: Request, context: Context) async throws -> Response {
        render("upload", request, context, try uploadValues(context))
    }

    /// `POST /upload` (multipart, field `file`: CSV or JSON Lines): the receipt, or every bad row and "nothing was
    /// recorded" (the same refusals as the API: 422 bad rows, 403 a row outside the token's scope, 409 conflicts).
    func upload(_ request: Request, context: Context) async throws -> Response {
        let identity = try context.requireIdentity()
        let form = try await form(request, context)
        defer { form.remove() }
        var values = try uploadValues(context)
        do {
            values["receipt"] = PageValues.of(try await record(form, identity))
        } catch {
            // The refusal above the form again, so that the clerk can correct the file and choose it once more.
            return render("upload", request, context, values, problem: ServiceError(error))
        }
        return render("upload", request, context, values)
    }

    /// Records the form's file as one batch, as `POST /v1/batches` does with the token's identity.
    func record(_ form: PageForm, _ identity: AccessIdentity) async throws -> BatchReceipt {
        guard let file = form.files["file"] else { throw ServiceError(.badRequest, "请选择文件 Choose a file to upload.") }
        guard let fileExtension = ["csv": "csv", "jsonl": "jsonl", "ndjson": "jsonl"][file.fileExtension] else {
            throw ServiceError(.unsupportedMediaType, "\(file.filename): 只接受 .csv 或 .jsonl 文件 only .csv and .jsonl files are taken")
        }
        let defaultSource = identity.role == .institution ? identity.scope : nil
        return try await routes.atWriteGate(upload: file.path) { ledgers in
            try await SubmitBatch(try await ledgers.session(for: identity))
                .record(file: file.path, defaultSource: defaultSource, identity: identity, name: file.filename.isEmpty ? "upload.\(fileExtension)" : file.filename)
        }
    }

    func uploadValues(_ context: Context) throws -> [String: Any] {
        ["institution": try context.requireIdentity().role == .institution]
    }
}
