import ArgumentParser
import Foundation
import Intake
import Ledger
import Rules
import SkillsDomain

/// Printing and exit codes, in one place: stdout for results, stderr for notes and errors.
enum Console {
    static func out(_ text: String) { print(text) }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Maps a library error to SPEC.md's exit code after printing it: 2 bad input, 3 integrity.
    static func fail(_ error: any Error) -> ExitCode {
        switch error {
        case let error as IntakeError:
            note(error.description)
            return ExitCode(2)
        case let error as LedgerError:
            note("error: " + error.description)
            if case .integrity = error { return ExitCode(3) }
            return ExitCode(2)
        case let error as ValueError:
            note("error: " + error.description)
            return ExitCode(2)
        case let error as ExitCode:
            return error
        case let error as PackErrors:
            note(error.description)
            return ExitCode(2)
        default:
            note("error: \(error)")
            return ExitCode(2)
        }
    }

    static func json(_ value: JSONValue) -> String { PrettyJSON.string(value) }
}

/// Human-friendly JSON for stdout: two-space indent, keys in the order given.
enum PrettyJSON {
    static func string(_ value: JSONValue, indent: Int = 0) -> String {
        let pad = String(repeating: "  ", count: indent)
        let inner = String(repeating: "  ", count: indent + 1)
        switch value {
        case .array(let elements):
            if elements.isEmpty { return "[]" }
            return "[\n" + elements.map { inner + string($0, indent: indent + 1) }.joined(separator: ",\n") + "\n" + pad + "]"
        case .object(let members):
            if members.isEmpty { return "{}" }
            return "{\n" + members.map { inner + CanonicalJSONWriter.string(.string($0.key)) + ": " + string($0.value, indent: indent + 1) }
                .joined(separator: ",\n") + "\n" + pad + "}"
        default:
            return CanonicalJSONWriter.string(value)
        }
    }
}

/// A plain text table with columns padded to their display width (CJK characters count double).
struct TextTable {
    var headers: [String]
    var rows: [[String]] = []

    init(_ headers: [String]) { self.headers = headers }

    mutating func add(_ row: [String]) { rows.append(row) }

    var rendered: String {
        let all = [headers] + rows
        var widths = Array(repeating: 0, count: headers.count)
        for row in all { for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], TextTable.width(cell)) } }
        func line(_ row: [String]) -> String {
            row.enumerated().map { index, cell in cell + String(repeating: " ", count: max(0, widths[index] - TextTable.width(cell))) }
                .joined(separator: "  ").trimmingTrailingSpaces
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(headers), rule] + rows.map(line)).joined(separator: "\n")
    }

    static func width(_ text: String) -> Int {
        text.unicodeScalars.reduce(0) { $0 + (($1.value >= 0x1100 && $1.value <= 0x115F) || ($1.value >= 0x2E80 && $1.value <= 0xA4CF)
            || ($1.value >= 0xAC00 && $1.value <= 0xD7A3) || ($1.value >= 0xF900 && $1.value <= 0xFAFF) || ($1.value >= 0xFF00 && $1.value <= 0xFF60) ? 2 : 1) }
    }
}

extension String {
    var trimmingTrailingSpaces: String {
        var result = self
        while result.hasSuffix(" ") { result.removeLast() }
        return result
    }
}
