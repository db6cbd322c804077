import Foundation
import Intake
import SkillsDomain

/// A temporary directory for the files a test reads, removed when the value goes away.
final class ScratchFiles {
    let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("skills-ledger-intake-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: directory) }

    /// Writes `text` as UTF-8 (optionally with a BOM) and returns the path.
    func write(_ name: String, _ text: String, bom: Bool = false) throws -> String {
        try write(name, bytes: (bom ? [0xEF, 0xBB, 0xBF] : []) + Array(text.utf8))
    }

    func write(_ name: String, bytes: [UInt8]) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }
}

/// The repository's Samples folder, found from this file so that tests run from any directory.
enum SamplesFolder {
    static func path(_ name: String, filePath: String = #filePath) -> String {
        URL(fileURLWithPath: filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Samples").appendingPathComponent(name).path
    }
}

/// What reading a file gave: the submissions delivered and the outcome.
struct ReadResult {
    var submissions: [Submission]
    var outcome: EventFileReader.Outcome
}

/// Reads a file that is taken (a refused one throws).
func read(_ path: String, defaultSource: String? = nil) throws -> ReadResult {
    var submissions: [Submission] = []
    let outcome = try EventFileReader(path: path, defaultSource: defaultSource).read { submissions.append($0) }
    return ReadResult(submissions: submissions, outcome: outcome)
}

/// What reading a refused file gave: the submissions handed on before the first bad row, and the refusal.
struct RefusedResult {
    var submissions: [Submission]
    var refusal: IntakeError

    var errors: [RowIssue] { refusal.issues }
    /// `line:field` for each error, the way a clerk looks them up.
    var errorPlaces: [String] { errors.map { "\($0.line):\($0.field ?? "-")" } }
}

struct NotRefused: Error {}

/// Reads a file that must be refused (the read throws `IntakeError`).
func readRefused(_ path: String, defaultSource: String? = nil) throws -> RefusedResult {
    var submissions: [Submission] = []
    do {
        try EventFileReader(path: path, defaultSource: defaultSource).read { submissions.append($0) }
    } catch let refusal as IntakeError {
        return RefusedResult(submissions: submissions, refusal: refusal)
    }
    throw NotRefused()
}

/// Valid identifiers used across these tests.
enum Known {
    static let worker = "11010519491231002X"
    static let otherWorker = CitizenID.withCheckCharacter("42030219780412101")
    static let institution = CreditCode.withCheckCharacter("52420302MJ0K5T8H4")
    static let employer = "91330100716105852F"
    static let trainingHeader = "id,worker,name,course,title,institution,hours,started_on,completed_on,cost,paid_by,track,occupation"

    static func trainingRow(_ id: String, worker: String = Known.worker, title: String = "电工（初级）培训", hours: String = "64",
                            completed: String = "2026-02-27", cost: String = "1200") -> String {
        "\(id),\(worker),王建国,DG-01,\(title),\(institution),\(hours),2026-02-02,\(completed),\(cost),self,upgrade,6-31-01-03"
    }
}
