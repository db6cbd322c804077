import PropertyBased
import SkillsDomain
import Testing

/// Invariants over generated values: what the ledger writes, it reads back to the same value, byte for byte.
@Suite("round trips (property-based)")
struct RoundTripPropertyTests {
    @Test("Money: yuanString then parse gives the same fen, over the whole accepted range")
    func moneyRoundTrip() async {
        await propertyCheck(count: 500, input: Gen.int64(in: -Money.maximumFen...Money.maximumFen)) { fen in
            let text = Money(fen: fen).yuanString
            #expect((try? Money(yuan: text))?.fen == fen, "via \(text)")
        }
    }

    @Test("Credits: text then parse gives the same tenths")
    func creditsRoundTrip() async {
        await propertyCheck(count: 500, input: Gen.int64(in: -Credits.maximumTenths...Credits.maximumTenths)) { tenths in
            let text = Credits(tenths: tenths).text
            #expect((try? Credits(text: text))?.tenths == tenths, "via \(text)")
        }
    }

    @Test("scaled(by:over:) is within half a fen of the exact product")
    func scaledIsNearest() async {
        await propertyCheck(input: Gen.int64(in: -10_000_000...10_000_000), Gen.int64(in: 0...100), Gen.int64(in: 1...100)) { fen, numerator, denominator in
            let scaled = Money(fen: fen).scaled(by: numerator, over: denominator).fen
            let error = scaled * denominator - fen * numerator   // exact: (scaled − fen·n/d)·d
            #expect(2 * abs(error) <= denominator)
        }
    }

    @Test("canonical JSON: encode, parse, encode again gives identical bytes")
    func canonicalRoundTrip() async {
        await propertyCheck(count: 300, input: Self.documents) { value in
            let once = CanonicalJSONWriter.encode(value)
            let reparsed = try? JSONParser.parse(once)
            #expect(reparsed.map(CanonicalJSONWriter.encode) == once)
        }
    }

    /// Any Unicode scalar, with control characters, quotes and backslashes common enough to matter.
    static let scalars = Gen<UInt32>.value(in: 0...0x10FFFF)
        .map { $0 % 3 == 0 ? $0 % 0x80 : $0 }
        .compactMap { Unicode.Scalar($0) }

    static let strings = scalars.array(of: 0...12).map { String(String.UnicodeScalarView($0)) }

    /// An object of string keys, each holding a small array of every JSON type.
    static let documents = zip(strings.array(of: 0...6), strings, Gen.int64(in: -1_000_000...1_000_000), Gen.bool)
        .map { keys, text, number, flag -> JSONValue in
            var seen: Set<String> = []
            let members = keys.filter { seen.insert($0).inserted }.map { key in
                JSONMember(key, .array([.string(text), .number(String(number)), .bool(flag), .null, .object([JSONMember(text, .string(key))])]))
            }
            return .object(members)
        }
}
