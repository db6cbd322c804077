@testable import Rules
import Testing

@Suite("the grant event")
struct GrantEventTests {
    /// Pieces of one, two or three bytes, and Characters made of several scalars (a combining accent, CR LF).
    static let pieces = ["a", "é", "技", "e\u{301}", "\r\n", "。", " "]

    @Test("a grant keeps the first 2,000 characters of its explanation, counted as characters, not bytes")
    func explanationPrefix() {
        for piece in Self.pieces {
            for count in [600, 667, 1_000, 1_999, 2_000, 2_001, 2_600] {
                for end in ["", "a", "技", "\u{301}"] {
                    let text = String(repeating: piece, count: count) + end
                    #expect(Granting.explanation(text) == String(text.prefix(2_000)), "\(piece.unicodeScalars.map(\.value)) × \(count) + \(end)")
                }
            }
        }
        #expect(Granting.explanation(String(repeating: "技", count: 1_999) + "能") == String(repeating: "技", count: 1_999) + "能")
        #expect(Granting.explanation(String(repeating: "技", count: 2_001)) == String(repeating: "技", count: 2_000))
        #expect(Granting.explanation(String(repeating: "a", count: 2_001)).count == 2_000)
    }
}
