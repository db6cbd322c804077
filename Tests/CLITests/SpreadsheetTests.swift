import Foundation
import SkillsDomain
import Testing

/// `--format xlsx --output FILE` on entitlements, reconcile and the audits: a workbook that a spreadsheet program
/// reads with the report's own totals, and a clear refusal, writing nothing, when no file is named.
@Suite("xlsx from the command line")
struct SpreadsheetTests {
    static let reader = Workspace.repository.appendingPathComponent("Tests/ReportsTests/read_xlsx.py").path
    static let hasOpenPyXL = (try? CLI.run(["-c", "import openpyxl"], in: Workspace.repository, program: "python3").status) == 0
    static let period = ["--jurisdiction", "420300", "--month", "2026-03"]
    static let payments = ["--payments", Workspace.sample("payments/420300-2026-03.csv")]

    /// The samples with the policies adopted and March granted.
    static func month() throws -> Workspace {
        let workspace = try Workspace()
        _ = try workspace.submitSamples()
        let folder = Workspace.sample("policies")
        let packs = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted().map { folder + "/" + $0 }
        #expect(try workspace.run(["policy", "adopt"] + packs).status == 0)
        #expect(try workspace.run(["grant"] + period).status == 0)
        return workspace
    }

    /// The rows openpyxl reads, each cell's value.
    static func rows(_ path: String, in workspace: Workspace) throws -> [[JSONValue]] {
        let read = try CLI.run([reader, path], in: workspace.directory, program: "python3")
        try #require(read.status == 0, "\(read)")
        guard case .array(let rows)? = try JSONParser.parse(read.out)["rows"] else { return [] }
        return rows.map { row in
            guard case .array(let cells) = row else { return [] }
            return cells.map { $0["value"] ?? .null }
        }
    }

    static func money(_ value: JSONValue?) -> Money? {
        guard case .number(let text)? = value else { return nil }
        return try? Money(yuan: text)
    }

    @Test("xlsx without --output, or a file in a folder that cannot be written, exits 2 and records nothing (not even the payments)")
    func refusedWithoutAFile() throws {
        let workspace = try Self.month()
        let before = try workspace.digest()
        for arguments in [["entitlements"] + Self.period, ["reconcile"] + Self.period + Self.payments, ["audit", "budget", "--year", "2026"]] {
            let result = try workspace.run(arguments + ["--format", "xlsx"])
            #expect(result.status == 2, "\(result)")
            #expect(result.err.contains("--output FILE.xlsx") && result.out.isEmpty, "\(result)")
        }
        let unwritable = try workspace.run(["reconcile"] + Self.period + Self.payments + ["--format", "csv", "-o", "/no-such-folder/march.csv"])
        #expect(unwritable.status == 2 && unwritable.err.contains("cannot write /no-such-folder/march.csv"), "\(unwritable)")
        #expect(try workspace.digest() == before)
        #expect(!FileManager.default.fileExists(atPath: workspace.path("FILE.xlsx")))
    }

    @Test("entitlements, reconcile and audit budget write workbooks whose rows and totals are the JSON report's",
          .enabled(if: hasOpenPyXL, "openpyxl is not installed: python3 -m pip install openpyxl"))
    func workbooks() throws {
        let workspace = try Self.month()
        let entitlements = try workspace.run(["entitlements"] + Self.period + ["--format", "xlsx", "-o", "entitlements.xlsx"])
        #expect(entitlements.status == 0 && entitlements.out.isEmpty && entitlements.err.contains("wrote entitlements.xlsx"), "\(entitlements)")
        let json = try JSONParser.parse(try workspace.run(["entitlements"] + Self.period + ["--format", "json"]).out)
        guard case .array(let listed)? = json["entitlements"], case .string(let total)? = json["total"] else { throw CocoaError(.fileReadCorruptFile) }
        let sheet = try Self.rows("entitlements.xlsx", in: workspace)
        #expect(sheet.count == 1 + listed.count + 1)
        let expected = try Money(yuan: total)
        #expect(sheet.last?.first == .string("合计 total") && Self.money(sheet.last?[7]) == expected)

        let reconcile = try workspace.run(["reconcile"] + Self.period + Self.payments + ["--format", "xlsx", "--output", "march.xlsx"])
        #expect(reconcile.status == 1, "the samples' payout file has discrepancies: \(reconcile)")
        let report = try JSONParser.parse(try workspace.run(["reconcile"] + Self.period + ["--format", "json"]).out)
        let lines = try Self.rows("march.xlsx", in: workspace)
        guard case .array(let reportLines)? = report["lines"] else { throw CocoaError(.fileReadCorruptFile) }
        #expect(lines.count == 1 + reportLines.count + 1)
        let totals = try #require(lines.last)
        for (column, key) in [(4, "due"), (5, "paid"), (6, "difference")] {
            guard case .string(let expected)? = report["totals"]?[key] else { Issue.record("no \(key) in \(report)"); continue }
            let amount = try Money(yuan: expected)
            #expect(Self.money(totals[column]) == amount, "\(key)")
        }

        let audit = try workspace.run(["audit", "budget", "--year", "2026", "--format", "xlsx", "-o", "budget.xlsx"])
        #expect(audit.status == 1, "白银 falls short of the floor: \(audit)")
        #expect(try Self.rows("budget.xlsx", in: workspace).first?.first == .string("地区 jurisdiction"))
    }

    @Test("LibreOffice reads the workbook: converted to CSV it has every line and the total",
          .enabled(if: CLI.onPath("soffice"), "LibreOffice is not installed (apt-get install libreoffice-calc-nogui)"))
    func libreOffice() throws {
        let workspace = try Self.month()
        #expect(try workspace.run(["reconcile"] + Self.period + Self.payments + ["--format", "xlsx", "-o", "march.xlsx"]).status == 1)
        // A profile of its own (LibreOffice locks the user's); CSV in UTF-8 (76), cells as shown (the last `true`).
        let profile = "-env:UserInstallation=file://" + workspace.path("lo-profile")
        let filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true"
        let converted = try CLI.run([profile, "--headless", "--convert-to", filter, "march.xlsx"], in: workspace.directory, program: "soffice")
        #expect(converted.status == 0, "\(converted)")
        let records = try String(contentsOfFile: workspace.path("march.csv"), encoding: .utf8).split(whereSeparator: \.isNewline)
        let ours = try workspace.run(["reconcile"] + Self.period + ["--format", "csv"]).out.split(separator: "\r\n")
        let totals = try JSONParser.parse(try workspace.run(["reconcile"] + Self.period + ["--format", "json"]).out)["totals"]
        guard case .string(let due)? = totals?["due"], case .string(let paid)? = totals?["paid"], case .string(let difference)? = totals?["difference"]
        else { throw CocoaError(.fileReadCorruptFile) }
        #expect(records.count == ours.count + 1)
        #expect(records.first == "类别 class,补贴核定 grant,支付 payments,收款人 payee,应付 due,实付 paid,差额 difference,规则 rule,期间 period")
        #expect(records.last == "合计 total,,,,\(due),\(paid),\(difference),,", "the total row, amounts shown with the 0.00 format")
    }
}
