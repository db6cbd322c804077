import Foundation
import SkillsDomain

/// Escaping for the text formats reports are written in. Every renderer goes through these, so that a name with a
/// comma, a pipe or an angle bracket cannot break a file.
public enum TextEscaping {
    /// One CSV field (RFC 4180): quoted when it holds a comma, a quote, a line break or leading/trailing spaces.
    /// A field that a spreadsheet would run as a formula (`=`, `+`, `-`, `@` followed by a letter) gets a leading `'`.
    public static func csvField(_ text: String) -> String {
        var text = text
        if let first = text.unicodeScalars.first, "=+@".unicodeScalars.contains(first) || (first == "-" && !isNumber(text)) {
            text = "'" + text
        }
        let needsQuotes = text.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" } || text.hasPrefix(" ") || text.hasSuffix(" ")
        return needsQuotes ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }

    /// One CSV record, ending in CRLF as RFC 4180 writes it.
    public static func csvRecord(_ fields: [String]) -> String {
        fields.map(csvField).joined(separator: ",") + "\r\n"
    }

    /// Text for a Markdown table cell: pipes and line breaks would end the cell, `<` could open HTML.
    public static func markdownCell(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
    }

    /// Text for HTML element content and attribute values.
    public static func html(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "'": result += "&#39;"
            default: result.append(character)
            }
        }
        return result
    }

    static func isNumber(_ text: String) -> Bool { (try? Money(yuan: text)) != nil }
}
