import Foundation
import GRDB
import Intake
import Ledger
import LedgerTesting
import SkillsDomain

/// People and events most ledger tests share: three workers of Shiyan and what happened to them.
enum Story {
    static let wang = Build.citizenID(1)
    static let li = Build.citizenID(2, address: "420303")
    static let zhang = Build.citizenID(3, address: "420304")

    static let registrations = [
        Build.workerRegistered("w-1", worker: wang).submission(name: "王建国"),
        Build.workerRegistered("w-2", worker: li, jurisdiction: "420303").submission(name: "李秀英"),
        Build.workerRegistered("w-3", worker: zhang, jurisdiction: "420304", migrant: true).submission(name: "张伟"),
    ]

    static let progress = [
        Build.trainingCompleted("t-1", worker: wang).submission(),
        Build.certificationAwarded("c-1", worker: wang, level: .intermediate).submission(),
        Build.creditEarned("k-1", worker: li, credits: "2.5").submission(),
        Build.fundBudgeted("f-1").submission(),
        Build.employerEducationFund("e-1").submission(),
    ]

    static var all: [Submission] { registrations + progress }
}

extension TemporaryLedger {
    /// The ledger file's path.
    var ledgerPath: String { path("ledger.sqlite") }

    /// Appends submissions as one batch by the test operator.
    @discardableResult
    func add(_ submissions: [Submission]) throws -> AppendResult {
        try store.append(submissions, operatorName: "tester")
    }

    /// A consistent copy of the ledger file (`VACUUM INTO` sees what the WAL holds), opened with plain SQLite so a
    /// test can do what an attacker with file access could.
    func rawCopy(_ name: String) throws -> (path: String, database: DatabaseQueue) {
        let copy = path(name)
        let source = try DatabaseQueue(path: ledgerPath)
        try source.writeWithoutTransaction { db in try db.execute(sql: "VACUUM INTO ?", arguments: [copy]) }
        try source.close()
        return (copy, try DatabaseQueue(path: copy))
    }

    /// Submits files as `submit` does: each file one batch, refused whole when any row is bad.
    func submit(_ paths: [String], source: String? = nil) throws {
        for path in paths {
            let reader = EventFileReader(path: path, defaultSource: source)
            try store.append(operatorName: "tester") { sink in
                try reader.read { try sink.add($0) }
            }
        }
    }
}

/// Repository paths found from this file, so tests run from any directory.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static let samples = ["workers.csv", "training.csv", "certificates.csv", "events.jsonl"].map { path("Samples/" + $0) }
}

/// Every event of a ledger with people re-identified (pseudonyms differ between ledgers), as canonical JSON text by id.
func contentByID(_ store: LedgerStore) throws -> [String: String] {
    let identities = try store.identities()
    var result: [String: String] = [:]
    try store.forEachEvent { stored in
        let event = stored.event.mappingPeople { person in
            if case .pseudonym(let token) = person, let id = identities[token], let citizen = try? CitizenID(id) { return .citizen(citizen) }
            return person
        }
        result[event.id] = String(decoding: event.canonicalBytes, as: UTF8.self)
    }
    return result
}

/// The integrity failure an expression throws, if that is what it throws.
func integrityFailure(_ body: () throws -> Void) -> IntegrityFailure? {
    do { try body() } catch LedgerError.integrity(let failure) { return failure } catch { return nil }
    return nil
}
