import PropertyBased
@testable import Rules
import Testing

@Suite("the grant event")
struct GrantEventTests {
    /// Pieces of one, two or three bytes, and Characters made of several scalars (a combining accent, CR LF).
    static let pieces = ["a", "é", "技", "e\u{301}", "\r\n", "。", " "]
    static let texts = zip(Gen<String?>.element(of: pieces).compactMap { $0 }, Gen.int(in: 600...2_600))
        .map { piece, count in String(repeating: piece, count: count) + (count % 2 == 0 ? "技" : "a") }

    @Test("a grant keeps the first 2,000 characters of its explanation, counted as characters, not bytes")
    func explanationPrefix() async {
        await propertyCheck(count: 300, input: Self.texts) { text in
            #expect(Granting.explanation(text) == String(text.prefix(2_000)))
        }
        #expect(Granting.explanation(String(repeating: "技", count: 1_999) + "能") == String(repeating: "技", count: 1_999) + "能")
        #expect(Granting.explanation(String(repeating: "技", count: 2_001)) == String(repeating: "技", count: 2_000))
        #expect(Granting.explanation(String(repeating: "a", count: 2_001)).count == 2_000)
    }
}
