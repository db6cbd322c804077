import Hummingbird

/// The bounds that keep a slow or greedy client from holding the service: how long a connection may sit idle, how
/// long a request may take to send its body, and how many uploads may be kept at once.
public struct ServiceLimits: Sendable {
    /// A connection that sends nothing (no new request, no byte of a request's body) for this long is closed: 60 s.
    public var idleTimeout: Duration
    /// A request whose body is still arriving this long after its headers is answered 408 and nothing is recorded:
    /// 120 s (a 64 MiB upload needs about 550 kB/s). Counted from the headers, so it includes a wait for an upload slot.
    public var requestTimeout: Duration
    /// How many uploads (`POST /v1/batches`, `/v1/payouts`) are received and kept at once: 8. Each is written to a
    /// temporary file of at most the body limit before it waits its turn at the write gate, so that disk stays under
    /// `maxUploads × body limit` whatever the number of clients.
    public var maxUploads: Int
    /// How long an upload beyond `maxUploads` waits for a slot (its body unread) before it is answered 503 with
    /// `Retry-After`: 10 s, and never more than half of `idleTimeout` (a body unread for that long closes the
    /// connection).
    public var uploadWait: Duration

    /// The defaults: 60 s idle, 120 s per request body, 8 uploads at once, 10 s wait for an upload slot (at most half
    /// the idle timeout).
    public init(idleTimeout: Duration = .seconds(60), requestTimeout: Duration = .seconds(120), maxUploads: Int = 8,
                uploadWait: Duration = .seconds(10)) {
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.maxUploads = max(1, maxUploads)
        self.uploadWait = min(uploadWait, idleTimeout / 2)
    }

    /// Whole seconds, for messages and `Retry-After`.
    static func seconds(_ duration: Duration) -> Int64 { max(1, duration.components.seconds) }
}

/// At most `capacity` uploads at once; the next ones wait in arrival order, each at most a given time.
actor UploadSlots {
    let capacity: Int
    private var inUse = 0
    private var waiting: [(id: UInt64, continuation: CheckedContinuation<Bool, Never>)] = []
    private var nextID: UInt64 = 0

    init(capacity: Int) { self.capacity = capacity }

    /// Runs `body` holding a slot, after waiting at most `wait` for one; 503 with `Retry-After` when none came free.
    func withSlot<T: Sendable>(waitingAtMost wait: Duration, _ body: @Sendable () async throws -> T) async throws -> T {
        guard await acquire(waitingAtMost: wait) else {
            throw ServiceError(.serviceUnavailable, "\(capacity) uploads are being received already: try again in a moment",
                               retryAfterSeconds: 1)
        }
        do {
            let result = try await body()
            release()
            return result
        } catch {
            release()
            throw error
        }
    }

    private func acquire(waitingAtMost wait: Duration) async -> Bool {
        if inUse < capacity {
            inUse += 1
            return true
        }
        let id = nextID
        nextID += 1
        return await withCheckedContinuation { continuation in
            waiting.append((id, continuation))
            Task { [weak self] in
                try? await Task.sleep(for: wait)
                await self?.expire(id)
            }
        }
    }

    private func expire(_ id: UInt64) {
        guard let index = waiting.firstIndex(where: { $0.id == id }) else { return }
        waiting.remove(at: index).continuation.resume(returning: false)
    }

    /// Hands the slot to the longest waiting upload, or frees it.
    private func release() {
        if waiting.isEmpty { inUse -= 1 } else { waiting.removeFirst().continuation.resume(returning: true) }
    }
}

/// Bounds the time a request's body may take to arrive: a read of the body after `timeout` from the headers throws
/// 408, so the route refuses the request before it writes anything. A body that stops arriving altogether is ended
/// by the connection's idle timeout.
struct RequestDeadline: RouterMiddleware {
    typealias Context = ServiceRequestContext
    let timeout: Duration

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var request = request
        request.body = RequestBody(asyncSequence: DeadlineBody(base: request.body, deadline: .now + timeout, timeout: timeout))
        return try await next(request, context)
    }
}

/// A request body whose every read after `deadline` throws 408.
struct DeadlineBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer
    let base: RequestBody
    let deadline: ContinuousClock.Instant
    let timeout: Duration

    struct AsyncIterator: AsyncIteratorProtocol {
        var base: RequestBody.AsyncIterator
        let deadline: ContinuousClock.Instant
        let timeout: Duration

        mutating func next() async throws -> ByteBuffer? {
            let buffer = try await base.next()
            guard buffer == nil || ContinuousClock.now < deadline else {
                throw ServiceError(.requestTimeout, "the body took longer than \(ServiceLimits.seconds(timeout)) s to arrive "
                                   + "(the service's --request-timeout): nothing recorded, send it again")
            }
            return buffer
        }
    }

    func makeAsyncIterator() -> AsyncIterator { AsyncIterator(base: base.makeAsyncIterator(), deadline: deadline, timeout: timeout) }
}
