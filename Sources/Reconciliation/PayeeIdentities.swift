import GRDB
import Ledger
import SkillsDomain

extension Reconciler {
    /// Pseudonym → 公民身份号码 for the given payees that the registry still identifies (as `LedgerStore.identities()`
    /// has them: erased people and organisations are absent), looked up together instead of loading the whole
    /// registry. Meant for a report's payees a chunk at a time.
    public func identities(of payees: [String]) throws -> [String: String] {
        let pseudonyms = Array(Set(payees.lazy.filter(PersonRef.isPseudonym)))
        var identities: [String: String] = [:]
        guard !pseudonyms.isEmpty else { return identities }
        identities.reserveCapacity(pseudonyms.count)
        try store.read { db in
            // SQLite takes at most 32,766 arguments per statement (999 before 3.32): ask in slices well below.
            for start in stride(from: 0, to: pseudonyms.count, by: 500) {
                let slice = pseudonyms[start..<min(start + 500, pseudonyms.count)]
                let marks = Array(repeating: "?", count: slice.count).joined(separator: ",")
                let rows = try Row.fetchCursor(db, sql: "SELECT pseudonym, citizen_id FROM persons WHERE citizen_id IS NOT NULL AND pseudonym IN (\(marks))",
                                               arguments: StatementArguments(slice))
                while let row = try rows.next() { identities[row[0]] = row[1] }
            }
        }
        return identities
    }
}
