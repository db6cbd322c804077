import Foundation
@testable import Intake
import SkillsDomain
import Testing

@Suite("JSON Lines")
struct JSONLinesIntakeTests {
    static func honor(_ id: String, worker: String = Known.worker, date: String = "2026-02-06") -> String {
        #"{"id":"\#(id)","kind":"honor.awarded","occurred_on":"\#(date)","source":"510107","worker":"\#(worker)","data":{"title":"诸葛工匠","tier":"district"}}"#
    }

    @Test("the sample events read whole, every kind but the ones commands write")
    func sampleEvents() throws {
        let result = try read(SamplesFolder.path("events.jsonl"))
        #expect(result.submissions.count == 41)
        let kinds = Set(result.submissions.map(\.event.kind))
        let written: Set<EventKind> = [.workerRegistered, .trainingCompleted, .certificationAwarded, .subsidyGranted, .subsidyPaid,
                                       .policyAdopted, .periodClosed, .periodReopened,
                                       .noticePublished, .objectionFiled, .objectionResolved, .accessGranted, .accessRevoked]
        #expect(kinds == Set(EventKind.allCases).subtracting(written))
    }

    @Test("errors carry their line numbers; blank lines count but are skipped")
    func lineNumbers() throws {
        let files = try ScratchFiles()
        let lines = [
            Self.honor("h-1"),
            "",
            "{\"id\":\"h-2\",",
            Self.honor("h-3", date: "2026-02-29"),
            Self.honor("h-4"),
            #"{"id":"h-5","kind":"honor.awarded","occurred_on":"2026-02-06","source":"510107","worker":"\#(Known.worker)","data":{"title":"诸葛工匠","prize":"10000"}}"#,
            "[1,2]",
        ]
        let result = try readRefused(try files.write("e.jsonl", lines.joined(separator: "\n") + "\n"))
        #expect(result.errorPlaces == ["3:-", "4:occurred_on", "6:prize", "7:record"])
        #expect(result.errors.first?.message.contains("invalid JSON at character") == true)
        #expect(result.submissions.map(\.event.id) == ["h-1"])
    }

    @Test("a file with a CSV header is refused with a hint to name it .csv")
    func csvInDisguise() throws {
        let files = try ScratchFiles()
        let path = try files.write("t.jsonl", Known.trainingHeader + "\n")
        #expect {
            _ = try read(path)
        } throws: { error in
            (error as? IntakeError)?.issues.first?.message.contains("looks like CSV") == true
        }
    }

    @Test("export's metadata (seq, recorded_at, operator, hash) is accepted and ignored")
    func exportMetadata() throws {
        let files = try ScratchFiles()
        let line = String(Self.honor("h-1").dropLast()) + #","seq":7,"recorded_at":"2026-02-07T01:02:03Z","operator":"clerk"}"#
        let result = try read(try files.write("x.jsonl", line + "\n"))
        #expect(result.submissions.first?.event.id == "h-1")
    }

    @Test("a missing file and a directory are refused")
    func unreadable() throws {
        let files = try ScratchFiles()
        #expect(throws: IntakeError.self) { _ = try read(files.directory.appendingPathComponent("missing.jsonl").path) }
        #expect(throws: IntakeError.self) { _ = try read(files.directory.path) }
    }
}

@Suite("line reading")
struct LineReaderTests {
    @Test("CRLF and LF both end lines; the last line may lack a break")
    func lineBreaks() throws {
        let files = try ScratchFiles()
        var reader = try LineReader(path: try files.write("l.txt", "a\r\nb\nc"))
        #expect(try reader.next() == "a")
        #expect(try reader.next() == "b")
        #expect(try reader.next() == "c")
        #expect(try reader.next() == nil)
        #expect(reader.lineNumber == 3)
    }

    @Test("a NUL byte means not a text file")
    func nulByte() throws {
        let files = try ScratchFiles()
        var reader = try LineReader(path: try files.write("n.bin", bytes: [0x61, 0x0A, 0x62, 0x00, 0x63, 0x0A]))
        #expect(try reader.next() == "a")
        #expect(throws: IntakeError.self) { _ = try reader.next() }
    }

    @Test("a GB18030 line after a first megabyte of UTF-8 is still read (a file pasted together from two sources)")
    func mixedEncodings() throws {
        let files = try ScratchFiles()
        let gb = try #require("姓名".data(using: String.Encoding(rawValue: 0x8000_0632)))
        let utf8Lines = Array(repeating: Array("编号,课程名称\n".utf8), count: 70_000).flatMap { $0 }
        #expect(utf8Lines.count > 1 << 20, "the UTF-8 part must fill the first chunk the reader judges")
        var reader = try LineReader(path: try files.write("m.txt", bytes: utf8Lines + Array(gb) + [0x0A]))
        var last: String?
        while let line = try reader.next() { last = line }
        #expect(last == "姓名")
        #expect(reader.lineNumber == 70_001)
    }

    @Test("a file that starts in GB18030 is read as GB18030 throughout")
    func gb18030Throughout() throws {
        let files = try ScratchFiles()
        let gb = try #require("编号\r\n姓名\r\n".data(using: String.Encoding(rawValue: 0x8000_0632)))
        var reader = try LineReader(path: try files.write("g.txt", bytes: Array(gb)))
        #expect(try reader.next() == "编号")
        #expect(try reader.next() == "姓名")
        #expect(reader.encodingName == "GB18030")
    }
}

/// A UTF-8 file whose first line is longer than the reader's first chunk must not be taken for GB18030 because the
/// chunk happens to end inside a character (a large `policy.adopted` record in an export, say).
@Suite struct LongFirstLineTests {
    @Test func aFirstLineLongerThanAChunkStaysUTF8() throws {
        let files = try ScratchFiles()
        // 1 MiB + 1 byte of ASCII before the first 3-byte character puts the chunk's end inside it.
        let padding = String(repeating: "a", count: (1 << 20) - 1)
        let first = padding + String(repeating: "焊", count: 10)
        let path = try files.write("long.jsonl", first + "\n第二行\n")
        var reader = try LineReader(path: path)
        #expect(try reader.next() == first)
        #expect(try reader.next() == "第二行")
        #expect(reader.encodingName == "UTF-8")
    }

    @Test func anUnfinishedLastCharacterIsLeftOutOfTheJudgement() {
        let whole = Array("ab焊".utf8)
        #expect(LineReader.endOfLastWholeCharacter(whole) == whole.count)
        #expect(LineReader.endOfLastWholeCharacter(Array(whole.dropLast())) == 2)
        #expect(LineReader.endOfLastWholeCharacter(Array(whole.dropLast(2))) == 2)
        #expect(LineReader.endOfLastWholeCharacter([0x61, 0xFF]) == 2)   // not UTF-8 at all: judged as it is
    }
}
