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
            // One prepared statement, one primary-key search per payee: cheaper than long IN lists, which SQLite
            // parses and sorts into a temporary index first.
            let statement = try db.cachedStatement(sql: "SELECT citizen_id FROM persons WHERE pseudonym = ?")
            for pseudonym in pseudonyms {
                if let citizenID = try String?.fetchOne(statement, arguments: [pseudonym]) { identities[pseudonym] = citizenID }
            }
        }
        return identities
    }
}
