import Foundation
import SkillsLedgerCore

/// Progress of a long command on stderr — rows, rate and ETA — drawn in place on one line, at most four times a
/// second, and only when stderr is a terminal: a pipe or a log file gets nothing, and `--quiet` silences it.
///
/// ```swift
/// let progress = Progress("submit events.jsonl", total: 5_000_000, quiet: options.quiet)
/// progress.update(rows)      // cheap when called for every row: draws only every 250 ms
/// progress.finish()          // clears the line
/// ```
final class Progress: ProgressReporter {
    /// 250 ms between two drawings: at most 4 updates a second.
    static let intervalNanoseconds: UInt64 = 250_000_000

    let label: String
    var total: Int?
    /// What is counted: rows, events, workers.
    let unit: String
    let enabled: Bool
    var isShown: Bool { enabled }
    private let started: UInt64
    private var lastDrawn: UInt64 = 0
    private var drewSomething = false

    init(_ label: String, total: Int? = nil, unit: String = "rows", quiet: Bool, terminal: Bool = isatty(2) == 1) {
        self.label = label
        self.total = total
        self.unit = unit
        enabled = terminal && !quiet
        started = Progress.now()
        lastDrawn = started
    }

    /// Reports `done` rows; draws when the last drawing is at least 250 ms old.
    func update(_ done: Int) {
        guard enabled else { return }
        let now = Progress.now()
        guard now - lastDrawn >= Progress.intervalNanoseconds else { return }
        lastDrawn = now
        draw(Progress.line(label: label, done: done, total: total, unit: unit, elapsedNanoseconds: now - started))
    }

    /// Clears the progress line, so that the command's own output starts on a clean line.
    func finish() {
        guard enabled, drewSomething else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drewSomething = false
    }

    private func draw(_ text: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        drewSomething = true
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }

    /// `submit events.jsonl: 1,234,567 / 5,000,000 rows (24%), 245,310 rows/s, ETA 0:15`.
    static func line(label: String, done: Int, total: Int?, unit: String = "rows", elapsedNanoseconds: UInt64) -> String {
        let seconds = Double(elapsedNanoseconds) / 1e9
        let rate = seconds > 0 ? Double(done) / seconds : 0
        var text = "\(label): \(grouped(done))"
        if let total, total > 0 {
            text += " / \(grouped(total)) \(unit) (\(min(100, done * 100 / total))%)"
        } else {
            text += " \(unit)"
        }
        text += ", \(grouped(Int(rate))) \(unit)/s"
        if let total, rate > 0, done < total {
            text += ", ETA " + clock(Int((Double(total - done) / rate).rounded(.up)))
        }
        return text
    }

    static func grouped(_ value: Int) -> String {
        let digits = Array(String(value))
        var result = ""
        for (index, digit) in digits.enumerated() {
            if index > 0 && (digits.count - index) % 3 == 0 { result.append(",") }
            result.append(digit)
        }
        return result
    }

    static func clock(_ seconds: Int) -> String {
        let minutes = seconds / 60, rest = seconds % 60
        return minutes >= 60 ? "\(minutes / 60):\(pad2(minutes % 60)):\(pad2(rest))" : "\(minutes):\(pad2(rest))"
    }

    private static func pad2(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }

    /// An estimate of a text file's line count from its size and the lines in its first MiB, for an ETA without
    /// reading the file twice.
    static func estimatedLines(path: String) -> Int? {
        guard let handle = FileHandle(forReadingAtPath: path),
              let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? UInt64, size > 0 else { return nil }
        defer { try? handle.close() }
        guard let sample = try? handle.read(upToCount: 1 << 20), !sample.isEmpty else { return nil }
        let lines = sample.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        guard lines > 0 else { return 1 }
        return Int(Double(size) * Double(lines) / Double(sample.count))
    }
}

/// A ticking "working…" line for library calls that report no rows (entitlements, grant, reconcile): elapsed time
/// on stderr every 250 ms from a background timer, under the same rules as `Progress` (terminal only, not --quiet).
final class ElapsedTicker: ProgressReporter, @unchecked Sendable {
    private let timer: (any DispatchSourceTimer)?
    private let lock = NSLock()
    private var stopped = false
    var isShown: Bool { timer != nil }
    var total: Int?
    func update(_ done: Int) {}

    init(_ label: String, quiet: Bool, terminal: Bool = isatty(2) == 1) {
        guard terminal && !quiet else { timer = nil; return }
        let started = Progress.now()
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        self.timer = timer
        timer.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            let seconds = Int((Progress.now() - started) / 1_000_000_000)
            self.lock.lock()
            defer { self.lock.unlock() }
            if !self.stopped { FileHandle.standardError.write(Data("\r\u{1B}[K\(label): working… \(Progress.clock(seconds))".utf8)) }
        }
        timer.resume()
    }

    /// Stops the ticker and clears its line.
    func finish() {
        guard let timer else { return }
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        timer.cancel()
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

extension Progress {
    /// Progress over a file's rows, with the total estimated from the file only when progress will be shown.
    static func forFile(_ label: String, path: String, quiet: Bool) -> Progress {
        let progress = Progress(label, quiet: quiet)
        if progress.enabled { progress.total = estimatedLines(path: path) }
        return progress
    }
}
