import Foundation
import Intake
import Reports

/// Progress of a long command on stderr — rows, rate and ETA — drawn in place on one line, at most four times a
/// second, and only when stderr is a terminal: a pipe or a log file gets nothing, and `--quiet` silences it.
///
/// The command-line front end's display (no use case draws it; the CLI's observer hands it out). It lives here, not
/// in `Sources/skills-ledger`, so that the CLI stays a thin shell under its 800-line budget.
///
/// ```swift
/// let progress = TerminalProgress("submit events.jsonl", total: 5_000_000, quiet: options.quiet)
/// progress.update(rows)      // cheap when called for every row: draws only every 250 ms
/// progress.finish()          // clears the line
/// ```
public final class TerminalProgress: ProgressReporter {
    /// 250 ms between two drawings: at most 4 updates a second.
    static let intervalNanoseconds: UInt64 = 250_000_000

    let label: String
    /// How many there are in all, when known (for the percentage and the ETA).
    public var total: Int?
    /// What is counted: rows, events, workers.
    let unit: String
    let enabled: Bool
    public var isShown: Bool { enabled }
    private let started: UInt64
    private var lastDrawn: UInt64 = 0
    private var drewSomething = false

    /// A display labelled `label` counting `unit`; drawn only when stderr is a terminal and not `quiet`.
    public init(_ label: String, total: Int? = nil, unit: String = "rows", quiet: Bool, terminal: Bool = isatty(2) == 1) {
        self.label = label
        self.total = total
        self.unit = unit
        enabled = terminal && !quiet
        started = TerminalProgress.now()
        lastDrawn = started
    }

    /// Reports `done` rows; draws when the last drawing is at least 250 ms old.
    public func update(_ done: Int) {
        guard enabled else { return }
        let now = TerminalProgress.now()
        guard now - lastDrawn >= TerminalProgress.intervalNanoseconds else { return }
        lastDrawn = now
        draw(ProgressLine.text(label: label, done: done, total: total, unit: unit, elapsedNanoseconds: now - started))
    }

    /// Clears the progress line, so that the command's own output starts on a clean line.
    public func finish() {
        guard enabled, drewSomething else { return }
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
        drewSomething = false
    }

    private func draw(_ text: String) {
        FileHandle.standardError.write(Data(("\r\u{1B}[K" + text).utf8))
        drewSomething = true
    }

    static func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
}

/// A ticking "working…" line for library calls that report no rows (entitlements, grant, reconcile): elapsed time
/// on stderr every 250 ms from a background timer, under the same rules as `TerminalProgress` (terminal only, not --quiet).
public final class ElapsedTicker: ProgressReporter, @unchecked Sendable {
    private let timer: (any DispatchSourceTimer)?
    private let lock = NSLock()
    private var stopped = false
    public var isShown: Bool { timer != nil }
    public var total: Int?
    public func update(_ done: Int) {}

    /// A ticker labelled `label`; it ticks only when stderr is a terminal and not `quiet`.
    public init(_ label: String, quiet: Bool, terminal: Bool = isatty(2) == 1) {
        guard terminal && !quiet else { timer = nil; return }
        let started = TerminalProgress.now()
        let timer = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        self.timer = timer
        timer.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
        timer.setEventHandler { [weak self] in
            guard let self else { return }
            let seconds = Int((TerminalProgress.now() - started) / 1_000_000_000)
            self.lock.lock()
            defer { self.lock.unlock() }
            if !self.stopped { FileHandle.standardError.write(Data("\r\u{1B}[K\(label): working… \(ProgressLine.clock(seconds))".utf8)) }
        }
        timer.resume()
    }

    /// Stops the ticker and clears its line.
    public func finish() {
        guard let timer else { return }
        lock.lock()
        defer { lock.unlock() }
        guard !stopped else { return }
        stopped = true
        timer.cancel()
        FileHandle.standardError.write(Data("\r\u{1B}[K".utf8))
    }
}

extension TerminalProgress {
    /// TerminalProgress over a file's rows, with the total estimated from the file only when progress will be shown.
    public static func forFile(_ label: String, path: String, quiet: Bool) -> TerminalProgress {
        let progress = TerminalProgress(label, quiet: quiet)
        if progress.enabled { progress.total = LineReader.estimatedLineCount(path: path) }
        return progress
    }
}
