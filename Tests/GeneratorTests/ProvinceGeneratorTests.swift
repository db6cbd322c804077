import Foundation
import Generator
import Intake
import SkillsDomain
import Testing

/// A fresh temporary directory per call, removed by the caller.
func temporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "generator-tests-" + UUID().uuidString
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

func contents(_ directory: String) throws -> [String: Data] {
    var result: [String: Data] = [:]
    for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
        result[name] = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
    }
    return result
}

@Suite struct ProvinceGeneratorTests {
    @Test func sameWorkersAndSeedGiveByteIdenticalFiles() throws {
        let first = temporaryDirectory(), second = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: first); try? FileManager.default.removeItem(atPath: second) }
        _ = try ProvinceGenerator(workers: 300, seed: 7, flatTable: true).write(to: first)
        _ = try ProvinceGenerator(workers: 300, seed: 7, flatTable: true).write(to: second)
        let a = try contents(first), b = try contents(second)
        #expect(a.keys.sorted() == (ProvinceGenerator.submitOrder + [ProvinceGenerator.flatTableFile, "summary.json"]).sorted())
        for (name, bytes) in a { #expect(b[name] == bytes, "\(name) differs between two runs") }
    }

    @Test func anotherSeedGivesAnotherProvince() throws {
        let first = temporaryDirectory(), second = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: first); try? FileManager.default.removeItem(atPath: second) }
        _ = try ProvinceGenerator(workers: 300, seed: 7).write(to: first)
        _ = try ProvinceGenerator(workers: 300, seed: 8).write(to: second)
        #expect(try contents(first)["events.jsonl"] != contents(second)["events.jsonl"])
    }

    /// Every file is read by the same intake `submit` uses, and every row of it is valid.
    @Test func everyRowPassesIntake() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let summary = try ProvinceGenerator(workers: 2_000, seed: 1).write(to: directory)
        var read = 0
        for file in ProvinceGenerator.submitOrder {
            #expect(throws: Never.self, "\(file)") { try EventFileReader(path: directory + "/" + file).read { _ in read += 1 } }
        }
        #expect(read == summary.events)
    }

    @Test func aboutFiveEventsPerWorkerOfEveryKindPeopleAndInstitutionsSubmit() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let summary = try ProvinceGenerator(workers: 5_000, seed: 3).write(to: directory)
        let perWorker = Double(summary.events) / 5_000
        #expect(perWorker > 4.5 && perWorker < 5.5, "\(perWorker) events per worker")
        let written: Set<EventKind> = [.subsidyGranted, .subsidyPaid, .policyAdopted, .periodClosed, .periodReopened,
                                        .noticePublished, .objectionFiled, .objectionResolved,
                                        .accessGranted, .accessRevoked]
        for kind in EventKind.allCases where !written.contains(kind) {
            #expect((summary.eventsByKind[kind.rawValue] ?? 0) > 0, "no \(kind) events")
        }
        #expect(summary.eventsByKind[EventKind.workerRegistered.rawValue] == 5_000)
    }

    @Test func everyWorkerHasADistinctValidCitizenID() throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        _ = try ProvinceGenerator(workers: 3_000, seed: 5).write(to: directory)
        var seen: Set<String> = []
        _ = try EventFileReader(path: directory + "/workers.csv").read { submission in
            if case .citizen(let id)? = submission.event.worker { seen.insert(id.value) }
        }
        #expect(seen.count == 3_000)
    }
}
