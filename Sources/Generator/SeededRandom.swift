/// A small, fast, deterministic random source (SplitMix64): the same seed gives the same numbers on every machine and
/// every Swift version, which `SystemRandomNumberGenerator` and Swift's own hashing do not promise.
///
/// ```swift
/// var random = SeededRandom(seed: 42, stream: 7)   // worker 7's own stream
/// random.int(in: 1...6)
/// ```
public struct SeededRandom: RandomNumberGenerator {
    private var state: UInt64

    /// The generator of `stream` under `seed`. Each stream (one per worker index, say) has its own sequence,
    /// uncorrelated with its neighbours'; the same seed and stream always give the same one.
    public init(seed: UInt64, stream: UInt64 = 0) {
        // Mix the stream into the seed so that neighbouring streams (worker 7 and 8) do not start correlated.
        var mixer = SeededRandom(rawState: seed ^ 0x9E37_79B9_7F4A_7C15)
        let base = mixer.next()
        var streamMixer = SeededRandom(rawState: stream &* 0xD1B5_4A32_D192_ED03 &+ base)
        state = streamMixer.next()
    }

    private init(rawState: UInt64) { state = rawState }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A uniform integer in `range` (modulo bias is below 2⁻³² for the small ranges a generator uses).
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        let width = UInt64(range.upperBound - range.lowerBound + 1)
        return range.lowerBound + Int(next() % width)
    }

    /// True with probability `per` / `over` (integer odds keep results exact across platforms).
    public mutating func chance(_ per: Int, in over: Int) -> Bool { Int(next() % UInt64(over)) < per }

    /// One element of a non-empty array.
    public mutating func pick<T>(_ elements: [T]) -> T { elements[Int(next() % UInt64(elements.count))] }

    /// An index chosen with the given integer weights.
    public mutating func weighted(_ weights: [Int]) -> Int {
        let total = weights.reduce(0, +)
        var roll = int(in: 0...(total - 1))
        for (index, weight) in weights.enumerated() {
            if roll < weight { return index }
            roll -= weight
        }
        return weights.count - 1
    }
}
