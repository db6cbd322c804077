import Foundation

/// Folds items into a state on a thread of its own while the caller goes on reading them: the caller `add`s items
/// (from one thread), they are handed over in batches (`BoundedQueue`), and `finish` waits for the last fold and
/// returns the state. At most `queued` batches wait, so memory holds a few batches whatever the number of items.
/// Loading the rules context reads a million grants at a million workers; their reading and their packing into
/// `GrantTable` each take about half of it, so on two cores they overlap.
final class FoldingThread<Item: Sendable, State>: @unchecked Sendable {
    static var batchSize: Int { 4_096 }
    static var queued: Int { 4 }

    private let batches = BoundedQueue<[Item]>(capacity: FoldingThread.queued)
    private let done = DispatchSemaphore(value: 0)
    /// Touched by the folding thread only, until `done` is signalled.
    private var state: State
    private let fold: @Sendable (inout State, Item) -> Void
    /// Touched by the adding thread only.
    private var pending: [Item] = []

    init(_ initial: State, fold: @escaping @Sendable (inout State, Item) -> Void) {
        state = initial
        self.fold = fold
        pending.reserveCapacity(Self.batchSize)
        let thread = Thread { [self] in
            // `take` never throws here: the adding side closes without an error, or stops.
            while let batch = try? batches.take() {
                for item in batch { fold(&state, item) }
            }
            done.signal()
        }
        thread.name = "skills-ledger folding"
        thread.start()
    }

    /// Adds an item; a full batch is handed over (waiting while `queued` batches are not folded yet).
    func add(_ item: Item) {
        pending.append(item)
        if pending.count == Self.batchSize { handOver() }
    }

    /// Hands over what is left, waits for every fold, and returns the state.
    func finish() -> State {
        if !pending.isEmpty { handOver() }
        batches.close()
        done.wait()
        return state
    }

    /// Stops folding (the reading failed): batches not folded yet are dropped; returns once the thread is done.
    func cancel() {
        batches.stop()
        done.wait()
    }

    private func handOver() {
        let batch = pending
        pending = []
        pending.reserveCapacity(Self.batchSize)
        // Only `cancel` stops the queue, on this same adding thread, after which nothing is added.
        try? batches.put(batch)
    }
}
