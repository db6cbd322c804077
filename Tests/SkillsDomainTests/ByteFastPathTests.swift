import PropertyBased
import SkillsDomain
import Testing

/// The intake reads text by its UTF-8 bytes where it used to walk Characters or use the generic validator: each fast
/// path must give exactly what the slow one gave, or an event id, a canonical byte or a refusal would change.
@Suite("byte-level fast paths agree with the Character-level definitions")
struct ByteFastPathTests {
    /// What `trimmingSpaces` meant before it looked at bytes: trim whole Characters that are spaces.
    static func trimmedByCharacters(_ text: String) -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\u{3000}" || $0 == "\r" }
        guard let first = text.firstIndex(where: { !isSpace($0) }) else { return "" }
        return String(text[first...text.lastIndex(where: { !isSpace($0) })!])
    }

    /// Pieces that make the edges interesting: every space, a space carrying a combining accent (one Character that
    /// is not a space), CR LF (one Character), Chinese text ending in the byte 0x80 like the ideographic space does.
    static let pieces = [" ", "\t", "\r", "\n", "\r\n", "\u{3000}", " \u{301}", "\u{3000}\u{301}", "a", "中", "\u{4E00}", "技", "0", ","]
    static let texts = Gen<String?>.element(of: pieces).compactMap { $0 }.array(of: 0...6).map { $0.joined() }

    @Test("trimmingSpaces trims exactly the Characters it always trimmed")
    func trimming() async {
        await propertyCheck(count: 2_000, input: Self.texts) { text in
            #expect(text.trimmingSpaces == Self.trimmedByCharacters(text), "\(Array(text.unicodeScalars))")
        }
    }

    @Test("trimmingSpaces keeps a full-width space inside a value and drops those around it")
    func fullWidth() {
        #expect("\u{3000}王 建国\u{3000}".trimmingSpaces == "王 建国")
        #expect("一\u{3000}".trimmingSpaces == "一")   // 一 is E4 B8 80: ends in 0x80 but is not a space
    }

    /// Mostly ASCII and lead/continuation bytes, so that valid multi-byte characters turn up beside broken ones.
    static let bytes = Gen.uint8(in: 0...255).map { $0 % 4 == 0 ? $0 & 0x7F : ($0 % 4 == 1 ? 0x80 | ($0 & 0x3F) : $0) }.array(of: 0...24)

    @Test("String(validUTF8:) accepts and refuses exactly what String(validating:as:) does")
    func validation() async {
        await propertyCheck(count: 3_000, input: Self.bytes) { bytes in
            #expect(String(validUTF8: bytes[...]) == String(validating: bytes, as: UTF8.self), "\(bytes)")
        }
        let samples: [[UInt8]] = [Array("王建国 2026".utf8), [0xE4, 0xB8], [0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80],
                                  [0xEF, 0xBF, 0xBD], [0x61, 0xFF, 0x62]]
        for sample in samples {
            #expect(String(validUTF8: sample[...]) == String(validating: sample, as: UTF8.self), "\(sample)")
        }
    }

    @Test("a JSON text parses the same from a String as from its bytes, and invalid UTF-8 bytes are still refused")
    func parsingFromText() throws {
        let line = #"{"id":"t-1","data":{"title":"焊工\u0041 \"高级\"","hours":"16"},"worker":"110101199003074514"}"#
        #expect(try JSONParser.parse(line) == JSONParser.parse(Array(line.utf8)))
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse([0x22, 0xE4, 0xB8, 0x22]) }
    }
}
