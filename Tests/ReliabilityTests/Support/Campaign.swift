import Foundation

/// How big the reliability campaigns run. `swift test` runs them small (seconds, for CI on two cores);
/// `RELIABILITY_FULL=1` runs them at the size RELIABILITY.md quotes. `RELIABILITY_SEED` replays a campaign: every
/// random choice (kill moments, mutated bytes, rows) derives from it, and every line the campaigns print names it.
enum Campaign {
    static let environment = ProcessInfo.processInfo.environment
    static let isFull = environment["RELIABILITY_FULL"] == "1"

    /// The campaign seed: `RELIABILITY_SEED` (decimal or 0x hex), else a fresh one, printed so a failure can be replayed.
    static let seed: UInt64 = {
        if let text = environment["RELIABILITY_SEED"] {
            let parsed = text.hasPrefix("0x") ? UInt64(text.dropFirst(2), radix: 16) : UInt64(text)
            if let parsed { return parsed }
        }
        return UInt64.random(in: 1...UInt64.max)
    }()

    /// `ci` in CI, `full` under RELIABILITY_FULL=1; `RELIABILITY_<NAME>` overrides either.
    static func size(_ name: String, ci: Int, full: Int) -> Int {
        if let text = environment["RELIABILITY_" + name.uppercased()], let value = Int(text), value > 0 { return value }
        return isFull ? full : ci
    }

    /// A generator for one part of a campaign: the same campaign seed and label give the same choices.
    static func random(_ label: String) -> SeededRandom {
        SeededRandom(seed: seed ^ label.utf8.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 })
    }

    /// One line of a campaign's record, on stdout and appended to `RELIABILITY_LOG` when set.
    static func record(_ line: String) {
        let text = "[reliability seed=0x\(String(seed, radix: 16))] " + line
        print(text)
        guard let path = environment["RELIABILITY_LOG"] else { return }
        if !FileManager.default.fileExists(atPath: path) { _ = FileManager.default.createFile(atPath: path, contents: nil) }
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data((text + "\n").utf8))
            try? handle.close()
        }
    }
}

/// SplitMix64: small, fast and the same on every platform, so a recorded seed replays exactly.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
