import Foundation
import SkillsDomain
import Testing

/// The built `skills-ledger` binary, end to end on the samples: what a new user and CI run.
@Suite("skills-ledger end to end")
struct EndToEndTests {
    /// 60 workers + 30 trainings + 42 certificates + 41 other events.
    static let sampleEvents = 173
    /// 吴刚: a certificate keyed wrong (sy-c-014, reversed) and its correction (sy-c-015).
    static let wuGang = "420303198610101192"

    @Test("init creates an empty ledger, and leaves an existing one as it is")
    func initLedger() throws {
        let workspace = try Workspace()
        let first = try workspace.run("init")
        #expect(first.status == 0, "\(first)")
        #expect(first.out.contains("ledger ready"))
        #expect(FileManager.default.fileExists(atPath: workspace.ledger))
        #expect(try workspace.digest() == "0:" + String(repeating: "0", count: 64))
        _ = try workspace.run("submit", Workspace.sample("workers.csv"))
        let again = try workspace.run("init")
        #expect(again.status == 0)
        #expect(again.out.contains("already exists"))
        #expect(again.out.contains("60 events"))
    }

    @Test("submitting the samples twice records them once")
    func submitTwice() throws {
        let workspace = try Workspace()
        let first = try workspace.submitSamples()
        #expect(first.status == 0, "\(first)")
        #expect(first.out.contains("workers.csv: 60 recorded, 0 already recorded"))
        #expect(first.out.contains("training.csv: 30 recorded"))
        #expect(first.out.contains("certificates.csv: 42 recorded"))
        #expect(first.out.contains("events.jsonl: 41 recorded"))
        let digest = try workspace.digest()
        #expect(digest.hasPrefix("\(Self.sampleEvents):"))

        let second = try workspace.run(["submit", "--format", "json"] + Workspace.samples)
        #expect(second.status == 0, "\(second)")
        let lines = second.out.split(separator: "\n").map(String.init)
        #expect(lines.count == 4)
        for line in lines {
            let report = try JSONParser.parse(line)
            #expect(report["recorded"] == .number("0"))
            #expect(report["digest"] == .string(digest))
        }
        #expect(try workspace.digest() == digest)
    }

    @Test("a bad CSV exits 2 naming both bad lines, and the ledger is unchanged")
    func badCSV() throws {
        let workspace = try Workspace()
        _ = try workspace.submitSamples()
        let before = try workspace.digest()
        let result = try workspace.run("submit", Workspace.sample("bad/training.csv"))
        #expect(result.status == 2, "\(result)")
        #expect(result.err.contains("training.csv:3: field worker:"))
        #expect(result.err.contains("training.csv:4: field completed_on:"))
        #expect(result.err.contains("nothing recorded"))
        #expect(!result.err.contains("training.csv:2:") && !result.err.contains("training.csv:5:"))
        #expect(try workspace.digest() == before)
    }

