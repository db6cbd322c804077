import Benchmark
import Crypto
import Foundation
import Generator
import Intake
import Ledger
import Reconciliation
import Rules
import SkillsDomain

/// The hot paths of a month-end at province scale, each on a small synthetic province (Sources/Generator), so that
/// a change to one of them shows here before it shows in Benchmarks/compare.sh:
/// canonical encoding and hashing, JSON Lines and CSV intake, append, rule evaluation, matching.
///
///     SKILLS_LEDGER_BENCHMARKS=1 swift package --scratch-path .build-bench benchmark
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .instructions, .mallocCountTotal, .peakMemoryResident],
        warmupIterations: 1,
        maxDuration: .seconds(3),
        maxIterations: 50
    )
    encodingBenchmarks()
    intakeBenchmarks()
    ledgerBenchmarks()
}

func encodingBenchmarks() {
    Benchmark("canonical JSON of 1,000 events") { benchmark in
        let events = Fixture.shared.decodedEvents
        for _ in benchmark.scaledIterations {
            for event in events { blackHole(CanonicalJSONWriter.encode(event.json)) }
        }
    }
    Benchmark("canonical JSON + SHA-256 chain of 1,000 events") { benchmark in
        let events = Fixture.shared.decodedEvents
        for _ in benchmark.scaledIterations {
            var previous = Data(repeating: 0, count: 32)
            for event in events {
                var hasher = SHA256()
                hasher.update(data: previous)
                hasher.update(data: CanonicalJSONWriter.encode(event.json))
                previous = Data(hasher.finalize())
            }
            blackHole(previous)
        }
    }
}

func intakeBenchmarks() {
    Benchmark("JSON Lines parse + decode, 1,000 lines") { benchmark in
        let lines = Fixture.shared.jsonLines
        for _ in benchmark.scaledIterations {
            for line in lines {
                if let value = try? JSONParser.parse(line) { blackHole(EventDecoder.decode(value)) }
            }
        }
    }
    Benchmark("CSV intake (workers.csv, 2,000 rows)") { benchmark in
        let path = Fixture.shared.directory + "/workers.csv"
        for _ in benchmark.scaledIterations {
            blackHole(try EventFileReader(path: path).read { blackHole($0) })
        }
    }
    Benchmark("payout file intake (payments CSV)") { benchmark in
        let path = Fixture.shared.paymentsPath
        for _ in benchmark.scaledIterations {
            blackHole(try PaymentFileReader(path: path).read { blackHole($0) })
        }
    }
}

func ledgerBenchmarks() {
    Benchmark("append workers.csv + events.jsonl (≈ 8,300 events) to a fresh ledger", configuration: .init(maxIterations: 10)) { benchmark in
        for _ in benchmark.scaledIterations {
            let path = Fixture.shared.directory + "/append-\(UUID().uuidString).sqlite"
            let store = try LedgerStore.open(path: path, create: true)
            try store.append(operatorName: "bench") { sink in
                _ = try EventFileReader(path: Fixture.shared.directory + "/workers.csv").read { try sink.add($0) }
                _ = try EventFileReader(path: Fixture.shared.directory + "/events.jsonl").read { try sink.add($0) }
            }
            Fixture.remove(path)
        }
    }
    Benchmark("verify the chain (2,000 workers)") { benchmark in
        for _ in benchmark.scaledIterations { blackHole(try Fixture.shared.store.verify()) }
    }
    Benchmark("rule evaluation: entitlements for a month (2,000 workers, six packs)") { benchmark async throws in
        let month = try Month(parsing: Fixture.month)
        for _ in benchmark.scaledIterations {
            blackHole(try await EntitlementEngine.entitlements(Fixture.shared.store, jurisdiction: .national, month: month))
        }
    }
    Benchmark("matching: reconcile a month's grants and payments") { benchmark async throws in
        let month = try Month(parsing: Fixture.month)
        let reconciler = Reconciler(store: Fixture.shared.store)
        for _ in benchmark.scaledIterations { blackHole(try await reconciler.reconcile(jurisdiction: .national, month: month)) }
    }
}
