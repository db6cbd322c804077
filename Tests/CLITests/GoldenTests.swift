import Foundation
import Testing

/// Golden tests: what every printing command writes, byte for byte, on two fixed scenarios (the samples as
/// `skills-ledger demo` runs them, and the public contract's scenario). They pin today's output so that a refactoring
/// can show it changed nothing: every case's stdout is compared with a file in `Tests/CLITests/Golden/<scenario>/`,
/// and every case's exit code and stderr with that folder's `exit-codes-and-stderr.txt`.
///
/// Regenerate the files (after a change that is meant to change output, then review `git diff`):
///
///     SKILLS_LEDGER_UPDATE_GOLDEN=1 swift test --filter CLITests.GoldenTests
///
/// Deterministic by construction where the tool allows it: every command runs in a scratch folder holding copies of
/// the input files, with relative paths (`Samples/…`, `ledger.sqlite`), with `--operator golden`, and with `USER` and
/// `LOGNAME` set to `golden-os-user`. The ledger's pseudonym key, random by design, is replaced right after `init`
/// by a fixed one (`GoldenRun.fixPseudonymKey`, with the sqlite3 shell): pseudonyms, and everything ordered by them
/// (entitlements and grants are sorted by payee, and a person payee is a pseudonym), are then the same on every run.
/// What cannot be fixed from outside (the tool has no option for the recording time) is replaced by
/// `GoldenNormaliser.normalise`.
///
/// Both backends: with `SKILLS_LEDGER_TEST_POSTGRES` set (CI sets it), each scenario runs again on a fresh PostgreSQL
/// database, with `--ledger postgres://…`, and must give the same bytes: the URL is written `ledger.sqlite` in the
/// outputs, the key is fixed with psql, and nothing else is allowed to differ.
///
/// Not covered: `demo`, which builds its own ledger and so cannot be given a fixed key (its entitlements table comes
/// out in a different order in every run), and `generate`.
@Suite("golden outputs of every command")
struct GoldenTests {
    static let wangJianguo = "420302197804121019"  // sy-c-001, explicit credits, in the payout file
    static let liXiuying = "420303198509231021"    // exactly 12 insured months (sy-c-002); reversed here by `reverse`
    static let zhangWei = "420304199611051052"     // migrant, #17 instead of skill-upgrade
    static let zhaoLijuan = "42030419880314112X"   // a 4th certificate in a year; check character X
    static let zhouMin = "420302199305301161"      // a revoked certificate
    static let wuGang = "420303198610101192"       // a certificate keyed wrong, reversed (sy-rev-001), re-entered
    static let xuJing = "420304199901201207"       // credits from training hours and credit.earned
    static let sunHao = "420381200108081236"       // no employer, no insurance
    static let zhuJun = "420303197202291279"       // leap-day birthday, paid in the payout file; erased here
    static let zhengGuohua = "510107197005051299"  // 诸葛工匠 twice
    static let panJianjun = "330382198008251570"   // Nanyue yearly cap
    static let zhengBo = "330382197801151618"      // becomes frontline by worker.changed
    static let liNa = "620403200401311786"         // apprenticeship, paid to the employer
    static let gaoFeng = "410102199001261997"      // competition rank 1, talent pool
    static let jurisdictions = ["420300", "510107", "330382", "620400", "410100"]
    static let months = (1...7).map { "2026-0\($0)" }

