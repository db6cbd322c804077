import Crypto
import Foundation
import SkillsDomain

/// HMAC-SHA-256 under the ledger's pseudonym key, with the key's two padded blocks hashed once per store.
///
/// `HMAC(key:)` hashes the key's inner and outer pads on every call; for a pseudonym (an 18-byte message) that is
/// half of the SHA-256 work, and it was a tenth of submit's instructions. Copying the prepared state is cheap (the
/// hashers are copy-on-write) and gives the same codes.
package final class KeyedHash: @unchecked Sendable {
    // Never mutated after `init`: every use works on a copy, so sharing it between threads is safe.
    private let prepared: HMAC<SHA256>

    package init(key: Data) {
        prepared = HMAC<SHA256>(key: SymmetricKey(data: key))
    }

    /// The code of the bytes `body` feeds in.
    func code(_ body: (inout HMAC<SHA256>) -> Void) -> HMAC<SHA256>.MAC {
        var hmac = prepared
        body(&hmac)
        return hmac.finalize()
    }

    func code(of bytes: [UInt8]) -> HMAC<SHA256>.MAC {
        code { hmac in bytes.withUnsafeBytes { hmac.update(data: $0) } }
    }

    /// `ps_` and the first 16 bytes of the code of `text`'s UTF-8, in lowercase hex.
    package func pseudonym(of text: String) -> String {
        var text = text
        let mac = code { hmac in text.withUTF8 { hmac.update(data: UnsafeRawBufferPointer($0)) } }
        return mac.withUnsafeBytes { code in
            String(unsafeUninitializedCapacity: 35) { buffer in
                buffer[0] = UInt8(ascii: "p"); buffer[1] = UInt8(ascii: "s"); buffer[2] = UInt8(ascii: "_")
                Hex.write(UnsafeRawBufferPointer(rebasing: code.prefix(16)), into: buffer, at: 3)
                return 35
            }
        }
    }
}
