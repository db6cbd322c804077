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

/// The service's writes share one kept connection (LedgerAccess.writing): another writer on the same file between
/// two of its writes (the CLI, a second service) is seen, never forked from, and a refused write leaves the next one
/// working.
@Suite struct WriterConnectionTests {
    static func jsonl(_ ids: ClosedRange<Int>, prefix: String) -> String {
        ids.map { n in
            #"{"id":"\#(prefix)-\#(n)","kind":"credit.earned","occurred_on":"2026-03-0\#(n % 9 + 1)","source":"124203004201035758","worker":"420304199901201207","data":{"credits":"1","source_kind":"course","reference":"讲座 \#(n)","institution":"124203004201035758"}}"#
        }.joined(separator: "\n") + "\n"
    }

    @Test func aWriterBetweenTwoOfTheServicesWritesIsSeenAndTheChainStaysWhole() async throws {
        let fixture = try await Fixture()
        try await fixture.test { client in
            func post(_ body: String) async throws -> TestResponse {
                try await client.send(.post, "/v1/batches", token: fixture.tokens["bureau"], contentType: "application/x-ndjson", body: body)
            }
            let first = try await post(Self.jsonl(1...3, prefix: "svc-a"))
            #expect(first.status == .created, "\(first.text)")
            // Another writer appends on its own connection, as the CLI's submit would.
            let file = fixture.ledger.directory + "/other.jsonl"
            try Self.jsonl(1...4, prefix: "cli").write(toFile: file, atomically: true, encoding: .utf8)
            _ = try await SubmitBatch(Session(ledger: fixture.ledger.store, operatorName: "cli")).record(file: file)
            let refused = try await post("not json\n")
            #expect(refused.status == .unprocessableContent)
            let second = try await post(Self.jsonl(1...2, prefix: "svc-b"))
            #expect(second.status == .created, "\(second.text)")
            #expect(second.json["digest"] == .string(try fixture.digest().description), "the service's answer names the ledger's head")
        }
        let report = try fixture.ledger.store.verify()   // throws on any break in the chain
        #expect(report.digest == (try fixture.digest()))
        for id in ["svc-a-1", "cli-4", "svc-b-2"] { #expect(try fixture.ledger.store.event(id: id) != nil, "\(id)") }
    }
}
