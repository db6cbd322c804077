// service-load: many institutions submitting their batches to `skills-ledger serve` at once (issue 13, item 6).
//
//   service-load --url http://127.0.0.1:8080 --data DIR [--deadline SECONDS] [--retry] [--acked FILE] [--summary FILE]
//
// DIR holds tokens.tsv (institution code, TAB, its token; one line each) and batches/CODE/NNNN.jsonl (one batch per
// file, sent in name order). Every institution is one task sending its batches one after the other to
// POST /v1/batches, each with `Idempotency-Key: CODE-NNNN`; the tasks run side by side. The latency of each answered
// batch (the request that got the 201) goes into an HDR histogram. With --retry (the kill -9 campaign) a refused or
// broken connection, or a 5xx, is retried with the same key and body until the deadline; without it the batch counts
// as failed. --acked writes one line per 201: KEY RECORDED ALREADY_RECORDED REPLAYED.
import AsyncHTTPClient
import Foundation
import Histogram
import NIOCore

struct Options {
    var url = "http://127.0.0.1:8080"
    var data = ""
    var deadline: Duration = .seconds(3600)
    var retry = false
    var acked: String?
    var summary: String?

    init(_ arguments: [String]) {
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--url": url = iterator.next()!
            case "--data": data = iterator.next()!
            case "--deadline": deadline = .seconds(Int(iterator.next()!)!)
            case "--retry": retry = true
            case "--acked": acked = iterator.next()!
            case "--summary": summary = iterator.next()!
            default:
                FileHandle.standardError.write(Data("service-load: unknown argument \(argument)\n".utf8))
                exit(2)
            }
        }
        if data.isEmpty {
            FileHandle.standardError.write(Data("usage: service-load --url URL --data DIR [--deadline S] [--retry] [--acked FILE] [--summary FILE]\n".utf8))
            exit(2)
        }
    }
}

/// What one institution's task saw.
struct Tally: Sendable {
    var latency = Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)  // µs
    var acknowledged = 0
    var events = 0
    var alreadyRecorded = 0
    var replayed = 0
    var retried = 0
    var failed: [String] = []
    var notSent = 0
    var acked: [String] = []

    mutating func add(_ other: Tally) {
        latency.add(other.latency)
        acknowledged += other.acknowledged
        events += other.events
        alreadyRecorded += other.alreadyRecorded
        replayed += other.replayed
        retried += other.retried
        failed += other.failed
        notSent += other.notSent
        acked += other.acked
    }
}

/// A number field of the answer's JSON (`"recorded":100`).
func field(_ name: String, in text: String) -> Int {
    guard let range = text.range(of: "\"\(name)\":") else { return 0 }
    return Int(text[range.upperBound...].prefix { $0.isNumber }) ?? 0
}

func institution(code: String, token: String, batches: [URL], options: Options, client: HTTPClient, end: ContinuousClock.Instant,
                 progress: Progress) async -> Tally {
    var tally = Tally()
    for (index, file) in batches.enumerated() {
        guard ContinuousClock.now < end else {
            tally.notSent += batches.count - index
            break
        }
        let body: Data
        do { body = try Data(contentsOf: file) } catch {
            tally.failed.append("\(file.path): \(error)")
            continue
        }
        let key = "\(code)-\(file.deletingPathExtension().lastPathComponent)"
        let lines = body.reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
        while true {
            var request = HTTPClientRequest(url: options.url + "/v1/batches")
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/x-ndjson")
            request.headers.add(name: "Idempotency-Key", value: key)
            request.body = .bytes(ByteBuffer(bytes: body))
            let start = ContinuousClock.now
            var retryable = false
            var problem = ""
            do {
                let response = try await client.execute(request, timeout: .seconds(300))
                let text = String(buffer: try await response.body.collect(upTo: 1 << 20))
                if response.status.code == 201 {
                    let elapsed = ContinuousClock.now - start
                    let micros = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
                    _ = tally.latency.record(UInt64(max(1, micros)))
                    tally.acknowledged += 1
                    tally.events += lines
                    let already = field("already_recorded", in: text), recorded = field("recorded", in: text)
                    let replay = response.headers.first(name: "Idempotency-Replayed") == "true"
                    if already > 0 { tally.alreadyRecorded += 1 }
                    if replay { tally.replayed += 1 }
                    if options.acked != nil { tally.acked.append("\(key) \(recorded) \(already) \(replay)") }
                    await progress.done()
                    break
                }
                problem = "\(response.status.code) \(text.prefix(300))"
                retryable = response.status.code >= 500
            } catch {
                problem = "\(error)"
                retryable = true
            }
            if options.retry && retryable && ContinuousClock.now < end {
                tally.retried += 1
                try? await Task.sleep(for: .milliseconds(200))
                continue
            }
            tally.failed.append("\(key): \(problem)")
            break
        }
    }
    return tally
}

