import SkillsDomain

/// A grant id or payee held without a heap allocation when it is short (ids are about 30 bytes, pseudonyms 35):
/// up to 40 UTF-8 bytes packed big-endian into five words, zero padded; longer text (or text holding a NUL) stays a
/// `String`. A million grants then cost no two million small strings. Each text has exactly one form, so the
/// synthesized equality and hashing are those of the text.
enum PackedText: Hashable, Sendable, Comparable {
    case inline(UInt64, UInt64, UInt64, UInt64, UInt64)
    case heap(String)

    static let capacity = 40

    init(_ text: String) {
        var text = text
        self = text.withUTF8 { utf8 in
            guard utf8.count <= PackedText.capacity, !utf8.contains(0) else { return .heap(String(decoding: utf8, as: UTF8.self)) }
            // The bytes in memory order, then each word read big-endian: the first byte is the most significant.
            var words: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)
            withUnsafeMutableBytes(of: &words) { $0.copyMemory(from: UnsafeRawBufferPointer(utf8)) }
            return .inline(UInt64(bigEndian: words.0), UInt64(bigEndian: words.1), UInt64(bigEndian: words.2),
                           UInt64(bigEndian: words.3), UInt64(bigEndian: words.4))
        }
    }

    var string: String {
        switch self {
        case .heap(let text): return text
        case .inline(let a, let b, let c, let d, let e):
            var words = (a.bigEndian, b.bigEndian, c.bigEndian, d.bigEndian, e.bigEndian)
            return withUnsafeBytes(of: &words) { raw in
                let length = raw.firstIndex(of: 0) ?? raw.count
                return String(decoding: raw[..<length], as: UTF8.self)
            }
        }
    }

    /// The text's order (`String`'s `<`). Two packed texts compare by their bytes, which is that order for the ASCII
    /// of event ids and pseudonyms; any other text compares as strings.
    static func < (lhs: PackedText, rhs: PackedText) -> Bool {
        if case .inline(let a0, let a1, let a2, let a3, let a4) = lhs, case .inline(let b0, let b1, let b2, let b3, let b4) = rhs,
           lhs.isASCII, rhs.isASCII {
            return (a0, a1, a2, a3, a4) < (b0, b1, b2, b3, b4)
        }
        return lhs.string < rhs.string
    }

    var isASCII: Bool {
        guard case .inline(let a, let b, let c, let d, let e) = self else { return false }
        return (a | b | c | d | e) & 0x8080_8080_8080_8080 == 0
    }
}

/// A payee held compactly: a pseudonym (`ps_` and 32 lowercase hex digits, as the ledger makes them) as its 16
/// bytes, anything else (an organisation's 统一社会信用代码) as text. Each payee has exactly one form. The order only
/// groups a payee's grants together; it is not the text's order.
enum PayeeKey: Hashable, Sendable, Comparable {
    case pseudonym(UInt64, UInt64)
    case other(String)

    init(_ text: String) {
        var text = text
        self = text.withUTF8 { utf8 in
            guard utf8.count == 35, utf8.starts(with: "ps_".utf8) else { return .other(String(decoding: utf8, as: UTF8.self)) }
            var words: (UInt64, UInt64) = (0, 0)
            for (offset, byte) in utf8.dropFirst(3).enumerated() {
                guard let digit = Hex.lowercaseValue(of: byte) else { return .other(String(decoding: utf8, as: UTF8.self)) }
                if offset < 16 { words.0 = words.0 << 4 | UInt64(digit) } else { words.1 = words.1 << 4 | UInt64(digit) }
            }
            return .pseudonym(words.0, words.1)
        }
    }

    var string: String {
        switch self {
        case .other(let text): return text
        case .pseudonym(let high, let low):
            // The words' bytes most significant first: the digits in the order the pseudonym spells them.
            let words = (high.bigEndian, low.bigEndian)
            return withUnsafeBytes(of: words) { Hex.string($0, prefix: "ps_") }
        }
    }

    static func < (lhs: PayeeKey, rhs: PayeeKey) -> Bool {
        switch (lhs, rhs) {
        case (.pseudonym(let a, let b), .pseudonym(let c, let d)): (a, b) < (c, d)
        case (.pseudonym, .other): true
        case (.other, .pseudonym): false
        case (.other(let left), .other(let right)): left < right
        }
    }
}
