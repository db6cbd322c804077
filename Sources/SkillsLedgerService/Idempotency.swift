import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Ledger
import Reports
import SkillsLedgerCore

/// `Idempotency-Key` on writes: the first answer to a key is kept (outside the chain, with a hash of the request);
/// the same request under the same key gets that answer again with `Idempotency-Replayed: true`, another request
/// under it is refused with 409. Only successful answers are kept: a refusal wrote nothing, so it may be retried.
enum Idempotency {
    static let keyHeader = HTTPField.Name("Idempotency-Key")!
    static let replayedHeader = HTTPField.Name("Idempotency-Replayed")!

    /// SHA-256 over the method, path, query and the body's own SHA-256: computed here, in one place.
    static func requestHash(_ request: Request, bodySHA256: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: Data("\(request.method.rawValue)\n\(request.uri.path)\n\(request.uri.query ?? "")\n".utf8))
        hasher.update(data: bodySHA256)
        return Data(hasher.finalize())
    }

    /// Runs `write` under the request's key, if it has one. Call it inside the write gate, so that two requests
    /// with one key cannot both run.
    static func run(_ request: Request, identity: AccessIdentity, ledgers: LedgerAccess, bodySHA256: Data,
                    _ write: () async throws -> Reply) async throws -> Reply {
        guard let key = request.headers[keyHeader] else { return try await write() }
        guard (1...255).contains(key.utf8.count) else { throw ServiceError(.badRequest, "Idempotency-Key must be 1–255 characters") }
        let hash = requestHash(request, bodySHA256: bodySHA256)
        let ledger = try await ledgers.session(for: identity).ledger
        if let stored = try await ledger.idempotentResponse(tokenName: identity.name, key: key) {
            guard stored.requestSHA256 == hash else {
                throw ServiceError(.conflict, "Idempotency-Key \(key) was used for another request: use a new key for a new request")
            }
            return Reply(status: HTTPResponse.Status(code: stored.status), contentType: stored.contentType, body: stored.body, replayed: true)
        }
        let reply = try await write()
        guard (200..<300).contains(reply.status.code) else { return reply }
        try await ledger.storeIdempotentResponse(
            IdempotentResponse(requestSHA256: hash, status: reply.status.code, contentType: reply.contentType, body: reply.body),
            tokenName: identity.name, key: key, recordedAt: Timestamp.now())
        return reply
    }
}

/// A route's answer before it becomes a `Response`: small enough to keep for an idempotent replay.
struct Reply: Sendable {
    var status: HTTPResponse.Status = .ok
    var contentType = "application/json; charset=utf-8"
    var body: Data
    var replayed = false

    /// A report in `format`, exactly as the CLI writes it.
    init(_ report: some Report, format: ReportFormat = .json, status: HTTPResponse.Status = .ok) {
        self.init(status: status, contentType: Reply.contentType(format), body: Data(report.rendered(format).utf8))
    }

    init(status: HTTPResponse.Status = .ok, contentType: String = "application/json; charset=utf-8", body: Data, replayed: Bool = false) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.replayed = replayed
    }

    static func contentType(_ format: ReportFormat) -> String {
        switch format {
        case .json: "application/json; charset=utf-8"
        case .csv: "text/csv; charset=utf-8"
        case .html: "text/html; charset=utf-8"
        case .markdown: "text/markdown; charset=utf-8"
        case .table: "text/plain; charset=utf-8"
        case .xlsx: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        }
    }

    var response: Response {
        var headers: HTTPFields = [.contentType: contentType]
        if replayed { headers[Idempotency.replayedHeader] = "true" }
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
