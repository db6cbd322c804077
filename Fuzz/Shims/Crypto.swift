// A stand-in for swift-crypto's SHA256 in the fuzz builds only (PackLoader records a pack's digest; the digest is not
// what is fuzzed, and building BoringSSL with the sanitizers would triple the build). NOT a hash: never ship it.
import Foundation

public enum SHA256 {
    public static func hash(data: Data) -> [UInt8] {
        var state: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data { state = (state ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return (0..<32).map { UInt8(truncatingIfNeeded: state >> (UInt64($0 % 8) * 8)) }
    }
}
