import ArgumentParser
import Foundation
import Ledger

/// Options every command shares: which ledger, which output format, who is operating.
struct LedgerOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The ledger file.", valueName: "PATH"))
    var ledger: String?

    @Option(name: .long, help: "Output format: table (for people) or json.")
    var format: OutputFormat = .table

    @Option(name: .customLong("operator"), help: "Who runs this command, recorded with every event written (default: the OS user).")
    var operatorName: String?

    @Flag(name: .long, help: "No progress or notes on stderr.")
    var quiet = false

    var ledgerPath: String {
        ledger ?? ProcessInfo.processInfo.environment["SKILLS_LEDGER"] ?? "skills-ledger.sqlite"
    }

    var resolvedOperator: String {
        if let operatorName, !operatorName.isEmpty { return operatorName }
        let environment = ProcessInfo.processInfo.environment
        if let user = environment["USER"] ?? environment["LOGNAME"], !user.isEmpty { return user }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "unknown"
    }

    /// Opens the ledger; write commands create it when it is missing (and say so).
    func open(create: Bool = false) throws -> LedgerStore {
        let existed = FileManager.default.fileExists(atPath: ledgerPath)
        let store = try LedgerStore.open(path: ledgerPath, create: create)
        if create && !existed && !quiet { Console.note("created a new ledger at \(ledgerPath)") }
        return store
    }
}

enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
    case table, json, csv, markdown, html
}
