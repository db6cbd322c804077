import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Ledger
import LedgerTesting
import SkillsDomain
import SkillsLedgerService
import Testing

/// `serve`'s limits on the real server (a socket, as a slow or silent client would use it): idle connections are
/// closed, a body that takes too long is 408 with nothing recorded, uploads beyond `--max-uploads` wait and then get 503.
@Suite struct LimitTests {
    /// `count` credit.earned rows of the fixture's institution, as one JSON Lines batch (ids `prefix-1` …).
    static func credits(_ prefix: String, count: Int = 3) -> String {
        (1...count).map { i in
            #"{"id":"\#(prefix)-\#(i)","kind":"credit.earned","occurred_on":"2026-03-02","source":"\#(Fixture.institutionCode)","worker":"\#(ServiceTests.worker)","data":{"credits":"1","source_kind":"course","reference":"\#(prefix)-\#(i)","institution":"\#(Fixture.institutionCode)"}}"# + "\n"
        }.joined()
    }

    static func batchHead(token: String, length: Int) -> String {
        "POST /v1/batches HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(token)\r\nContent-Type: application/x-ndjson\r\n"
            + "Content-Length: \(length)\r\n\r\n"
    }

    @Test func anIdleConnectionIsClosedAfterTheIdleTimeout() async throws {
        try await LiveServer.with(ServiceLimits(idleTimeout: .seconds(1))) { server in
            let connection = try RawConnection(port: server.port)
            let start = ContinuousClock.now
            let (text, closed) = connection.read(until: .seconds(60))
            #expect(closed && text.isEmpty)
            #expect(ContinuousClock.now - start < .seconds(30))
        }
    }

    @Test func aBodyThatTricklesPastTheRequestTimeoutIs408AndNothingIsRecorded() async throws {
        try await LiveServer.with(ServiceLimits(idleTimeout: .seconds(60), requestTimeout: .seconds(1))) { server in
            let before = try server.fixture.digest()
            let body = Array(Self.credits("slow").utf8)
            let connection = try RawConnection(port: server.port)
            connection.send(Self.batchHead(token: server.fixture.tokens["institution"]!, length: body.count) + String(decoding: body.prefix(10), as: UTF8.self))
            // Three pauses longer than the timeout, so that the body is late even if a loaded server starts the
            // route (and its clock) a moment after the headers came.
            for part in [body.dropFirst(10).prefix(10), body.dropFirst(20).prefix(10), body.dropFirst(30)] {
                try await Task.sleep(for: .milliseconds(1_200))
                connection.send(String(decoding: part, as: UTF8.self))
            }
            let (text, _) = connection.read(until: .seconds(60), stopAt: "}\n")
            #expect(text.hasPrefix("HTTP/1.1 408"), "\(text)")
            #expect(text.contains("--request-timeout"))
            #expect(try server.fixture.digest() == before)
            // The same batch sent at once is recorded: the server is not held by the slow one.
            let (status, answer) = try await server.post(Self.credits("slow"), token: "institution")
            #expect(status == 201 && answer.contains(#""recorded":3"#), "\(answer)")
        }
    }

    @Test func aBodyCutShortByTheIdleTimeoutRecordsNothing() async throws {
        try await LiveServer.with(ServiceLimits(idleTimeout: .seconds(1), requestTimeout: .seconds(30))) { server in
            let before = try server.fixture.digest()
            let body = Self.credits("cut")
            // Whole rows, then silence: a body shorter than its Content-Length must not pass for the whole batch.
            let firstRow = String(body.prefix(through: body.firstIndex(of: "\n")!))
            let connection = try RawConnection(port: server.port)
            connection.send(Self.batchHead(token: server.fixture.tokens["institution"]!, length: body.utf8.count) + firstRow)
            let (text, closed) = connection.read(until: .seconds(60))
            #expect(closed && !text.contains("HTTP/1.1 2"), "\(text)")
            try await Task.sleep(for: .milliseconds(500))
            #expect(try server.fixture.digest() == before)
            #expect(try server.fixture.ledger.store.event(id: "cut-1") == nil)
        }
    }

    @Test func anUploadBeyondMaxUploadsWaitsThenGets503WithRetryAfter() async throws {
        let limits = ServiceLimits(idleTimeout: .seconds(60), requestTimeout: .seconds(60), maxUploads: 1, uploadWait: .milliseconds(500))
        try await LiveServer.with(limits) { server in
            let body = Array(Self.credits("held").utf8)
            let holder = try RawConnection(port: server.port)
            holder.send(Self.batchHead(token: server.fixture.tokens["institution"]!, length: body.count) + String(decoding: body.prefix(10), as: UTF8.self))
            // Wait until the holder's request has its slot, however slowly a loaded machine starts it: a probe whose
            // body is not a batch gets 422 (recording nothing) while the slot is free, 503 once the holder has it.
            let waitingSince = ContinuousClock.now
            while try await server.post("not a batch\n", token: "institution").status != 503 {
                try #require(ContinuousClock.now - waitingSince < .seconds(60), "the holder's upload never took its slot")
                try await Task.sleep(for: .milliseconds(100))
            }
            let start = ContinuousClock.now
            let (status, answer, retryAfter) = try await server.postWithHeaders(Self.credits("next"), token: "institution")
            #expect(status == 503 && retryAfter == "1", "\(answer)")
            #expect(ContinuousClock.now - start >= .milliseconds(400))
            #expect(try server.fixture.ledger.store.event(id: "next-1") == nil)
            // The upload holding the slot finishes and is recorded; then the next one is taken.
            holder.send(String(decoding: body.dropFirst(10), as: UTF8.self))
            let (text, _) = holder.read(until: .seconds(60), stopAt: "}\n")
            #expect(text.hasPrefix("HTTP/1.1 201"), "\(text)")
            let (again, _) = try await server.post(Self.credits("next"), token: "institution")
            #expect(again == 201)
        }
    }

