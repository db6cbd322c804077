import Foundation
import SkillsDomain

/// Writes a synthetic province: about five events per worker of every kind SPEC.md names, with valid identifiers, in
/// the five seed plans' jurisdictions, as the files a bureau receives. Same worker count and seed, same bytes.
///
/// ```swift
/// let summary = try ProvinceGenerator(workers: 10_000, seed: 42).write(to: "/tmp/province")
/// summary.events   // ≈ 50,000
/// ```
///
/// Files, in the order to submit them: `workers.csv` (registrations), `training.csv` and `certificates.csv` (what
/// Shiyan's institutions send), `events.jsonl` (budgets, education funds, and every other worker event),
/// `corrections.jsonl` (revocations and reversals, which point at earlier events). With `flatTable`, also
/// `all-events.csv`: every event as one row of `id,kind,occurred_on,source,worker,employer,data`, for comparing with
/// a plain `sqlite3 .import`. Memory stays bounded: one worker's story at a time.
public struct ProvinceGenerator: Sendable {
    /// The files in the order to submit them: registrations first, corrections last (they point at earlier events).
    public static let submitOrder = ["workers.csv", "training.csv", "certificates.csv", "events.jsonl", "corrections.jsonl"]
    /// The file `flatTable` adds: every event as one CSV row of `id,kind,occurred_on,source,worker,employer,data`.
    public static let flatTableFile = "all-events.csv"

    /// How many workers to generate: 1 to 14,600,000 (every one gets a distinct 公民身份号码).
    public let workers: Int
    /// The seed: the same worker count and seed give the same bytes.
    public let seed: UInt64
    /// Whether to write `all-events.csv` too, for comparing with a plain `sqlite3 .import`.
    public var flatTable: Bool

    /// A generator of a province of `workers` workers under `seed`; nothing is written until `write(to:progress:)`.
    public init(workers: Int, seed: UInt64, flatTable: Bool = false) {
        self.workers = workers
        self.seed = seed
        self.flatTable = flatTable
    }

    /// Writes the province into `directory` (created if missing); `progress` is called with the workers done so far.
    public func write(to directory: String, progress: (Int) -> Void = { _ in }) throws -> ProvinceSummary {
        guard workers >= 1 && workers <= SyntheticIdentifiers.maximumWorkers else {
            throw GeneratorError("--workers must be between 1 and \(SyntheticIdentifiers.maximumWorkers)")
        }
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var files = try ProvinceFiles(directory: directory, flatTable: flatTable)
        let province = Province(workers: workers)
        var frameRandom = SeededRandom(seed: seed, stream: UInt64.max)
        for event in province.fundEvents(random: &frameRandom) + province.educationFundEvents(random: &frameRandom) {
            files.add(event, to: .events)
        }
        for index in 0..<workers {
            let story = WorkerStory.make(index: index, seed: seed, province: province)
            files.add(story.registration, to: .workers)
            for event in story.csvTrainings { files.add(event, to: .training) }
            for event in story.csvCertificates { files.add(event, to: .certificates) }
            for event in story.events { files.add(event, to: .events) }
            for event in story.corrections { files.add(event, to: .corrections) }
            if (index + 1) % 10_000 == 0 { progress(index + 1) }
        }
        progress(workers)
        return try files.close(workers: workers, seed: seed)
    }
}

/// What the generator wrote: events per kind and rows per file.
public struct ProvinceSummary: Sendable, Equatable {
    /// Workers generated.
    public var workers: Int
    /// The seed they were generated from.
    public var seed: UInt64
    /// Events written, by kind (`training.completed`, …), whichever file they went to.
    public var eventsByKind: [String: Int]
    /// Rows written, by file name (`workers.csv`, …), CSV headers not counted.
    public var rowsByFile: [String: Int]

    /// Events written in all files together.
    public var events: Int { eventsByKind.values.reduce(0, +) }

    /// A stable JSON rendering (keys sorted) for `summary.json`.
    public var json: JSONValue {
        .object([
            JSONMember("workers", .number(String(workers))), JSONMember("seed", .number(String(seed))),
            JSONMember("events", .number(String(events))),
            JSONMember("events_by_kind", .object(eventsByKind.map { JSONMember($0.key, .number(String($0.value))) })),
            JSONMember("rows_by_file", .object(rowsByFile.map { JSONMember($0.key, .number(String($0.value))) })),
        ])
    }
}
