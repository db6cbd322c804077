import Foundation

/// Hands elements from one thread to another in order, holding at most `capacity` that wait to be taken, so memory
/// stays bounded however many pass. The putting side ends the queue with `close`, optionally with the error that
/// stopped it, which `take` delivers after every element put before it. The taking side may `stop` early (a refused
/// grant): what waits is dropped and every later `put` throws `Stopped`, so the putting thread ends.
///
/// Used where a month-end run reads on one thread and works on another: a grant's reading thread and the batch's
/// thread (`EntitlementEngine.forEachOutcome` over a snapshot), and each reading thread of `ConcurrentReading` and
/// the caller's.
final class BoundedQueue<Element>: @unchecked Sendable {
    /// Thrown by `put` once the taking side has stopped.
    struct Stopped: Error {}

    private let condition = NSCondition()
    private let capacity: Int
    private var elements: [Element] = []
    private var closed = false
    private var stopped = false
    private var failure: (any Error)?

    init(capacity: Int) {
        precondition(capacity >= 1, "a bounded queue holds at least one element")
        self.capacity = capacity
    }

    /// Waits for room, then queues `element`; throws `Stopped` once the taking side has stopped.
    func put(_ element: Element) throws {
        condition.lock()
        defer { condition.unlock() }
        while elements.count >= capacity && !stopped { condition.wait() }
        if stopped { throw Stopped() }
        elements.append(element)
        condition.broadcast()
    }

    /// Nothing more will be put; `error` is what stopped the putting side, if anything did.
    func close(throwing error: (any Error)? = nil) {
        condition.lock()
        closed = true
        failure = error
        condition.broadcast()
        condition.unlock()
    }

    /// The next element in the order put, waiting for one; nil once closed and empty; the putting side's error, if it
    /// closed with one, once every element put before it was taken.
    func take() throws -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while elements.isEmpty && !closed && !stopped { condition.wait() }
        if !elements.isEmpty {
            let element = elements.removeFirst()
            condition.broadcast()
            return element
        }
        if let failure { throw failure }
        return nil
    }

    /// The taking side stops: waiting elements are dropped, a waiting `put` returns by throwing `Stopped`, and so does
    /// every later one.
    func stop() {
        condition.lock()
        stopped = true
        elements.removeAll()
        condition.broadcast()
        condition.unlock()
    }
}

extension BoundedQueue where Element: Sendable {
    /// Starts a thread named `name` that runs `produce` (which puts into this queue), then closes the queue, with
    /// the error that stopped `produce` if any, and signals `finished`. The thread has the main thread's stack size:
    /// the engine it runs recurses through expressions.
    func fill(on name: String, signalling finished: DispatchSemaphore, _ produce: @escaping @Sendable (BoundedQueue<Element>) throws -> Void) {
        let thread = Thread { [self] in
            defer { finished.signal() }
            do {
                try produce(self)
                close()
            } catch {
                close(throwing: error)
            }
        }
        thread.stackSize = 8 << 20
        thread.name = name
        thread.start()
    }
}
