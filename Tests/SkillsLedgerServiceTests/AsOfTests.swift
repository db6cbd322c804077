import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import LedgerTesting
import SkillsDomain
import SkillsLedgerCore
import SkillsLedgerService
import Testing

/// `as_of` on the read routes: the ledger as recorded by the end of that day, as the CLI's `--as-of`.
@Suite struct AsOfTests {
    @Test func asOfBeforeTheFirstEventAnswersFromAnEmptyLedger() async throws {
        let fixture = try await Fixture()
        let today = LocalDate.today().description
        try await fixture.test { client in
            let auditor = fixture.tokens["auditor"]
            let empty = try await client.send(.get, "/v1/entitlements?jurisdiction=420300&month=2026-03&as_of=2000-01-01", token: auditor)
            #expect(empty.status == .ok, "\(empty.text)")
            #expect(empty.json["entitlements"]?.items.isEmpty == true, "\(empty.text)")
            let now = try await client.send(.get, "/v1/entitlements?jurisdiction=420300&month=2026-03&as_of=\(today)", token: auditor)
            #expect((now.json["entitlements"]?.items.count ?? 0) > 0, "\(now.text)")
            let digest = try await client.send(.get, "/v1/digest?as_of=2000-01-01", token: auditor)
            #expect(digest.status == .ok && digest.text.contains("0:" + String(repeating: "0", count: 64)), "\(digest.text)")
            let current = try await client.send(.get, "/v1/digest?as_of=\(today)", token: auditor)
            #expect(current.text.contains(try fixture.digest().description))
        }
    }

    @Test func aMalformedDayIs400InTheErrorShape() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            for uri in ["/v1/entitlements?jurisdiction=420300&month=2026-03&as_of=2026-02-30", "/v1/digest?as_of=yesterday",
                        "/v1/workers/\(ServiceTests.worker)?as_of=01/03/2026", "/v1/audits/budget?year=2026&as_of="] {
                let response = try await client.send(.get, uri, token: fixture.tokens["auditor"])
                #expect(response.status == .badRequest, "\(uri): \(response.status)")
                #expect(response.json["error"].map { "\($0)".contains("as_of") } == true && response.json["details"] == .array([]), "\(uri)")
            }
        }
    }
}
