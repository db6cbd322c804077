import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import LedgerTesting
import Logging
import SkillsDomain
import SkillsLedgerCore
import SkillsLedgerService

/// The repository's Samples/ folder.
let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Samples").path

/// A ledger with the sample packs adopted and the bureau's files submitted (the institution's training file is left
/// for the tests to upload), and a token for every role: the Shiyan bureau, finance and auditor (420300), a national
/// bureau, a Beijing bureau (110000), the training institution of the samples, and an admin.
struct Fixture {
    let ledger: TemporaryLedger
    let tokens: [String: String]
    var service: LedgerService

    static let institutionCode = "52420302MJ0K5T8H4N"

    init(bodyLimitBytes: Int = LedgerService.defaultBodyLimitBytes) async throws {
        ledger = try TemporaryLedger()
        let session = Session(ledger: ledger.store, operatorName: "setup")
        let packs = try FileManager.default.contentsOfDirectory(atPath: samples + "/policies").sorted().map { samples + "/policies/" + $0 }
        _ = try await Policies(session).adopt(files: packs)
        for file in ["workers.csv", "certificates.csv", "events.jsonl"] { _ = try await SubmitBatch(session).record(file: samples + "/" + file) }
        var tokens: [String: String] = [:]
        let made: [(String, AccessRole, String?, String?)] = [
            ("institution", .institution, Fixture.institutionCode, nil), ("bureau", .bureau, nil, "420300"), ("finance", .finance, nil, "420300"),
            ("auditor", .auditor, nil, "420300"), ("admin", .admin, nil, nil), ("bureau-national", .bureau, nil, nil),
            ("bureau-beijing", .bureau, nil, "110000"),
        ]
        for (name, role, source, jurisdiction) in made {
            tokens[name] = try await Tokens(session).create(role: role, name: name, source: source, jurisdiction: jurisdiction).token
        }
        self.tokens = tokens
        service = LedgerService(location: LedgerLocation(ledger.store.path), bodyLimitBytes: bodyLimitBytes, logger: Logger(label: "test"))
    }

    /// The five roles' tokens by role name.
    static let roles = ["institution", "bureau", "finance", "auditor", "admin"]

    /// Runs `body` against the router in-process (HummingbirdTesting's `.router` mode).
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        try await Application(router: service.router()).test(.router) { client in try await body(client) }
    }

    /// The ledger's digest now, to check that a refused request wrote nothing.
    func digest() throws -> LedgerDigest { try ledger.store.digest() }
}

extension TestClientProtocol {
    /// A request with `token` as its bearer (none when nil).
    func send(_ method: HTTPRequest.Method, _ uri: String, token: String?, contentType: String? = nil, key: String? = nil,
              body: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let contentType { headers[.contentType] = contentType }
        if let key { headers[HTTPField.Name("Idempotency-Key")!] = key }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    /// The parsed JSON body.
    var json: JSONValue { (try? JSONParser.parse(text)) ?? .null }
}

extension JSONValue {
    var items: [JSONValue] {
        if case .array(let items) = self { return items }
        return []
    }
}
