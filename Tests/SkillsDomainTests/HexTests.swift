import SkillsDomain
import Testing

@Suite("hex")
struct HexTests {
    static let everyByte = (0...255).map { UInt8($0) }
    static let expected = everyByte.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()

    @Test("every byte is two lowercase digits, by the string form and by the in-place form alike")
    func encodes() {
        #expect(Hex.string(Self.everyByte) == Self.expected)
        #expect(Hex.string([0xAB, 0x01], prefix: "ps_") == "ps_ab01")
        let written = Self.everyByte.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: 2 + 512) { buffer in
                buffer[0] = UInt8(ascii: "<"); buffer[1] = UInt8(ascii: ">")
                Hex.write(bytes, into: buffer, at: 2)
                return 514
            }
        }
        #expect(written == "<>" + Self.expected)
    }

    @Test("decoding takes either case and refuses odd lengths and other characters")
    func decodes() {
        #expect(Hex.bytes(Self.expected) == Self.everyByte)
        #expect(Hex.bytes(Self.expected.uppercased()) == Self.everyByte)
        #expect(Hex.bytes("") == [])
        #expect(Hex.bytes("abc") == nil)
        #expect(Hex.bytes("0g") == nil)
        #expect(Hex.value(of: UInt8(ascii: "F")) == 15)
        #expect(Hex.lowercaseValue(of: UInt8(ascii: "F")) == nil)
        #expect(Hex.lowercaseValue(of: UInt8(ascii: "f")) == 15)
        #expect(Hex.isLowercase("0123456789abcdef".utf8))
        #expect(!Hex.isLowercase("0123456789ABCDEF".utf8))
    }
}