actor Progress {
    var count = 0
    let total: Int
    let start = ContinuousClock.now
    var last = ContinuousClock.now

    init(total: Int) { self.total = total }

    func done() {
        count += 1
        if ContinuousClock.now - last > .seconds(10) {
            last = ContinuousClock.now
            let seconds = Double((ContinuousClock.now - start).components.seconds)
            FileHandle.standardError.write(Data("service-load: \(count)/\(total) batches, \(Int(Double(count) / max(seconds, 1))) batches/s\n".utf8))
        }
    }
}

func milliseconds(_ micros: UInt64) -> String { String(format: "%.1f", Double(micros) / 1000) }

let options = Options(Array(CommandLine.arguments.dropFirst()))
let dataURL = URL(fileURLWithPath: options.data)
let tokens: [(code: String, token: String)] = try String(contentsOf: dataURL.appendingPathComponent("tokens.tsv"), encoding: .utf8)
    .split(separator: "\n").map { line in
        let parts = line.split(separator: "\t")
        return (String(parts[0]), String(parts[1]))
    }
var work: [(code: String, token: String, batches: [URL])] = []
for (code, token) in tokens {
    let folder = dataURL.appendingPathComponent("batches").appendingPathComponent(code)
    let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        .filter { $0.pathExtension == "jsonl" }.sorted { $0.lastPathComponent < $1.lastPathComponent }
    work.append((code, token, files))
}
let totalBatches = work.reduce(0) { $0 + $1.batches.count }

var configuration = HTTPClient.Configuration()
configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: max(8, work.count))
configuration.timeout = .init(connect: .seconds(5), read: .seconds(300))
let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
let progress = Progress(total: totalBatches)
let start = ContinuousClock.now
let end = start + options.deadline
FileHandle.standardError.write(Data("service-load: \(work.count) institutions, \(totalBatches) batches, to \(options.url)\n".utf8))
let tally = await withTaskGroup(of: Tally.self) { group in
    for item in work {
        group.addTask {
            await institution(code: item.code, token: item.token, batches: item.batches, options: options, client: client, end: end,
                              progress: progress)
        }
    }
    var total = Tally()
    for await part in group { total.add(part) }
    return total
}
let wall = ContinuousClock.now - start
try await client.shutdown()

let seconds = Double(wall.components.seconds) + Double(wall.components.attoseconds) / 1e18
let latency = tally.latency
var summary = """
    institutions=\(work.count)
    batches_sent=\(totalBatches - tally.notSent)
    batches_acknowledged=\(tally.acknowledged)
    batches_failed=\(tally.failed.count)
    batches_not_sent=\(tally.notSent)
    batches_retried=\(tally.retried)
    batches_found_already_recorded=\(tally.alreadyRecorded)
    batches_replayed=\(tally.replayed)
    events_acknowledged=\(tally.events)
    wall_seconds=\(String(format: "%.2f", seconds))
    events_per_second=\(String(format: "%.0f", Double(tally.events) / seconds))
    batches_per_second=\(String(format: "%.1f", Double(tally.acknowledged) / seconds))
    latency_ms_p50=\(milliseconds(latency.valueAtPercentile(50)))
    latency_ms_p90=\(milliseconds(latency.valueAtPercentile(90)))
    latency_ms_p99=\(milliseconds(latency.valueAtPercentile(99)))
    latency_ms_max=\(milliseconds(latency.max))

    """
for failure in tally.failed.prefix(10) { summary += "failed: \(failure)\n" }
print(summary, terminator: "")
if let path = options.summary { try summary.write(toFile: path, atomically: true, encoding: .utf8) }
if let path = options.acked { try (tally.acked.sorted().joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8) }
exit(tally.failed.isEmpty ? 0 : 1)
