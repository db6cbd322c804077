import Foundation
import Generator
import Intake
import Ledger
import Reconciliation
import Rules
import SkillsDomain

/// A small province made once per benchmark process: 2,000 generated workers in a ledger with the six reference
/// packs adopted, the month granted and its payout file recorded.
final class Fixture: @unchecked Sendable {
    static let workers = 2_000
    static let month = "2026-06"
    /// Made once, on first use. The fixture is built through the async storage seam; a benchmark process has
    /// nothing else to do meanwhile, so its first use waits for it.
    static let shared: Fixture = {
        final class Box: @unchecked Sendable { var fixture: Fixture? }
        let box = Box(), done = DispatchSemaphore(value: 0)
        Task.detached {
            box.fixture = try! await Fixture.make()
            done.signal()
        }
        done.wait()
        return box.fixture!
    }()

    let directory: String
    let store: LedgerStore
    let paymentsPath: String
    /// The first 1,000 lines of events.jsonl, as bytes, and the events they decode to.
    let jsonLines: [[UInt8]]
    let decodedEvents: [Event]

    init(directory: String, store: LedgerStore, paymentsPath: String, jsonLines: [[UInt8]], decodedEvents: [Event]) {
        self.directory = directory
        self.store = store
        self.paymentsPath = paymentsPath
        self.jsonLines = jsonLines
        self.decodedEvents = decodedEvents
    }

    static func make() async throws -> Fixture {
        let directory = NSTemporaryDirectory() + "skills-ledger-bench-\(getpid())"
        _ = try ProvinceGenerator(workers: Fixture.workers, seed: 42).write(to: directory)
        let store = try LedgerStore.open(path: directory + "/ledger.sqlite", create: true)
        for file in ProvinceGenerator.submitOrder {
            try store.append(operatorName: "bench") { sink in
                _ = try EventFileReader(path: directory + "/" + file).read { try sink.add($0) }
            }
        }
        let packs = try FileManager.default.contentsOfDirectory(atPath: Fixture.policiesDirectory).filter { $0.hasSuffix(".yaml") }.sorted()
        _ = try await PolicyAdoption.adopt(paths: packs.map { Fixture.policiesDirectory + "/" + $0 }, store: store, operatorName: "bench")
        let month = try Month(parsing: Fixture.month)
        _ = try await Granting.grant(store, jurisdiction: .national, month: month, operatorName: "bench")
        let paymentsPath = directory + "/payments-\(Fixture.month).csv"
        _ = try PayoutGenerator(month: month, seed: 42).write(grants: try Fixture.grants(store), to: directory)
        _ = try await Reconciler(store: store).recordPayments(file: paymentsPath, jurisdiction: .national, month: month, operatorName: "bench")
        let text = try String(contentsOfFile: directory + "/events.jsonl", encoding: .utf8)
        let lines = text.split(separator: "\n").prefix(1_000).map { Array($0.utf8) }
        let decodedEvents = lines.compactMap { line -> Event? in
            guard let value = try? JSONParser.parse(line), case .success(let decoded) = EventDecoder.decode(value) else { return nil }
            return decoded.event
        }
        return Fixture(directory: directory, store: store, paymentsPath: paymentsPath, jsonLines: lines, decodedEvents: decodedEvents)
    }

    /// Samples/policies, found from this file's place in the package.
    static var policiesDirectory: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Samples/policies").path
    }

    static func grants(_ store: LedgerStore) throws -> [PayoutGrant] {
        let identities = try store.identities()
        var grants: [PayoutGrant] = []
        try store.forEachEvent(kinds: [.subsidyGranted]) { stored in
            guard let amount = stored.event.data.money("amount"), amount > .zero, let payee = stored.event.data.text("payee") else { return }
            grants.append(PayoutGrant(id: stored.event.id, payee: identities[payee] ?? payee, amount: amount))
        }
        return grants
    }

    static func remove(_ path: String) {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }
}
