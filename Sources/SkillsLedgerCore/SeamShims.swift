// TEMPORARY: adapters from the storage seam to the libraries' synchronous LedgerStore entry points, until Rules and
// Reconciliation take `any LedgerStorage` themselves (branch `seam`).
import Ledger
import Reconciliation
import Rules
import SkillsDomain

func sqlite(_ ledger: any LedgerStorage) -> LedgerStore { ledger as! LedgerStore }

extension RulesContext {
    static func load(_ ledger: any LedgerStorage) async throws -> RulesContext { try { try load(sqlite(ledger)) }() }
}

extension EntitlementEngine {
    static func outcome(_ ledger: any LedgerStorage, context: RulesContext, worker: String) async throws -> WorkerOutcome {
        try { try outcome(sqlite(ledger), context: context, worker: worker) }()
    }

    static func entitlements(_ ledger: any LedgerStorage, jurisdiction: JurisdictionCode, month: Month,
                             progress: ((Int, Int) -> Void)?) async throws -> ([Entitlement], [String]) {
        try { try entitlements(sqlite(ledger), jurisdiction: jurisdiction, month: month, progress: progress) }()
    }
}

extension Granting {
    static func grant(_ ledger: any LedgerStorage, jurisdiction: JurisdictionCode, month: Month, operatorName: String,
                      progress: ((Int) -> Void)?) async throws -> Result {
        try { try grant(sqlite(ledger), jurisdiction: jurisdiction, month: month, operatorName: operatorName, progress: progress) }()
    }
}

extension Audits {
    static func budget(_ ledger: any LedgerStorage, year: Int) async throws -> [BudgetRow] { try { try budget(sqlite(ledger), year: year) }() }
    static func employers(_ ledger: any LedgerStorage, year: Int) async throws -> [EmployerRow] { try { try employers(sqlite(ledger), year: year) }() }
}

extension LearningAccount {
    static func movements(_ ledger: any LedgerStorage, worker: String) async throws -> [CreditMovement] {
        try { try movements(sqlite(ledger), worker: worker) }()
    }
}

extension PolicyAdoption {
    static func adopt(paths: [String], store: any LedgerStorage, operatorName: String) async throws -> Result {
        try { try adopt(paths: paths, store: sqlite(store), operatorName: operatorName) }()
    }
}

extension Reconciler {
    init(store: any LedgerStorage) { self.init(store: sqlite(store)) }
}