    @Test("the samples, as `demo` and the README run them", .enabled(if: CLI.onPath("sqlite3")), arguments: GoldenRun.Backend.all)
    func samples(backend: GoldenRun.Backend) throws {
        let run = try GoldenRun(scenario: "samples", backend: backend)
        try run.copy(Workspace.repository.appendingPathComponent("Samples"), to: "Samples")
        let samples = ["Samples/workers.csv", "Samples/training.csv", "Samples/certificates.csv", "Samples/events.jsonl"]

        try run.check("init", ["init"])
        try run.fixPseudonymKey()
        try run.check("policy-adopt", ["policy", "adopt"] + run.policyPacks())
        try run.check("submit.json", ["submit", "--format", "json"] + samples)
        try run.check("submit-again", ["submit"] + samples)
        try run.check("submit-bad-training.stderr", ["submit", "Samples/bad/training.csv"], exit: 2, stderrIsTheOutput: true)
        try run.check("verify.json", ["verify", "--format", "json"])
        try run.check("verify", ["verify"])
        try run.check("digest.json", ["digest", "--format", "json"])
        let digest = try run.output(["digest"]).trimmingCharacters(in: .whitespacesAndNewlines)
        try run.check("verify-digest.json", ["verify", "--digest", digest, "--format", "json"])
        try run.check("policy-list.json", ["policy", "list", "--format", "json"])
        try run.check("policy-list", ["policy", "list"])

        let workers = [("wang-jianguo", Self.wangJianguo), ("li-xiuying", Self.liXiuying), ("zhang-wei", Self.zhangWei),
                       ("zhao-lijuan", Self.zhaoLijuan), ("zhou-min", Self.zhouMin), ("wu-gang", Self.wuGang), ("sun-hao", Self.sunHao),
                       ("zhu-jun", Self.zhuJun), ("zheng-guohua", Self.zhengGuohua), ("pan-jianjun", Self.panJianjun),
                       ("zheng-bo", Self.zhengBo), ("li-na", Self.liNa), ("gao-feng", Self.gaoFeng)]
        for (name, id) in workers { try run.check("worker-\(name).json", ["worker", id, "--format", "json"]) }
        try run.check("worker-wu-gang", ["worker", Self.wuGang])
        try run.check("worker-wu-gang-unmasked", ["worker", Self.wuGang, "--unmasked"])
        try run.check("worker-li-na", ["worker", Self.liNa])
        try run.check("worker-unknown", ["worker", "11010519491231002X"], exit: 1, stderrIsTheOutput: true)
        try run.check("credits-xu-jing.json", ["credits", Self.xuJing, "--format", "json"])
        try run.check("credits-xu-jing", ["credits", Self.xuJing])
        try run.check("credits-wang-jianguo.json", ["credits", Self.wangJianguo, "--format", "json"])

        for jurisdiction in Self.jurisdictions {
            for month in Self.months {
                try run.check("entitlements-\(jurisdiction)-\(month).json",
                              ["entitlements", "--jurisdiction", jurisdiction, "--month", month, "--format", "json"])
            }
        }
        try run.check("entitlements-420300-2026-03", ["entitlements", "--jurisdiction", "420300", "--month", "2026-03"])
        try run.check("entitlements-420300-2026-03.csv", ["entitlements", "--jurisdiction", "420300", "--month", "2026-03", "--format", "csv"])
        try run.check("entitlements-330382-2026-04.csv", ["entitlements", "--jurisdiction", "330382", "--month", "2026-04", "--format", "csv"])

        // The demo's month: grant the quarter, load the bank's file, reconcile in every format, close.
        for month in ["2026-01", "2026-02", "2026-03"] {
            try run.check("grant-420300-\(month).json", ["grant", "--jurisdiction", "420300", "--month", month, "--format", "json"])
        }
        try run.check("grant-420300-2026-03-again", ["grant", "--jurisdiction", "420300", "--month", "2026-03"])
        try run.check("grant-620400-2026-04", ["grant", "--jurisdiction", "620400", "--month", "2026-04"])
        let payments = "Samples/payments/420300-2026-03.csv"
        try run.check("reconcile-420300-2026-03.json",
                      ["reconcile", "--jurisdiction", "420300", "--month", "2026-03", "--payments", payments, "--format", "json"], exit: 1)
        for format in ["csv", "markdown", "html"] {
            try run.check("reconcile-420300-2026-03.\(format == "markdown" ? "md" : format)",
                          ["reconcile", "--jurisdiction", "420300", "--month", "2026-03", "--format", format], exit: 1)
        }
        try run.check("reconcile-420300-2026-03", ["reconcile", "--jurisdiction", "420300", "--month", "2026-03", "--payments", payments], exit: 1)
        try run.check("reconcile-420300-2026-03-close.json",
                      ["reconcile", "--jurisdiction", "420300", "--month", "2026-03", "--close", "--format", "json"], exit: 1)
        try run.check("reconcile-420300-2026-03-closed", ["reconcile", "--jurisdiction", "420300", "--month", "2026-03"], exit: 1)
        try run.check("reopen-420300-2026-03", ["reopen", "--jurisdiction", "420300", "--month", "2026-03", "--reason", "银行补发回盘"])
        try run.check("reconcile-420300-2026-03-reopened.md", ["reconcile", "--jurisdiction", "420300", "--month", "2026-03", "--format", "markdown"], exit: 1)

        for year in ["2025", "2026"] {
            try run.check("audit-budget-\(year).json", ["audit", "budget", "--year", year, "--format", "json"], exit: year == "2026" ? 1 : 0)
            try run.check("audit-employers-\(year).json", ["audit", "employers", "--year", year, "--format", "json"], exit: year == "2026" ? 1 : 0)
        }
        try run.check("audit-budget-2026", ["audit", "budget", "--year", "2026"], exit: 1)
        try run.check("audit-employers-2026", ["audit", "employers", "--year", "2026"], exit: 1)
        try run.check("export.jsonl", ["export"])
        try run.check("backup-check.json", ["backup", "backup.sqlite", "--check", "--format", "json"])
        try run.check("backup", ["backup", "backup-2.sqlite"])
        try run.check("backup-exists", ["backup", "backup.sqlite"], exit: 2, stderrIsTheOutput: true)

        // Corrections: a reversal (and the clawback it causes), then an erasure, and what they change.
        try run.check("reverse-sy-c-002", ["reverse", "sy-c-002", "--reason", "证书信息有误", "--date", "2026-06-01"])
        try run.check("worker-li-xiuying-after-reverse.json", ["worker", Self.liXiuying, "--format", "json"])
        try run.check("grant-420300-2026-06-clawback.json", ["grant", "--jurisdiction", "420300", "--month", "2026-06", "--format", "json"])
        try run.check("erase-zhu-jun", ["erase", Self.zhuJun, "--reason", "本人申请删除个人信息"])
        try run.check("erase-zhu-jun-again", ["erase", Self.zhuJun, "--reason", "again"], exit: 1, stderrIsTheOutput: true)
        try run.check("worker-zhu-jun-erased.json", ["worker", Self.zhuJun, "--format", "json"])
        try run.check("worker-zhu-jun-erased", ["worker", Self.zhuJun])
        try run.check("reconcile-420300-2026-03-after-erase.json", ["reconcile", "--jurisdiction", "420300", "--month", "2026-03", "--format", "json"], exit: 1)
        try run.check("entitlements-420300-2026-03-after-erase.json",
                      ["entitlements", "--jurisdiction", "420300", "--month", "2026-03", "--format", "json"])
        try run.check("export-after-erase.jsonl", ["export"])
        // Public notice (公示) of Wuhou's February (its pack asks for 5 working days), an objection to the 诸葛工匠 award,
        // its dismissal, and the grants before and after the notice ends.
        let wuhou = ["--jurisdiction", "510107", "--month", "2026-02"]
        let notice = ["notice"] + wuhou + ["--from", "2026-02-12", "--calendar", "Samples/calendars/2026.yaml"]
        try run.check("grant-510107-2026-02-no-notice", ["grant"] + wuhou + ["--on", "2026-02-10"])
        for format in ["json", "csv", "html"] { try run.check("notice-510107-2026-02.\(format)", notice + ["--format", format]) }
        try run.check("notice-510107-2026-02", notice)
        try run.check("grant-510107-2026-02-notice-running.json", ["grant"] + wuhou + ["--on", "2026-02-25", "--format", "json"])
        let award = "ent-eb43d6257909ed629143"
        try run.check("object", ["object", award, "--reason", "举报：获奖人不符合条件"])
        try run.check("grant-510107-2026-03-objection-open", ["grant", "--jurisdiction", "510107", "--month", "2026-03", "--on", "2026-03-02"])
        try run.check("resolve-dismissed", ["resolve", award, "--dismissed", "--reason", "经核查，符合条件"])
        try run.check("resolve-again", ["resolve", award, "--upheld", "--reason", "again"], exit: 2, stderrIsTheOutput: true)
        try run.check("grant-510107-2026-03.json", ["grant", "--jurisdiction", "510107", "--month", "2026-03", "--on", "2026-03-02", "--format", "json"])
        try run.check("verify-after-erase.json", ["verify", "--format", "json"])
        try run.finish()
    }

