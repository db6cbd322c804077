@testable import Reports
import SkillsDomain
import Testing

/// A month's entitlements are written as JSON on every core (`ConcurrentText`): the text must be byte for byte what
/// one thread writes item after item, at every block and round boundary.
@Suite struct ConcurrentTextTests {
    static func item(_ index: Int, _ writer: inout CanonicalJSONWriter) {
        writer.append("    ")
        writer.writePretty(.object([JSONMember("index", .number(String(index))), JSONMember("名称", .string("第 \(index) 项 \"x\""))]), indent: 2)
        writer.append(",\n")
    }

    @Test("the text of every item, in order, whatever the count", arguments: [
        0, 1, ConcurrentText.blockSize - 1, ConcurrentText.blockSize, ConcurrentText.blockSize + 1,
        ConcurrentText.cores * ConcurrentText.blockSize, ConcurrentText.cores * ConcurrentText.blockSize * 3 + 17,
    ])
    func sameAsOneThread(count: Int) {
        var one = CanonicalJSONWriter()
        for index in 0..<count { Self.item(index, &one) }
        var concurrent: [UInt8] = []
        var blocks = 0
        ConcurrentText.render(count: count, { index, writer in Self.item(index, &writer) }, emit: { concurrent += $0; blocks += 1 })
        #expect(concurrent == one.bytes)
        #expect(blocks == (count + ConcurrentText.blockSize - 1) / ConcurrentText.blockSize, "one emit per block")
    }
}
