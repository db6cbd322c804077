import ArgumentParser
import Ledger

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Create a new, empty ledger file (建立台账).")

    @OptionGroup var options: LedgerOptions

    func run() throws {
        do {
            let store = try options.open(create: true)
            let digest = try store.digest()
            Console.out(digest.count == 0 ? "ledger ready at \(options.ledgerPath)" : "ledger already exists at \(options.ledgerPath): \(digest.count) events")
        } catch { throw Console.fail(error) }
    }
}