    @Test("the public contract's scenario (../shared/contract)", .enabled(if: GoldenRun.contract != nil && CLI.onPath("sqlite3")),
          arguments: GoldenRun.Backend.all)
    func contract(backend: GoldenRun.Backend) throws {
        let run = try GoldenRun(scenario: "contract", backend: backend)
        try run.copy(Workspace.repository.appendingPathComponent("Samples/policies"), to: "Samples/policies")
        try run.copy(try #require(GoldenRun.contract), to: "contract")

        try run.check("init", ["init"])
        try run.fixPseudonymKey()
        try run.check("policy-adopt", ["policy", "adopt"] + run.policyPacks())
        try run.check("submit.json", ["submit", "contract/events.jsonl", "--format", "json"])
        try run.check("submit-again", ["submit", "contract/events.jsonl"])
        try run.check("submit-bad-training.stderr", ["submit", "contract/bad-training.csv"], exit: 2, stderrIsTheOutput: true)
        try run.check("verify.json", ["verify", "--format", "json"])
        try run.check("digest.json", ["digest", "--format", "json"])
        try run.check("policy-list.json", ["policy", "list", "--format", "json"])
        for jurisdiction in ["420300", "510107", "620400", "410100"] {
            for month in Self.months {
                try run.check("entitlements-\(jurisdiction)-\(month).json",
                              ["entitlements", "--jurisdiction", jurisdiction, "--month", month, "--format", "json"])
            }
        }
        for worker in ["420304198606060136", "420305199802140249", "510107197509090355", "620402200601010463", "410103199103030571"] {
            try run.check("worker-\(worker).json", ["worker", worker, "--format", "json"])
        }
        for month in ["2026-01", "2026-02", "2026-03"] {
            try run.check("grant-420300-\(month).json", ["grant", "--jurisdiction", "420300", "--month", month, "--format", "json"])
        }
        let payments = "contract/payments-2026-03.csv"
        try run.check("reconcile-420300-2026-03.json",
                      ["reconcile", "--jurisdiction", "420300", "--month", "2026-03", "--payments", payments, "--format", "json"], exit: 1)
        try run.check("reconcile-420300-2026-03.csv", ["reconcile", "--jurisdiction", "420300", "--month", "2026-03", "--format", "csv"], exit: 1)
        try run.check("reconcile-420300-2026-03-close.json",
                      ["reconcile", "--jurisdiction", "420300", "--month", "2026-03", "--payments", payments, "--close", "--format", "json"], exit: 1)
        try run.check("audit-budget-2026.json", ["audit", "budget", "--year", "2026", "--format", "json"])
        try run.check("audit-employers-2026.json", ["audit", "employers", "--year", "2026", "--format", "json"], exit: 1)
        for worker in ["420304198606060136", "420305199802140249"] {
            try run.check("credits-\(worker).json", ["credits", worker, "--format", "json"])
        }
        try run.check("export.jsonl", ["export"])
        try run.check("verify-at-the-end.json", ["verify", "--format", "json"])
        try run.finish()
    }
}

/// One scenario's run: a scratch folder, the commands run in it, and their outputs compared with (or written to)
/// `Golden/<scenario>/`.
final class GoldenRun {
    static let update = ProcessInfo.processInfo.environment["SKILLS_LEDGER_UPDATE_GOLDEN"] == "1"
    /// The public contract's folder, beside the project (`../shared/contract`), if it is there.
    static let contract: URL? = {
        let folder = Workspace.repository.deletingLastPathComponent().appendingPathComponent("shared/contract")
        return FileManager.default.fileExists(atPath: folder.appendingPathComponent("events.jsonl").path) ? folder : nil
    }()
    /// Fixed, so that nothing falls back to whoever runs the tests.
    static let environment = ["USER": "golden-os-user", "LOGNAME": "golden-os-user"]

