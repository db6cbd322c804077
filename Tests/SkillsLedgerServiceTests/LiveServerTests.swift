import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import SkillsLedgerService
import Testing

/// The real server on a socket: `LedgerService.run` (the service group `serve` runs) on an ephemeral port.
@Suite struct LiveServerTests {
    @Test func theServerListensOnAnEphemeralPortAndAnswers() async throws {
        var fixture = try await Fixture()
        fixture.service.port = 0
        let service = fixture.service
        let (addresses, continuation) = AsyncStream.makeStream(of: String.self)
        let server = Task { try await service.run { continuation.yield($0) } }
        var iterator = addresses.makeAsyncIterator()
        let address = try #require(await iterator.next())
        #expect(address.hasPrefix("http://127.0.0.1:") && !address.hasSuffix(":0"))
        var request = URLRequest(url: URL(string: address + "/v1/digest")!)
        request.setValue("Bearer \(fixture.tokens["auditor"]!)", forHTTPHeaderField: "Authorization")
        let (data, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self).contains("\"digest\":\"\(try fixture.digest())\""))
        server.cancel()
        _ = await server.result
    }
}
