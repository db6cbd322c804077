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

    @Test("an event's data written directly (`EventData.canonicalBytes`) is the canonical form of its JSON object")
    func eventDataCanonicalBytes() async {
        await propertyCheck(count: 300, input: Self.eventData) { data in
            #expect(data.canonicalBytes == CanonicalJSONWriter.encode(data.json))
        }
    }

    /// A value of every kind of field, its text and numbers generated.
    static let fieldValues = zip(strings, Gen.int64(in: -1_000_000...1_000_000), Gen.bool, Gen.int64(in: 0...9))
        .map { text, number, flag, kind -> FieldValue in
            switch kind {
            case 0: .text(text)
            case 1: .money(Money(fen: number))
            case 2: .credits(Credits(tenths: number))
            case 3: .date(LocalDate(year: 2026, month: Int(abs(number) % 12) + 1, day: Int(abs(number) % 28) + 1)!)
            case 4: .month(Month(index: 24_000 + Int(abs(number) % 1_200)))
            case 5: .integer(number)
            case 6: .bool(flag)
            case 7: .level(SkillLevel.allCases[Int(abs(number)) % SkillLevel.allCases.count])
            case 8: .person(.pseudonym(text))
            default: .list(flag ? [] : [text, String(number), text + "\"\\"])
            }
        }

    /// Data of up to six fields, names repeated or not, in any order (the writer sorts them by UTF-8, as the chain does).
    static let eventData = zip(strings.array(of: 0...6), fieldValues.array(of: 6...6))
        .map { names, values in EventData(Array(zip(names, values))) }

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
