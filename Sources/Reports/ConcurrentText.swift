import Foundation
import SkillsDomain

/// Text of many items rendered on every core and handed on in order: a month's entitlements at a million workers are
/// 74 MB of JSON, which one thread wrote in about half a second after every worker was computed. Items are cut into
/// blocks; a round of as many blocks as there are cores is rendered at once (`DispatchQueue.concurrentPerform`),
/// then its blocks go to `emit` in order, so the bytes are those of one thread writing the items one after another,
/// and memory holds one round of text (a few megabytes), not the whole report.
enum ConcurrentText {
    static let blockSize = 2_048
    static let cores = max(1, ProcessInfo.processInfo.activeProcessorCount)

    /// Calls `render(index, &writer)` for every index in `0..<count` (on several threads at once: it must only read
    /// what it shares) and `emit` with the text of each block of indexes, in index order.
    static func render(count: Int, _ render: @Sendable (Int, inout CanonicalJSONWriter) -> Void, emit: ([UInt8]) -> Void) {
        var start = 0
        while start < count {
            let round = min(cores, (count - start + blockSize - 1) / blockSize)
            let blocks = Blocks(count: round)
            let first = start
            DispatchQueue.concurrentPerform(iterations: round) { block in
                let from = first + block * blockSize
                var writer = CanonicalJSONWriter(capacity: 1 << 20)
                for index in from..<min(from + blockSize, count) { render(index, &writer) }
                blocks.set(block, writer.bytes)
            }
            for block in 0..<round { emit(blocks.take(block)) }
            start += round * blockSize
        }
    }

    /// One round's texts, each written by one thread before `concurrentPerform` returns, read after it. The slots
    /// are raw memory, not an array: threads writing different slots of one array would each make a mutating access
    /// to the same array.
    final class Blocks: @unchecked Sendable {
        private let texts: UnsafeMutableBufferPointer<[UInt8]>

        init(count: Int) {
            texts = .allocate(capacity: count)
            texts.initialize(repeating: [])
        }

        deinit {
            texts.deinitialize()
            texts.deallocate()
        }

        func set(_ index: Int, _ text: [UInt8]) { texts[index] = text }

        func take(_ index: Int) -> [UInt8] {
            defer { texts[index] = [] }
            return texts[index]
        }
    }
}
