import Foundation
import SkillsDomain
import Testing

/// A workbook as openpyxl reads it (`read_xlsx.py`): a reader that shares no code with the writer.
struct ReadBack {
    struct Cell {
        var value: JSONValue
        var format: String
        var bold: Bool

        /// The cell's number as money: openpyxl gives the shortest decimal of the double it read, which for an
        /// amount of at most 15 digits is the amount written.
        var money: Money? {
            guard case .number(let text) = value else { return nil }
            return try? Money(yuan: text)
        }

        var text: String? {
            guard case .string(let text) = value else { return nil }
            return text
        }
    }

    var sheets: [String]
    var rows: [[Cell]]
    var widths: [String: Double]
    var frozen: String?

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("read_xlsx.py").path

    /// Whether python3 with openpyxl is here (CI installs it in .ci/run); the read-back tests are skipped without it.
    static let isAvailable: Bool = (try? python(["-c", "import openpyxl"]).status) == 0
    static let unavailable: Comment = "openpyxl is not installed: python3 -m pip install openpyxl"

    /// Reads the workbook at `path`.
    static func read(_ path: String) throws -> ReadBack {
        let run = try python([script, path])
        try #require(run.status == 0, "read_xlsx.py failed: \(run.err)")
        let json = try JSONParser.parse(run.out)
        guard case .array(let sheets)? = json["sheets"], case .array(let rows)? = json["rows"], case .object(let widths)? = json["widths"] else {
            throw CocoaError(.fileReadCorruptFile)
        }
        return ReadBack(
            sheets: sheets.compactMap(text),
            rows: rows.map { row in
                guard case .array(let cells) = row else { return [] }
                return cells.map { cell in
                    Cell(value: cell["value"] ?? .null, format: text(cell["format"]) ?? "", bold: cell["bold"] == .bool(true))
                }
            },
            widths: Dictionary(uniqueKeysWithValues: widths.map { ($0.key, number($0.value)) }),
            frozen: text(json["frozen"]))
    }

    static func number(_ value: JSONValue) -> Double {
        guard case .number(let text) = value else { return 0 }
        return Double(text) ?? 0
    }

    static func text(_ value: JSONValue?) -> String? {
        guard case .string(let text)? = value else { return nil }
        return text
    }

    static func python(_ arguments: [String]) throws -> (status: Int32, out: String, err: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let out = Pipe(), err = Pipe()
        (process.standardOutput, process.standardError) = (out, err)
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outData, as: UTF8.self), String(decoding: errData, as: UTF8.self))
    }
}

/// A folder for one test's files, removed afterwards.
final class Folder {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("skills-ledger-xlsx-" + UUID().uuidString)

    init() throws { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) }

    deinit { try? FileManager.default.removeItem(at: url) }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    /// The names in the folder, hidden ones included.
    var contents: [String] { ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? []).sorted() }
}
