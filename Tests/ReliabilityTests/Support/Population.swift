import Foundation
import GRDB
@testable import Ledger
import LedgerTesting
import SkillsDomain

/// Invented workers and batches of their events, large enough that recording them takes the binary a while (so that
/// a kill lands inside the transaction), written as the files a clerk would submit.
enum Population {
    /// How many distinct people `citizen(_:)` can make: 900 per address code, 98 address codes.
    static let capacity = 98 * 900

    /// A valid 公民身份号码 for `index` (0 ..< capacity), all distinct, all in 湖北 十堰.
    static func citizen(_ index: Int) -> CitizenID {
        precondition((0..<capacity).contains(index))
        let district = 2 + index / 900
        return Build.citizenID(index % 900, address: "4203" + (district < 10 ? "0\(district)" : "\(district)"))
    }

    static func name(_ index: Int) -> String {
        let family = Array("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗")
        let given = Array("建国秀英伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚桂")
        return String(family[index % family.count]) + String(given[index / family.count % given.count]) + String(given[index / 7 % given.count])
    }

    /// The `worker.registered` submissions for people `range` (ids `w-N`), insured since 2020, in 茅箭区.
    static func registrations(_ range: Range<Int>) -> [Submission] {
        range.map { index in
            Build.workerRegistered("w-\(index)", worker: citizen(index), on: "2025-06-01", jurisdiction: "420302",
                                   insuredSince: "2020-01").submission(name: name(index))
        }
    }

    /// `count` credit.earned events spread over people `0 ..< people`, ids `PREFIX-N`, as JSON Lines.
    static func creditsJSONL(prefix: String, count: Int, people: Int) -> String {
        var lines: [String] = []
        lines.reserveCapacity(count)
        for number in 0..<count {
            let event = Build.creditEarned("\(prefix)-\(number)", worker: citizen(number % people), credits: "0.5",
                                           reference: "XF-\(prefix)-\(number)")
            lines.append(CanonicalJSONWriter.string(event.json))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// One junior certificate (electrician) in March 2026 for each of people `range`: each is owed the national
    /// skill-upgrade subsidy of 1,000 yuan when the month is granted.
    static func certificates(_ range: Range<Int>) -> [Submission] {
        range.map { index in
            Build.certificationAwarded("c-\(index)", worker: citizen(index), on: "2026-03-06", level: .junior,
                                       certificate: Build.certificateNumber(index, level: .junior)).submission()
        }
    }

    /// The payout file a bank would send for every grant in the ledger: each paid in full, against its grant id.
    static func paymentsCSV(for store: LedgerStore, paidOn: String = "2026-03-25") throws -> (text: String, rows: Int) {
        let identities = try store.identities()
        var lines = ["payment_id,payee,amount,paid_on,grant,bank_ref"]
        try store.forEachEvent(kinds: [.subsidyGranted]) { stored in
            guard let payee = stored.event.data["payee"]?.textValue, let amount = stored.event.data.money("amount") else { return }
            lines.append("p-\(lines.count),\(identities[payee] ?? payee),\(amount.yuanString),\(paidOn),\(stored.event.id),BR\(lines.count)")
        }
        return (lines.joined(separator: "\n") + "\n", lines.count - 1)
    }
}

/// Ledger files handled as files: copied whole (a closed ledger has no -wal), counted, removed.
enum LedgerFiles {
    /// Copies a closed ledger to `destination`, replacing whatever was there (and its -wal and -shm).
    static func copy(_ source: String, to destination: String) throws {
        remove(destination)
        try FileManager.default.copyItem(atPath: source, toPath: destination)
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm", "-journal"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    /// Makes a ledger at `path` holding `submissions` in one batch, and closes it (so the file stands alone).
    static func make(_ path: String, _ batches: [[Submission]]) throws {
        let store = try LedgerStore.open(path: path, create: true)
        for batch in batches where !batch.isEmpty { try store.append(batch, operatorName: "setup") }
    }

    /// How many events the ledger at `path` holds, in all and with ids matching the GLOB `pattern`.
    static func count(_ path: String, idGlob pattern: String = "*", kind: String? = nil) throws -> Int {
        let store = try LedgerStore.open(path: path)
        return try store.read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM events WHERE id GLOB ? AND (? IS NULL OR kind = ?)",
                             arguments: [pattern, kind, kind]) ?? -1
        }
    }
}
