import ArgumentParser
import Foundation

extension SkillsLedgerCommand {
    /// Runs the command with SPEC.md's exit codes: bad usage exits 2, like bad input. ArgumentParser's own `main()`
    /// exits 64 (EX_USAGE) for an unknown option, a missing argument or a `ValidationError`.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            guard exitCode(for: error) == .validationFailure else { exit(withError: error) }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            Foundation.exit(2)
        }
    }
}