    @Test func theWaitForAnUploadSlotStaysInsideTheIdleTimeout() {
        #expect(ServiceLimits().uploadWait == .seconds(10))
        #expect(ServiceLimits(idleTimeout: .seconds(6)).uploadWait == .seconds(3))
    }

    @Test func concurrentWritesAreSerialisedIntoOneUnbrokenChain() async throws {
        try await LiveServer.with(ServiceLimits(maxUploads: 4)) { server in
            let before = try server.fixture.digest()
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for batch in 0..<16 {
                    group.addTask { try await server.post(Self.credits("c\(batch)", count: 5), token: "institution").status }
                    // Reads run beside the writes, on their own connections.
                    group.addTask { try await server.get("/v1/digest", token: "auditor") }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 201 }.count == 16 && statuses.allSatisfy { $0 == 201 || $0 == 200 }, "\(statuses)")
            #expect(try server.fixture.digest().count == before.count + 16 * 5)
            let verified = try await server.get("/v1/verify", token: "auditor")
            #expect(verified == 200)
        }
    }
}

/// The fixture's service running for real on an ephemeral port of 127.0.0.1.
struct LiveServer: Sendable {
    let fixture: Fixture
    let port: Int

    static func with(_ limits: ServiceLimits, _ body: @Sendable (LiveServer) async throws -> Void) async throws {
        var fixture = try await Fixture()
        fixture.service.port = 0
        fixture.service.limits = limits
        let service = fixture.service
        let (addresses, continuation) = AsyncStream.makeStream(of: String.self)
        let server = Task { try await service.run { continuation.yield($0) } }
        var iterator = addresses.makeAsyncIterator()
        let address = try #require(await iterator.next())
        let live = LiveServer(fixture: fixture, port: Int(address.split(separator: ":").last!)!)
        do { try await body(live) } catch {
            server.cancel()
            throw error
        }
        server.cancel()
        _ = await server.result
    }

    func post(_ jsonLines: String, token: String) async throws -> (status: Int, body: String) {
        let (status, body, _) = try await postWithHeaders(jsonLines, token: token)
        return (status, body)
    }

    func postWithHeaders(_ jsonLines: String, token: String) async throws -> (status: Int, body: String, retryAfter: String?) {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)/v1/batches")!)
        request.httpMethod = "POST"
        request.setValue("Bearer \(fixture.tokens[token]!)", forHTTPHeaderField: "Authorization")
        request.setValue("application/x-ndjson", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.upload(for: request, from: Data(jsonLines.utf8))
        let http = response as? HTTPURLResponse
        return (http?.statusCode ?? 0, String(decoding: data, as: UTF8.self), http?.value(forHTTPHeaderField: "Retry-After"))
    }

    func get(_ path: String, token: String) async throws -> Int {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        request.setValue("Bearer \(fixture.tokens[token]!)", forHTTPHeaderField: "Authorization")
        return ((try await URLSession.shared.data(for: request)).1 as? HTTPURLResponse)?.statusCode ?? 0
    }
}

/// A plain TCP connection, for what URLSession cannot do: stay silent, or send a body slowly.
final class RawConnection {
    let descriptor: Int32

    init(port: Int) throws {
        #if canImport(Glibc)
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        descriptor = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        var tick = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &tick, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(descriptor) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        #if canImport(Glibc)
        _ = bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        #else
        _ = bytes.withUnsafeBytes { Darwin.send(descriptor, $0.baseAddress, $0.count, 0) }
        #endif
    }

    /// What the server sends until it closes the connection (`closed`), `stopAt` has been received, or `limit` passed.
    func read(until limit: Duration, stopAt: String? = nil) -> (text: String, closed: Bool) {
        let end = ContinuousClock.now + limit
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while ContinuousClock.now < end {
            let count = buffer.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 { return (String(decoding: received, as: UTF8.self), true) }
            if count > 0 {
                received += buffer.prefix(count)
                if let stopAt, String(decoding: received, as: UTF8.self).hasSuffix(stopAt) { break }
            } else if errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR {
                return (String(decoding: received, as: UTF8.self), true)
            }
        }
        return (String(decoding: received, as: UTF8.self), false)
    }
}