    /// Where the scenario's ledger lives: the file `ledger.sqlite` in the scratch folder, or a fresh database on the
    /// server `SKILLS_LEDGER_TEST_POSTGRES` names.
    enum Backend: String, CustomTestStringConvertible, Sendable {
        case sqlite, postgres

        /// SQLite always; PostgreSQL when a server is configured (LedgerPostgresTests fails under CI=true without one).
        static var all: [Backend] { server == nil ? [.sqlite] : [.sqlite, .postgres] }
        static let server = ProcessInfo.processInfo.environment["SKILLS_LEDGER_TEST_POSTGRES"]
        var testDescription: String { rawValue }
    }

    let scenario: String
    let backend: Backend
    /// `--ledger` of every case: `ledger.sqlite`, or `postgres://…/golden_…`.
    let ledger: String
    /// On PostgreSQL, the server's maintenance database (where the scenario's database is created and dropped) and
    /// the scenario's database name.
    let database: (maintenance: String, name: String)?
    let workspace: Workspace
    let golden: URL
    let normaliser: GoldenNormaliser
    /// Every case's exit code and stderr, in the order they ran: `exit-codes-and-stderr.txt`.
    var statusLog = ""
    var written: [String] = []

    init(scenario: String, backend: Backend = .sqlite) throws {
        self.scenario = scenario
        self.backend = backend
        workspace = try Workspace()
        golden = Workspace.repository.appendingPathComponent("Tests/CLITests/Golden/" + scenario)
        switch backend {
        case .sqlite:
            ledger = "ledger.sqlite"
            database = nil
            normaliser = GoldenNormaliser(scratch: workspace.directory)
        case .postgres:
            let maintenance = try #require(Backend.server, "SKILLS_LEDGER_TEST_POSTGRES is unset")
            let name = "golden_\(scenario)_\(UUID().uuidString.prefix(8).lowercased())"
            let slash = try #require(maintenance.lastIndex(of: "/"))
            let server = maintenance[..<slash]
            ledger = "\(server)/\(name)"
            database = (maintenance, name)
            normaliser = GoldenNormaliser(scratch: workspace.directory, ledger: ledger)
            try psql(maintenance, "CREATE DATABASE \(name)")
        }
        // The golden files are written from the SQLite run; PostgreSQL's run only compares with them.
        if Self.update && backend == .sqlite { try FileManager.default.createDirectory(at: golden, withIntermediateDirectories: true) }
    }

