import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Reports
import SkillsDomain
import Testing
import ZIPFoundation

/// The xlsx writer: the parts a spreadsheet program needs, typed cells, escaping, a total row, streaming.
@Suite("xlsx writer")
struct XLSXWriterTests {
    static let headers = ["收款人 payee", "笔数 count", "应付 due", "日期 date", "比例 ratio", "说明 note"]
    static let padded = " 十堰市人力资源和社会保障局职业技能鉴定指导中心 "

    /// Three rows of every kind of cell, and the total row.
    static func sample(at path: String) throws {
        let writer = try XLSXWriter(path: path, sheetName: "对账 420300 2026-03", headers: headers)
        try writer.append([.text("420302197804121019"), .integer(3), .money(Money(fen: 180_050)), .date(LocalDate(year: 2026, month: 3, day: 25)!),
                           .decimal("0.1800"), .text("A&B <c> \u{1}bell\u{FFFE} =SUM(A1)")])
        try writer.append([.text("91420300MA4KXXXX0X"), .integer(-1), .money(Money(fen: -50)), .empty, .decimal("-1.2500"), .text(padded)])
        try writer.append([.text("x"), .integer(0), .money(Money(fen: 9_999_999_999_999)), .empty, .empty, .empty])
        try writer.finish(totalLabel: XLSXWriter.totalLabel)
    }

