import Foundation

/// A value computed on a thread of its own while the caller goes on; `value` waits for it (the semaphore orders the
/// computation's write before the read). The thread has the main thread's stack size: the engine recurses through
/// expressions. `grant` uses it for the grant indexes built while the batch opens and reads what changed (a chunk of
/// workers the engine computes has a thread of its own too, which also frees them: `EntitlementEngine.ChunkRun`).
final class BackgroundValue<Value>: @unchecked Sendable {
    private let finished = DispatchSemaphore(value: 0)
    private var result: Value?

    init(name: String, _ compute: @escaping @Sendable () -> Value) {
        let thread = Thread { [self] in
            result = compute()
            finished.signal()
        }
        thread.stackSize = 8 << 20
        thread.name = name
        thread.start()
    }

    /// The value, once computed; every call after the first returns at once.
    var value: Value {
        finished.wait()
        finished.signal()
        return result!
    }
}