    deinit {
        guard let database else { return }
        _ = try? CLI.run([database.maintenance, "-qc", "DROP DATABASE IF EXISTS \(database.name) WITH (FORCE)"], in: workspace.directory, program: "psql")
    }

    /// Runs one SQL text with psql on `url`; its stdout.
    @discardableResult
    func psql(_ url: String, _ sql: String) throws -> String {
        let result = try CLI.run([url, "-v", "ON_ERROR_STOP=1", "-Atqc", sql], in: workspace.directory, program: "psql")
        try #require(result.status == 0, "psql \(sql): \(result)")
        return result.out.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    func copy(_ source: URL, to relative: String) throws {
        let destination = workspace.directory.appendingPathComponent(relative)
        try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: source, to: destination)
    }

    /// `Samples/policies/*.yaml`, sorted as the shell sorts them.
    func policyPacks() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: workspace.path("Samples/policies")).filter { $0.hasSuffix(".yaml") }.sorted()
            .map { "Samples/policies/" + $0 }
    }

    func run(_ arguments: [String]) throws -> CLI.Result {
        try CLI.run(arguments + ["--ledger", ledger, "--operator", "golden"], in: workspace.directory, environment: Self.environment)
    }

    /// The raw stdout of a command that is not itself a case.
    func output(_ arguments: [String]) throws -> String { try run(arguments).out }

    /// 32 fixed bytes for the pseudonym key of the scenario's ledger.
    static let pseudonymKey = String(repeating: "5a", count: 32)

    /// Replaces the random pseudonym key that `init` made by `pseudonymKey`, before any event is recorded (a ledger
    /// holding events would then be damaged; an empty one is as if its random source had drawn these bytes). The tool
    /// has no option for it, so this writes `ledger_meta` with the sqlite3 shell; if the storage moves the key, this
    /// fails here, saying so, rather than as a difference in every golden file.
    func fixPseudonymKey() throws {
        if backend == .postgres {
            let key = try psql(ledger, """
                UPDATE ledger_meta SET value = '\\x\(Self.pseudonymKey)'::bytea WHERE key = 'pseudonym_key' AND NOT EXISTS (SELECT 1 FROM events);
                SELECT encode(value, 'hex') FROM ledger_meta WHERE key = 'pseudonym_key';
                """)
            try #require(key == Self.pseudonymKey, "could not fix the pseudonym key in ledger_meta of an empty ledger: \(key)")
            return
        }
        let sql = """
            UPDATE ledger_meta SET value = X'\(Self.pseudonymKey)' WHERE key = 'pseudonym_key' AND (SELECT count(*) FROM events) = 0;
            SELECT hex(value) FROM ledger_meta WHERE key = 'pseudonym_key';
            """
        let result = try CLI.run([workspace.path("ledger.sqlite"), sql], in: workspace.directory, program: "sqlite3")
        try #require(result.status == 0 && result.out.trimmingCharacters(in: .whitespacesAndNewlines) == Self.pseudonymKey.uppercased(),
                     "could not fix the pseudonym key in ledger_meta of an empty ledger: \(result)")
    }

    /// Runs one case and compares its normalised output with `Golden/<scenario>/<name>` (a name without an extension
    /// is a table for people and gets `.txt`). The output is stdout, or for a refusal (`stderrIsTheOutput`) the exit
    /// code and stderr. Exit code and stderr of every case also go to `exit-codes-and-stderr.txt`.
    func check(_ name: String, _ arguments: [String], exit expected: Int32 = 0, stderrIsTheOutput: Bool = false) throws {
        let result = try run(arguments)
        #expect(result.status == expected, "\(scenario)/\(name): skills-ledger \(arguments.joined(separator: " "))\n\(result)")
        let file = name.contains(".") && !name.hasSuffix(".stderr") ? name : name + ".txt"
        let stderr = normaliser.normalise(result.err)
        statusLog += "== \(file): exit \(result.status)\n" + stderr + (stderr.isEmpty || stderr.hasSuffix("\n") ? "" : "\n")
        let output = stderrIsTheOutput ? "exit \(result.status)\n" + stderr : normaliser.normalise(result.out)
        try compare(file, output)
    }

    /// Writes (update mode) or compares one golden file, byte for byte.
    func compare(_ file: String, _ actual: String) throws {
        written.append(file)
        let url = golden.appendingPathComponent(file)
        if Self.update && backend == .sqlite {
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let expected = FileManager.default.contents(atPath: url.path) else {
            Issue.record("\(scenario)/\(file): no golden file at \(url.path); run with SKILLS_LEDGER_UPDATE_GOLDEN=1 to write it")
            return
        }
        guard expected != Data(actual.utf8) else { return }
        let kept = FileManager.default.temporaryDirectory.appendingPathComponent("skills-ledger-golden-actual/\(backend)/\(scenario)/\(file)")
        try? FileManager.default.createDirectory(at: kept.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(actual.utf8).write(to: kept)
        let difference = Self.firstDifference(String(decoding: expected, as: UTF8.self), actual)
        Issue.record("\(scenario)/\(file) on \(backend) differs from its golden file at \(difference)\nsee: diff \(url.path) \(kept.path)")
    }

    /// Compares the status log, and fails on golden files that no case wrote (a case removed or renamed).
    func finish() throws {
        try compare("exit-codes-and-stderr.txt", statusLog)
        let present = (try? FileManager.default.contentsOfDirectory(atPath: golden.path)) ?? []
        for stale in Set(present).subtracting(written).sorted() {
            if Self.update {
                if backend == .sqlite { try FileManager.default.removeItem(at: golden.appendingPathComponent(stale)) }
            } else {
                Issue.record("\(scenario)/\(stale) is a golden file that no case checks any more")
            }
        }
    }

    static func firstDifference(_ expected: String, _ actual: String) -> String {
        let left = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let right = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(left.count, right.count) {
            let a = index < left.count ? String(left[index]) : "<end of file>"
            let b = index < right.count ? String(right[index]) : "<end of file>"
            if a != b { return "line \(index + 1)\n  expected: \(a)\n  actual:   \(b)" }
        }
        return "the same lines, different bytes (line endings?)"
    }
}

/// What legitimately differs between two runs of the same scenario, replaced by placeholders. Nothing else is
/// touched, and no output is skipped:
///
/// 1. The scratch folder's path (and its symlink-resolved form) → `<TMP>` (the cases use relative paths, so it
///    only appears if a command prints an absolute one). On PostgreSQL, the ledger's URL → `ledger.sqlite`, the
///    name the SQLite run uses (the only place where the backend may show).
/// 2. UTC timestamps `YYYY-MM-DDTHH:MM:SSZ` → `<RECORDED_AT>`: when an event was recorded (or a person erased). The
///    tool has no option to fix the recording time; data dates are plain `YYYY-MM-DD` and stay.
/// 3. Today's date (UTC) as `YYYY-MM-DD` → `<TODAY>`: `reconcile --close` dates its `period.closed` event today.
///    (No sample date is in the future, so no data date can be today.)
/// 4. The chain's hashes, which cover the recording times: the 64 hex digits of a digest `COUNT:HASH` (the count
///    stays) and of a `"head"` field → `<HASH>`. Other hashes (a policy pack's `sha256`, a reconciliation report's
///    digest) depend only on content and the fixed pseudonym key, and stay.
///
/// Not normalised, because the run fixes them instead: the operator (`--operator golden`; `USER` and `LOGNAME` are
/// fixed for the child process too), pseudonyms (`GoldenRun.fixPseudonymKey`) and paths (relative).
struct GoldenNormaliser {
    let scratchPaths: [String]
    let today: String
    /// The PostgreSQL ledger's URL, written as the SQLite run's `ledger.sqlite`.
    var ledger: String?

    init(scratch: URL, ledger: String? = nil, now: Date = Date()) {
        self.ledger = ledger
        scratchPaths = Array(Set([scratch.path, scratch.resolvingSymlinksInPath().path, scratch.standardizedFileURL.path]))
            .sorted { $0.count > $1.count }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        today = formatter.string(from: now)
    }

    func normalise(_ text: String) -> String {
        var text = text
        for path in scratchPaths { text = text.replacingOccurrences(of: path, with: "<TMP>") }
        if let ledger { text = text.replacingOccurrences(of: ledger, with: "ledger.sqlite") }
        text = text.replacing(#/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z/#, with: "<RECORDED_AT>")
        text = text.replacingOccurrences(of: today, with: "<TODAY>")
        text = text.replacing(#/(?<events>[0-9]+):[0-9a-f]{64}/#) { "\($0.output.events):<HASH>" }
        text = text.replacing(#/"head":(?<space> ?)"[0-9a-f]{64}"/#) { "\"head\":\($0.output.space)\"<HASH>\"" }
        return text
    }
}
