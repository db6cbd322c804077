import ArgumentParser
import Foundation
import Intake
import Ledger
import Reports
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
