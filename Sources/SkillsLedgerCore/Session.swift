import Foundation
import Ledger
import SkillsDomain

/// Where a use case runs: the ledger, who operates (recorded in every event written), what today is, and where
/// notes and progress go. The CLI makes one per command, the service one per request.
///
/// ```swift
/// let session = Session(ledger: try await LedgerLocation("demo.sqlite").open(), operatorName: "clerk-1")
/// let report = try await WorkerLookup(session).report(for: "420303198610101192")
/// ```
public struct Session: Sendable {
    /// The ledger every operation of the session reads and writes.
    public var ledger: any LedgerStorage
    /// `NAME` for the CLI (`--operator`, else the OS user); `NAME (ROLE)` of the token for the service.
    public var operatorName: String
    /// The run date: reversals, closes and reopenings are dated with it.
    public var today: LocalDate
    /// Where warnings and progress go.
    public var observer: any OperationObserver

    /// A session on `ledger` for `operatorName`, dated today (UTC) unless told otherwise, showing nothing unless given an observer.
    public init(ledger: any LedgerStorage, operatorName: String, today: LocalDate = LocalDate.today(),
                observer: any OperationObserver = SilentObserver()) {
        self.ledger = ledger
        self.operatorName = operatorName
        self.today = today
        self.observer = observer
    }
}

extension Session {
    /// The same session on the ledger as it was recorded up to the end of `day` (`LedgerStorage.asOf`), dated that
    /// day; unchanged when `day` is nil. Every read use case answers from it as it would have then (`digest`,
    /// `worker`, `credits`, `entitlements`, the audits); one that writes is refused. Personal data is the registry's
    /// as it is now: an entry erased since stays erased.
    public func asOf(_ day: LocalDate?) async throws -> Session {
        guard let day else { return self }
        var session = self
        session.ledger = try await ledger.asOf(day)
        session.today = day
        return session
    }

    /// Who runs this process, for a command-line operator who gives no `--operator`: `USER`, `LOGNAME`, or the
    /// account's name.
    public static func processOwner() -> String {
        let environment = ProcessInfo.processInfo.environment
        if let user = environment["USER"] ?? environment["LOGNAME"], !user.isEmpty { return user }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "unknown"
    }
}

/// Where use cases send what is not their result: warnings about input, and progress of long runs. The CLI draws
/// them on stderr (unless `--quiet`); the service logs warnings and shows no progress.
public protocol OperationObserver: Sendable {
    /// A warning or note for the person running the operation (not part of the result).
    func note(_ text: String)

    /// Progress counted in `unit` (rows, workers, events).
    func progress(_ label: String, unit: String) -> any ProgressReporter

    /// Progress over a file's rows, the total estimated from the file when progress is shown.
    func fileProgress(_ label: String, path: String) -> any ProgressReporter

    /// Elapsed time only, for work that reports no counts (matching payments).
    func ticker(_ label: String) -> any ProgressReporter
}

/// One running progress display. Cheap to update for every row: it draws only now and then.
public protocol ProgressReporter: AnyObject {
    /// Whether anybody sees it (so that a costly total is computed only then).
    var isShown: Bool { get }
    var total: Int? { get set }
    func update(_ done: Int)
    /// Clears the display, so that the result starts on a clean line. Calling it twice is harmless.
    func finish()
}

/// Notes dropped, no progress: for tests and for callers that show nothing.
public struct SilentObserver: OperationObserver {
    /// An observer that keeps nothing.
    public init() {}
    public func note(_ text: String) {}
    public func progress(_ label: String, unit: String) -> any ProgressReporter { HiddenProgress() }
    public func fileProgress(_ label: String, path: String) -> any ProgressReporter { HiddenProgress() }
    public func ticker(_ label: String) -> any ProgressReporter { HiddenProgress() }
}

/// Progress nobody sees.
public final class HiddenProgress: ProgressReporter {
    /// A display that draws nothing.
    public init() {}
    public var isShown: Bool { false }
    public var total: Int?
    public func update(_ done: Int) {}
    public func finish() {}
}

/// A jurisdiction's month: what grants, reconciliations and closes are counted in.
public struct JurisdictionMonth: Sendable, Hashable, CustomStringConvertible {
    /// The jurisdiction (行政区划代码), or `national`.
    public var jurisdiction: JurisdictionCode
    /// The month, YYYY-MM.
    public var month: Month

    /// The month `month` of `jurisdiction`.
    public init(_ jurisdiction: JurisdictionCode, _ month: Month) {
        self.jurisdiction = jurisdiction
        self.month = month
    }

    /// `420300 2026-03`.
    public var description: String { "\(jurisdiction) \(month)" }
}
