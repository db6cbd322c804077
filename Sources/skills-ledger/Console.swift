import ArgumentParser
import Foundation
import Intake
import Reports
import Rules
import SkillsLedgerCore

/// Printing and exit codes, in one place: stdout for results, stderr for notes and errors.
enum Console {
    static func out(_ text: String) { print(text) }

    static func note(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    /// Writes a report to stdout in pieces, as the report produces them.
    static func write(_ report: some Report, _ format: ReportFormat) {
        report.write(format) { print($0, terminator: "") }
    }

    /// Prints a failure and gives SPEC.md's exit code: 1 nothing found, 2 bad input, usage or conflict, 3 integrity.
    static func fail(_ error: any Error) -> ExitCode {
        if let exit = error as? ExitCode { return exit }
        switch error {
        case is IntakeError, is PackErrors, OperationError.notFound: note("\(error)")
        default: note("error: \(error)")
        }
        switch FailureKind(error) {
        case .notFound: return ExitCode(1)
        case .integrity: return ExitCode(3)
        case .badInput, .conflict, .busy, .forbidden, .unknownTarget: return ExitCode(2)
        }
    }
}

/// Notes and progress on stderr, unless `--quiet`; progress only when stderr is a terminal.
struct ConsoleObserver: OperationObserver {
    var quiet: Bool

    func note(_ text: String) { if !quiet { Console.note(text) } }

    func progress(_ label: String, unit: String) -> any ProgressReporter { TerminalProgress(label, unit: unit, quiet: quiet) }

    func fileProgress(_ label: String, path: String) -> any ProgressReporter { TerminalProgress.forFile(label, path: path, quiet: quiet) }

    func ticker(_ label: String) -> any ProgressReporter { ElapsedTicker(label, quiet: quiet) }
}
