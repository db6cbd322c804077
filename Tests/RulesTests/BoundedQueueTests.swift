import Foundation
@testable import Rules
import Testing

/// The hand-over between a month-end run's reading thread and the thread that works on what it read (`BoundedQueue`):
/// everything put comes out once, in order; the putting side's error arrives only after what it put before; and a
/// taker that stops early releases a putter waiting for room, so a refused grant never leaves its reader hanging.
@Suite struct BoundedQueueTests {
    struct ReadFailed: Error, Equatable {}

    @Test("elements come out once, in the order put, through a queue much smaller than their number")
    func inOrder() throws {
        let queue = BoundedQueue<Int>(capacity: 2)
        let putter = Thread {
            for element in 0..<1_000 { try? queue.put(element) }
            queue.close()
        }
        putter.start()
        var taken: [Int] = []
        while let element = try queue.take() { taken.append(element) }
        #expect(taken == Array(0..<1_000))
    }

    @Test("the putting side's error comes after every element put before it")
    func errorAfterElements() throws {
        let queue = BoundedQueue<Int>(capacity: 3)
        try queue.put(1)
        try queue.put(2)
        queue.close(throwing: ReadFailed())
        #expect(try queue.take() == 1)
        #expect(try queue.take() == 2)
        #expect(throws: ReadFailed.self) { try queue.take() }
    }

    @Test("stopping releases a putter waiting for room, and every later put is refused")
    func stopReleasesPutter() throws {
        let queue = BoundedQueue<Int>(capacity: 1)
        try queue.put(0)
        let released = DispatchSemaphore(value: 0)
        let outcome = Outcome()
        let putter = Thread {
            do { try queue.put(1) } catch { outcome.refused = error is BoundedQueue<Int>.Stopped }
            released.signal()
        }
        putter.start()
        queue.stop()
        #expect(released.wait(timeout: .now() + 10) == .success)
        #expect(outcome.refused)
        #expect(throws: BoundedQueue<Int>.Stopped.self) { try queue.put(2) }
        #expect(try queue.take() == nil)
    }

    /// What the putting thread saw, read after the semaphore orders it.
    final class Outcome: @unchecked Sendable {
        var refused = false
    }
}
