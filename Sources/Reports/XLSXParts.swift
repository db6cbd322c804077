import Foundation

/// The fixed XML of a one-sheet workbook and the text rules of its cells: the smallest set of parts Excel,
/// LibreOffice and openpyxl open without repairs (ECMA-376 Part 1, SpreadsheetML).
enum XLSXParts {
    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
    static let main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    static let relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    static let packageRelationships = "http://schemas.openxmlformats.org/package/2006/relationships"

    /// Every entry's date in the archive: fixed, so that the same report gives the same bytes (ZIP's epoch, 1980-01-01).
    static let modificationDate = Date(timeIntervalSince1970: 315_532_800)

    /// Excel's serial number of 1970-01-01 (serials count days from 1899-12-30).
    static let serialOf1970 = 25_569

    /// The parts other than the sheet, by path in the archive.
    static func fixedParts(sheetName: String) -> [(String, String)] {
        [
            ("[Content_Types].xml", declaration + """
                <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
                <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
                <Default Extension="xml" ContentType="application/xml"/>\
                <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
                <Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>\
                <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>\
                </Types>
                """),
            ("_rels/.rels", declaration + """
                <Relationships xmlns="\(packageRelationships)">\
                <Relationship Id="rId1" Type="\(relationships)/officeDocument" Target="xl/workbook.xml"/></Relationships>
                """),
            ("xl/workbook.xml", declaration + """
                <workbook xmlns="\(main)" xmlns:r="\(relationships)"><sheets>\
                <sheet name="\(attribute(sheetName))" sheetId="1" r:id="rId1"/></sheets></workbook>
                """),
            ("xl/_rels/workbook.xml.rels", declaration + """
                <Relationships xmlns="\(packageRelationships)">\
                <Relationship Id="rId1" Type="\(relationships)/worksheet" Target="worksheets/sheet1.xml"/>\
                <Relationship Id="rId2" Type="\(relationships)/styles" Target="styles.xml"/></Relationships>
                """),
            ("xl/styles.xml", styles),
        ]
    }

    /// Cell styles by index (the `s` of a cell): 0 general, 1 amount `0.00`, 2 date `yyyy-mm-dd`, 3 decimal `0.0000`,
    /// 4 bold (headers, the total's label), 5 bold amount (totals).
    static let styles = declaration + """
        <styleSheet xmlns="\(main)">\
        <numFmts count="3"><numFmt numFmtId="164" formatCode="0.00"/><numFmt numFmtId="165" formatCode="yyyy-mm-dd"/>\
        <numFmt numFmtId="166" formatCode="0.0000"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>\
        <font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="164" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyNumberFormat="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """

    /// The sheet up to its first row: its extent, the header frozen at the top, the column widths.
    static func sheetHead(columns: Int, rows: Int, widths: [Int]) -> String {
        var text = declaration + "<worksheet xmlns=\"\(main)\" xmlns:r=\"\(relationships)\">"
        text += "<dimension ref=\"A1:\(columnName(columns - 1))\(rows)\"/>"
        text += "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" state=\"frozen\"/>"
        text += "</sheetView></sheetViews><sheetFormatPr defaultRowHeight=\"15\"/><cols>"
        for (index, width) in widths.enumerated() {
            text += "<col min=\"\(index + 1)\" max=\"\(index + 1)\" width=\"\(max(width, 6) + 2)\" customWidth=\"1\"/>"
        }
        return text + "</cols><sheetData>"
    }

    static let sheetTail = "</sheetData></worksheet>"

    /// A column's letters: 0 → A, 25 → Z, 26 → AA.
    static func columnName(_ index: Int) -> String {
        var index = index
        var name = ""
        repeat {
            name.insert(Character(Unicode.Scalar(UInt8(65 + index % 26))), at: name.startIndex)
            index = index / 26 - 1
        } while index >= 0
        return name
    }

    /// A sheet name Excel accepts: without `[]:*?/\`, at most 31 characters, not starting or ending with `'`, not blank.
    static func sheetName(_ name: String) -> String {
        let kept = String(name.filter { !"[]:*?/\\".contains($0) && isAllowed($0.unicodeScalars.first!) }.prefix(31))
            .trimmingCharacters(in: CharacterSet(charactersIn: "' "))
        return kept.isEmpty ? "Sheet1" : kept
    }

    /// Whether XML 1.0 allows the character (§2.2: tab, line feed, carriage return, and U+0020 up, less U+FFFE/FFFF).
    static func isAllowed(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value >= 0x20 ? scalar.value != 0xFFFE && scalar.value != 0xFFFF : scalar == "\t" || scalar == "\n" || scalar == "\r"
    }

    /// Appends `text` as XML character data: `&`, `<`, `>` escaped, characters XML forbids removed, cut at
    /// `XLSXWriter.maximumCellLength` UTF-16 code units. Plain text (the usual case) is copied as it is.
    static func appendEscaped(_ text: String, to buffer: inout [UInt8]) {
        let plain = text.utf8.count <= XLSXWriter.maximumCellLength
            && !text.utf8.contains { $0 < 0x20 || $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == 0xEF }
        guard !plain else { return buffer.append(contentsOf: text.utf8) }
        var length = 0
        for scalar in text.unicodeScalars where isAllowed(scalar) {
            length += UTF16.width(scalar)
            if length > XLSXWriter.maximumCellLength { break }
            switch scalar {
            case "&": buffer.append(contentsOf: "&amp;".utf8)
            case "<": buffer.append(contentsOf: "&lt;".utf8)
            case ">": buffer.append(contentsOf: "&gt;".utf8)
            default: UTF8.encode(scalar) { buffer.append($0) }
            }
        }
    }

    /// `text` for an attribute value in double quotes.
    static func attribute(_ text: String) -> String {
        var escaped: [UInt8] = []
        appendEscaped(text, to: &escaped)
        return String(decoding: escaped, as: UTF8.self).replacingOccurrences(of: "\"", with: "&quot;")
    }

    /// How many columns `text` takes on screen (East Asian wide characters two), counted no further than
    /// `XLSXWriter.maximumWidth`; `known` when the text cannot be wider than that.
    static func displayWidth(_ text: String, atLeast known: Int) -> Int {
        guard text.utf8.count > known else { return known }
        var width = 0
        for scalar in text.unicodeScalars {
            width += isWide(scalar.value) ? 2 : 1
            if width >= XLSXWriter.maximumWidth { break }
        }
        return max(width, known)
    }

    /// East Asian wide and fullwidth characters (UAX #11), by the blocks that matter here: Hangul Jamo, CJK
    /// radicals to Yi, Hangul syllables, CJK compatibility, CJK compatibility forms, fullwidth forms, and the CJK
    /// extensions beyond the BMP.
    static func isWide(_ value: UInt32) -> Bool {
        switch value {
        case 0x1100...0x115F, 0x2E80...0xA4CF, 0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x20000...0x3FFFD: true
        default: false
        }
    }

    /// Whether `text` is a plain decimal number: an optional minus, digits, and optionally a point and digits.
    static func isDecimal(_ text: String) -> Bool {
        let body = text.hasPrefix("-") ? text.utf8.dropFirst() : text.utf8[...]
        let parts = body.split(separator: UInt8(ascii: "."), maxSplits: 1, omittingEmptySubsequences: false)
        return parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { (48...57).contains($0) } }
    }
}
