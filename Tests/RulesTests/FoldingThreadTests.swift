@testable import Rules
import Testing

/// The rules context folds the rows it reads on a thread of its own (`FoldingThread`): every row must be folded once,
/// in the order read, across many batches; and a reading that fails must stop the thread without waiting for rows
/// that will never come.
@Suite struct FoldingThreadTests {
    @Test("every item is folded once, in the order added, across many batches")
    func foldsInOrder() {
        let count = 10 * FoldingThread<Int, [Int]>.batchSize + 17
        let folding = FoldingThread<Int, [Int]>([]) { state, item in state.append(item) }
        for item in 0..<count { folding.add(item) }
        #expect(folding.finish() == Array(0..<count))
    }

    @Test("nothing added folds to the initial state")
    func nothingAdded() {
        let folding = FoldingThread<Int, Int>(42) { state, item in state += item }
        #expect(folding.finish() == 42)
    }

    @Test("a cancelled fold returns at once, however many batches were waiting")
    func cancelReturns() {
        let folding = FoldingThread<Int, Int>(0) { state, item in state &+= item }
        for item in 0..<(3 * FoldingThread<Int, Int>.batchSize) { folding.add(item) }
        folding.cancel()
    }
}
