import Ledger
import SkillsDomain

/// What one submitted file did (`submit`, `POST /v1/batches`): events recorded, already recorded, the head after.
public struct BatchReceipt: Report, Sendable {
    /// The file as named on the command line or in the upload.
    public var file: String
    /// Events recorded by this batch.
    public var recorded: Int
    /// Events skipped as recorded before with identical content.
    public var alreadyRecorded: Int
    /// The ledger's digest after the batch.
    public var digest: LedgerDigest

    /// The receipt of `result` for `file`.
    public init(file: String, result: AppendResult) {
        self.file = file
        recorded = result.recorded
        alreadyRecorded = result.alreadyRecorded
        digest = result.head
    }

    public var formats: Set<ReportFormat> { [.table, .json] }

    public func write(_ format: ReportFormat, to emit: (String) -> Void) {
        guard effectiveFormat(format) == .json else {
            return emit("\(file): \(recorded) recorded, \(alreadyRecorded) already recorded (已记录 \(recorded) 条，重复 \(alreadyRecorded) 条); ledger now \(digest.count) events\n")
        }
        emit(compactLine(.object([
            JSONMember("file", .string(file)), JSONMember("recorded", .number(String(recorded))),
            JSONMember("already_recorded", .number(String(alreadyRecorded))), JSONMember("digest", .string(digest.description)),
        ])))
    }
}

/// The outcome of `verify`: every event checked, and the digest it verified to.
public struct VerifyReceipt: Report, Sendable {
    /// What verify found: events checked and the digest.
    public var report: VerifyReport

    /// The receipt of a verify that passed.
    public init(_ report: VerifyReport) { self.report = report }

    public var formats: Set<ReportFormat> { [.table, .json] }

    public func write(_ format: ReportFormat, to emit: (String) -> Void) {
        guard effectiveFormat(format) == .json else {
            return emit("ok: \(report.eventsChecked) events verified (校验通过); digest \(report.digest)\n")
        }
        emit(compactLine(.object([
            JSONMember("ok", .bool(true)), JSONMember("events", .number(String(report.eventsChecked))),
            JSONMember("digest", .string(report.digest.description)),
        ])))
    }
}

/// `digest`: the event count and head hash, `COUNT:HASH`, for publishing.
public struct DigestReceipt: Report, Sendable {
    /// The count and head hash.
    public var digest: LedgerDigest

    /// The receipt of `digest`.
    public init(_ digest: LedgerDigest) { self.digest = digest }

    public var formats: Set<ReportFormat> { [.table, .json] }

    public func write(_ format: ReportFormat, to emit: (String) -> Void) {
        guard effectiveFormat(format) == .json else { return emit(digest.description + "\n") }
        emit(compactLine(.object([
            JSONMember("count", .number(String(digest.count))), JSONMember("head", .string(digest.headHash)),
            JSONMember("digest", .string(digest.description)),
        ])))
    }
}

/// `migrate`: what was copied from the SQLite ledger into the PostgreSQL one, and the digest both now print.
public struct MigrationReceipt: Report, Sendable {
    /// The ledgers, the rows copied and the digest.
    public var report: CopyReport

    /// The receipt of a migration.
    public init(_ report: CopyReport) { self.report = report }

    public var formats: Set<ReportFormat> { [.table, .json] }

    public func write(_ format: ReportFormat, to emit: (String) -> Void) {
        guard effectiveFormat(format) == .json else {
            return emit("copied \(report.source) to \(report.target): \(report.events) events, \(report.people) people, "
                + "\(report.tokens) tokens, \(report.idempotentAnswers) idempotency answers (已迁移)\n"
                + "both ledgers verify with digest \(report.digest)\n")
        }
        emit(compactLine(.object([
            JSONMember("source", .string(report.source)), JSONMember("target", .string(report.target)),
            JSONMember("events", .number(String(report.events))), JSONMember("people", .number(String(report.people))),
            JSONMember("tokens", .number(String(report.tokens))), JSONMember("idempotency_answers", .number(String(report.idempotentAnswers))),
            JSONMember("digest", .string(report.digest.description)),
        ])))
    }
}

/// `backup`: where the copy went, its digest, and whether the copy was verified against it.
public struct BackupReceipt: Report, Sendable {
    /// Where the copy went, and the digest at the moment of the copy.
    public var report: BackupReport
    /// Whether the copy was opened, verified and its digest compared.
    public var checked: Bool

    /// The receipt of a backup, checked or not.
    public init(_ report: BackupReport, checked: Bool) {
        self.report = report
        self.checked = checked
    }

    public var formats: Set<ReportFormat> { [.table, .json] }

    public func write(_ format: ReportFormat, to emit: (String) -> Void) {
        guard effectiveFormat(format) == .json else {
            return emit("backed up \(report.digest.count) events to \(report.path); digest \(report.digest)"
                + (checked ? "; the copy verifies and has the same digest (备份校验通过)" : "") + "\n")
        }
        emit(compactLine(.object([
            JSONMember("backup", .string(report.path)), JSONMember("digest", .string(report.digest.description)),
            JSONMember("checked", .bool(checked)),
        ])))
    }
}

/// What `rebuild` did: the grant facts written again from the chain.
public struct RebuildReceipt: Report, Sendable {
    /// How many rows were written and how many of those kept before were wrong.
    public var report: RebuildReport

    public init(_ report: RebuildReport) { self.report = report }

    public var formats: Set<ReportFormat> { [.table, .json] }

    public func write(_ format: ReportFormat, to emit: (String) -> Void) {
        guard effectiveFormat(format) == .json else {
            return emit(report.repaired == 0
                ? "grant facts: \(report.grantFacts) rows, all as the chain says; nothing rewritten (授予索引与台账一致)\n"
                : "grant facts: \(report.repaired) \(report.repaired == 1 ? "row was" : "rows were") missing, changed or extra; all \(report.grantFacts) written again from the chain (授予索引已重建)\n")
        }
        emit(compactLine(.object([
            JSONMember("grant_facts", .number(String(report.grantFacts))), JSONMember("repaired", .number(String(report.repaired))),
        ])))
    }
}