    /// The archive's entries, by path, as text.
    static func parts(_ path: String) throws -> [String: String] {
        let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .read)
        var parts: [String: String] = [:]
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            parts[entry.path] = String(decoding: data, as: UTF8.self)
        }
        return parts
    }

    static func isWellFormed(_ xml: String) -> Bool { XMLParser(data: Data(xml.utf8)).parse() }

    @Test("the archive holds the six parts of a workbook, each well-formed XML")
    func parts() throws {
        let folder = try Folder()
        try Self.sample(at: folder.path("sample.xlsx"))
        let parts = try Self.parts(folder.path("sample.xlsx"))
        #expect(Set(parts.keys) == ["[Content_Types].xml", "_rels/.rels", "xl/workbook.xml", "xl/_rels/workbook.xml.rels", "xl/styles.xml",
                                    "xl/worksheets/sheet1.xml"])
        for (path, xml) in parts { #expect(Self.isWellFormed(xml), "\(path) is not well-formed") }
        #expect(parts["xl/styles.xml"]?.contains("formatCode=\"0.00\"") == true)
        #expect(parts["xl/workbook.xml"]?.contains("<sheet name=\"对账 420300 2026-03\"") == true)
        #expect(folder.contents == ["sample.xlsx"], "the temporary files are gone")
    }

    @Test("the sheet has the header, the rows with typed cells, and the total of each amount column")
    func sheet() throws {
        let folder = try Folder()
        try Self.sample(at: folder.path("sample.xlsx"))
        let sheet = try #require(try Self.parts(folder.path("sample.xlsx"))["xl/worksheets/sheet1.xml"])
        #expect(sheet.contains("<dimension ref=\"A1:F5\"/>"))
        #expect(sheet.contains("<row r=\"1\"><c r=\"A1\" s=\"4\" t=\"inlineStr\"><is><t>收款人 payee</t></is></c>"))
        #expect(sheet.contains("<c r=\"A2\" t=\"inlineStr\"><is><t>420302197804121019</t></is></c><c r=\"B2\"><v>3</v></c>"
            + "<c r=\"C2\" s=\"1\"><v>1800.50</v></c><c r=\"D2\" s=\"2\"><v>46106</v></c><c r=\"E2\" s=\"3\"><v>0.1800</v></c>"))
        #expect(sheet.contains("<c r=\"C3\" s=\"1\"><v>-0.50</v></c>"))
        #expect(sheet.contains("<c r=\"C4\" s=\"1\"><v>99999999999.99</v></c>"))
        #expect(sheet.contains("<row r=\"5\"><c r=\"A5\" s=\"4\" t=\"inlineStr\"><is><t>合计 total</t></is></c><c r=\"C5\" s=\"5\"><v>100000001799.99</v></c></row>"))
        #expect(sheet.contains("<t>A&amp;B &lt;c&gt; bell =SUM(A1)</t>"), "escaped; the characters XML forbids are gone; never a formula")
        #expect(sheet.contains("<t xml:space=\"preserve\">\(Self.padded)</t>"))
        #expect(!sheet.contains("<f>"))
    }

    @Test("openpyxl reads the values, the number formats, and a total that is the sum", .enabled(if: ReadBack.isAvailable, ReadBack.unavailable))
    func readBack() throws {
        let folder = try Folder()
        try Self.sample(at: folder.path("sample.xlsx"))
        let book = try ReadBack.read(folder.path("sample.xlsx"))
        #expect(book.sheets == ["对账 420300 2026-03"])
        #expect(book.rows.count == 5)
        #expect(book.rows[0].map(\.text) == Self.headers.map(Optional.some) && book.rows[0].allSatisfy(\.bold))
        let first = book.rows[1]
        #expect(first[0].text == "420302197804121019", "an identifier stays text, all 18 digits")
        #expect(first[1].value == .number("3"))
        #expect(first[2].money == Money(fen: 180_050) && first[2].format == "0.00")
        #expect(first[3].value == .string("2026-03-25") && first[3].format == "yyyy-mm-dd")
        #expect(first[4].value == .number("0.18") && first[4].format == "0.0000")
        #expect(book.rows[2][5].text == Self.padded)
        let amounts = book.rows[1...3].map { $0[2].money }
        #expect(book.rows[1...3].allSatisfy { $0[2].format == "0.00" })
        let total = book.rows[4]
        #expect(total[0].text == XLSXWriter.totalLabel && total[2].format == "0.00" && total[2].bold)
        #expect(total[2].money == amounts.compactMap { $0 }.sum() && amounts.allSatisfy { $0 != nil })
        #expect(book.frozen == "A2")
        #expect(try #require(book.widths["F"]) == 50, "25 characters, 23 of them CJK, which count two columns each, and a margin of 2")
        #expect(try #require(book.widths["B"]) < 20)
    }

    @Test("a bad row is refused and changes nothing; a writer never finished leaves nothing behind; finishing replaces an older file")
    func refusals() throws {
        let folder = try Folder()
        let path = folder.path("out.xlsx")
        do {
            let writer = try XLSXWriter(path: path, sheetName: "s", headers: ["a", "b"])
            #expect(throws: XLSXError.self) { try writer.append([.money(Money(fen: 100))]) }
            #expect(throws: XLSXError.self) { try writer.append([.money(Money(fen: 100)), .decimal("1e5")]) }
            #expect(throws: XLSXError.self) { try writer.append([.money(Money(fen: 100)), .decimal("--1")]) }
        }
        #expect(folder.contents.isEmpty, "nothing at the path, no temporary file")
        try Data("old".utf8).write(to: URL(fileURLWithPath: path))
        let writer = try XLSXWriter(path: path, sheetName: "s", headers: ["a", "b"])
        #expect(throws: XLSXError.self) { try writer.append([.money(Money(fen: 100)), .decimal("1.2.3")]) }
        try writer.append([.money(Money(fen: 250)), .decimal("2")])
        try writer.finish(totalLabel: "total")
        let sheet = try #require(try Self.parts(path)["xl/worksheets/sheet1.xml"])
        #expect(Self.isWellFormed(sheet))
        #expect(sheet.hasSuffix("<row r=\"2\"><c r=\"A2\" s=\"1\"><v>2.50</v></c><c r=\"B2\" s=\"3\"><v>2</v></c></row>"
            + "<row r=\"3\"><c r=\"A3\" s=\"5\"><v>2.50</v></c></row></sheetData></worksheet>"), "the refused row is nowhere, not in the total either")
        #expect(folder.contents == ["out.xlsx"])
    }

    @Test("the sheet's name is one Excel accepts: no []:*?/\\, at most 31 characters, no ' at either end")
    func sheetName() throws {
        let folder = try Folder()
        let writer = try XLSXWriter(path: folder.path("named.xlsx"), sheetName: "'a[b]:c*d?e/f\\g' and a very long name beyond 31", headers: ["a"])
        try writer.finish(totalLabel: nil)
        let workbook = try #require(try Self.parts(folder.path("named.xlsx"))["xl/workbook.xml"])
        #expect(workbook.contains("<sheet name=\"abcdefg' and a very long name\" sheetId=\"1\""))
    }

    @Test("a sheet of many rows is streamed through the archive in pieces and comes out whole")
    func streaming() throws {
        let folder = try Folder()
        let path = folder.path("big.xlsx")
        let rows = 30_000
        let writer = try XLSXWriter(path: path, sheetName: "big", headers: ["行 row", "金额 amount", "说明 note"])
        var sum: Int64 = 0
        for index in 1...rows {
            let fen = Int64(index * 7919 % 100_003) - 50_000
            sum += fen
            try writer.append([.integer(Int64(index)), .money(Money(fen: fen)), .text(String(repeating: "职业技能 ", count: 8) + String(index))])
        }
        try writer.finish(totalLabel: XLSXWriter.totalLabel)
        let sheet = try #require(try Self.parts(path)["xl/worksheets/sheet1.xml"])
        #expect(sheet.utf8.count > 3 << 20, "larger than the 1 MiB pieces, so the rows file is read in several")
        #expect(Self.isWellFormed(sheet))
        #expect(sheet.components(separatedBy: "<row ").count - 1 == rows + 2)
        #expect(sheet.contains("<c r=\"A\(rows + 1)\"><v>\(rows)</v></c>"))
        #expect(sheet.hasSuffix("<c r=\"B\(rows + 2)\" s=\"5\"><v>\(Money(fen: sum).yuanString)</v></c></row></sheetData></worksheet>"))
    }
}