    @Test("verify exits 0, then 3 naming the event after a stored byte of a copy is changed")
    func verifyAndTamper() throws {
        let workspace = try Workspace()
        _ = try workspace.submitSamples()
        let ok = try workspace.run("verify")
        #expect(ok.status == 0, "\(ok)")
        #expect(ok.out.contains("ok: \(Self.sampleEvents) events verified"))

        // Change one digit of sy-c-001's certificate number inside the file, as a disk editor would.
        let copy = workspace.path("tampered.sqlite")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: workspace.ledger))
        let wal = (try? Data(contentsOf: URL(fileURLWithPath: workspace.ledger + "-wal"))) ?? Data()
        #expect(wal.isEmpty, "the ledger is whole in its main file once the command has ended")
        let number = Data(try certificateNumber(of: "sy-c-001").utf8)
        let found = try #require(bytes.range(of: number))
        #expect(bytes.range(of: number, in: found.upperBound..<bytes.count) == nil, "the number is stored once")
        bytes[found.upperBound - 1] = bytes[found.upperBound - 1] == UInt8(ascii: "9") ? UInt8(ascii: "8") : UInt8(ascii: "9")
        try bytes.write(to: URL(fileURLWithPath: copy))

        let tampered = try workspace.run("verify", ledger: copy)
        #expect(tampered.status == 3, "\(tampered)")
        #expect(tampered.err.contains("seq 91 (event sy-c-001)"))
        #expect(try workspace.run("verify").status == 0, "the original still verifies")
    }

    @Test("sqlite3 cannot UPDATE or DELETE events", .enabled(if: CLI.onPath("sqlite3")))
    func sqliteShellRefused() throws {
        let workspace = try Workspace()
        _ = try workspace.submitSamples()
        for sql in ["UPDATE events SET source = '420300' WHERE seq = 1;", "DELETE FROM events WHERE id = 'sy-c-001';"] {
            let result = try CLI.run([workspace.ledger, sql], in: workspace.directory, program: "sqlite3")
            #expect(result.status != 0, "\(result)")
            #expect(result.err.contains("append-only"))
        }
        #expect(try workspace.run("verify").status == 0)
    }

    @Test("digest prints COUNT:HASH, which verify --digest accepts; another hash exits 3, a malformed one 2")
    func digestRoundTrip() throws {
        let workspace = try Workspace()
        _ = try workspace.submitSamples()
        let digest = try workspace.digest()
        let parts = digest.split(separator: ":")
        #expect(parts.count == 2 && parts[0] == "\(Self.sampleEvents)")
        #expect(parts.last?.utf8.count == 64 && parts.last!.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 97 && $0 <= 102) })
        #expect(try workspace.run("verify", "--digest", digest).status == 0)
        #expect(try workspace.run("verify", "--digest", "\(Self.sampleEvents):" + String(repeating: "0", count: 64)).status == 3)
        let malformed = try workspace.run("verify", "--digest", "nonsense")
        #expect(malformed.status == 2)
        #expect(malformed.err.contains("COUNT:HASH") && malformed.err.contains("skills-ledger verify"), "\(malformed)")
    }

    @Test("worker shows the history with the ID masked; JSON carries the full ID; unknown workers exit 1, bad IDs 2")
    func workerOutput() throws {
        let workspace = try Workspace()
        _ = try workspace.submitSamples()
        let table = try workspace.run("worker", Self.wuGang)
        #expect(table.status == 0, "\(table)")
        #expect(table.out.contains("吴刚"))
        #expect(table.out.contains("420303********1192"))
        #expect(!table.out.contains(Self.wuGang))
        #expect(table.out.contains("revoked/reversed"))
        #expect(table.out.contains("reversed by sy-rev-001"))

        let json = try JSONParser.parse(try workspace.run("worker", Self.wuGang, "--format", "json").out)
        #expect(json["worker"] == .string(Self.wuGang))
        #expect(json["name"] == .string("吴刚"))
        guard case .array(let certificates)? = json["certificates"] else { Issue.record("no certificates array"); return }
        #expect(certificates.count == 2)

        #expect(try workspace.run("worker", "11010519491231002X").status == 1)
        #expect(try workspace.run("worker", "110105194912310021").status == 2)
    }

    @Test("export, then submit into a fresh ledger: the same events in the same order, adopted policies included")
    func exportReimport() throws {
        let workspace = try Workspace()
        _ = try workspace.submitSamples()
        let folder = Workspace.sample("policies")
        let packs = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted().map { folder + "/" + $0 }
        let adopted = try workspace.run(["policy", "adopt"] + packs)
        #expect(adopted.status == 0, "\(adopted)")
        let exported = workspace.path("export.jsonl")
        #expect(try workspace.run("export", "--output", exported).status == 0)
        let fresh = workspace.path("fresh.sqlite")
        let submitted = try workspace.run("submit", exported, ledger: fresh)
        #expect(submitted.status == 0, "\(submitted)")
        #expect(submitted.out.contains("\(Self.sampleEvents + packs.count) recorded"))
        let reexported = workspace.path("export-2.jsonl")
        #expect(try workspace.run("export", "--output", reexported, ledger: fresh).status == 0)
        #expect(try withoutRecordingMetadata(exported) == withoutRecordingMetadata(reexported))
        #expect(try workspace.run("verify", ledger: fresh).status == 0)
    }

    @Test("SKILLS_LEDGER names the ledger when --ledger is absent")
    func environmentVariable() throws {
        let workspace = try Workspace()
        _ = try workspace.submitSamples()
        let result = try CLI.run(["digest"], in: workspace.directory, environment: ["SKILLS_LEDGER": workspace.ledger])
        #expect(result.out.hasPrefix("\(Self.sampleEvents):"))
    }

    @Test("reverse and erase keep the ledger verifying; the erased worker shows as a pseudonym")
    func reverseAndErase() throws {
        let workspace = try Workspace()
        _ = try workspace.submitSamples()
        let reversed = try workspace.run("reverse", "sy-c-002", "--reason", "证书信息有误", "--date", "2026-06-01")
        #expect(reversed.status == 0, "\(reversed)")
        #expect(reversed.out.contains("rev:sy-c-002"))
        let erased = try workspace.run("erase", Self.wuGang, "--reason", "本人申请删除个人信息")
        #expect(erased.status == 0, "\(erased)")
        #expect(try workspace.run("verify").status == 0)
        let worker = try workspace.run("worker", Self.wuGang)
        #expect(worker.out.contains("personal data erased"))
        #expect(!worker.out.contains("吴刚"))
        #expect(try workspace.run("erase", Self.wuGang, "--reason", "again").status == 1)
    }

    @Test("bad usage exits 2", arguments: [["submit", "--no-such-option"], ["reverse", "sy-c-001"], ["no-such-command"]])
    func usageErrors(arguments: [String]) throws {
        let workspace = try Workspace()
        #expect(try CLI.run(arguments, in: workspace.directory).status == 2)
    }

    // MARK: Helpers

    func certificateNumber(of id: String) throws -> String {
        let text = try String(contentsOfFile: Workspace.sample("certificates.csv"), encoding: .utf8)
        let row = try #require(text.split(whereSeparator: \.isNewline).first { $0.hasPrefix(id + ",") })
        return String(row.split(separator: ",")[6])
    }

    /// The exported lines without what the recording ledger adds (when and by whom it was recorded).
    func withoutRecordingMetadata(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map { line in
            guard case .object(let members) = try JSONParser.parse(String(line)) else { return "" }
            return CanonicalJSONWriter.string(.object(members.filter { !["recorded_at", "operator"].contains($0.key) }))
        }
    }
}

extension CLI {
    /// Runs another program (the sqlite3 shell) the same way.
    static func run(_ arguments: [String], in directory: URL, program: String) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [program] + arguments
        process.currentDirectoryURL = directory
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, out: String(decoding: outData, as: UTF8.self), err: String(decoding: errData, as: UTF8.self))
    }
}
