import Foundation
import Intake
import SkillsDomain
import Testing

@Suite("CSV records")
struct CSVRecordTests {
    @Test("quotes: commas, doubled quotes, spaces around a quoted field and line breaks inside one")
    func quoting() throws {
        let files = try ScratchFiles()
        let path = try files.write("q.csv", "a,b,c\n\"1,5\",\"say \"\"hi\"\"\" , x\n\"two\nlines\",y,z\nlast,,\"\"\n")
        var reader = try CSVRecordReader(path: path)
        #expect(try reader.next()?.fields == ["a", "b", "c"])
        let first = try #require(try reader.next())
        #expect(first.line == 2)
        #expect(first.fields == ["1,5", "say \"hi\"", " x"])
        let second = try #require(try reader.next())
        #expect(second.line == 3)
        #expect(second.fields == ["two\nlines", "y", "z"])
        let third = try #require(try reader.next())
        #expect(third.line == 5)
        #expect(third.fields == ["last", "", ""])
        #expect(try reader.next() == nil)
    }

    @Test("blank lines and lines of only commas are skipped, but still counted")
    func blankLines() throws {
        let files = try ScratchFiles()
        let path = try files.write("b.csv", "a,b\n\n,,\r\n1,2\r\n")
        var reader = try CSVRecordReader(path: path)
        _ = try reader.next()
        let record = try #require(try reader.next())
        #expect(record.line == 4)
        #expect(record.fields == ["1", "2"])
    }

    @Test("a quoted field that never closes is an error naming the line it starts on")
    func unclosedQuote() throws {
        let files = try ScratchFiles()
        let path = try files.write("u.csv", "a,b\n1,\"open\n2,3\n")
        var reader = try CSVRecordReader(path: path)
        _ = try reader.next()
        #expect {
            _ = try reader.next()
        } throws: { error in
            (error as? IntakeError)?.issues.first?.line == 2
        }
    }
}

@Suite("CSV layouts and encodings")
struct CSVLayoutTests {
    @Test("the samples read whole: their layout, encoding and row count")
    func samples() throws {
        let workers = try read(SamplesFolder.path("workers.csv"))
        #expect(workers.outcome.format == .csv(.workers))
        #expect(workers.submissions.count == 60)
        #expect(workers.submissions.allSatisfy { $0.personal.name != nil && $0.event.kind == .workerRegistered })

        let training = try read(SamplesFolder.path("training.csv"))
        #expect(training.outcome.format == .csv(.training))
        #expect(training.outcome.encoding == "GB18030")
        #expect(training.submissions.count == 30)
        #expect(training.submissions.first?.personal.name == "张伟")
        #expect(training.submissions.first?.event.data.text("title") == "焊工（初级）就业技能培训")

        let certificates = try read(SamplesFolder.path("certificates.csv"))
        #expect(certificates.outcome.format == .csv(.certificates))
        #expect(certificates.submissions.count == 42)
    }

    @Test("a Chinese header is read, with 是/否 and Excel's dates")
    func chineseHeader() throws {
        let files = try ScratchFiles()
        let path = try files.write("roster.csv", """
            编号,身份证号码,姓名,行政区划,用人单位,参保起始,是否农民工,是否一线职工,登记日期
            w-1,\(Known.worker),王建国,420302,\(Known.employer),2012-03,否,是,2025/3/18

            """)
        let result = try read(path)
        #expect(result.outcome.format == .csv(.workers))
        let event = try #require(result.submissions.first?.event)
        #expect(event.occurredOn.description == "2025-03-18")
        #expect(event.source == "420302")
        #expect(event.data.bool("migrant") == false)
        #expect(event.data.bool("frontline") == true)
        #expect(result.submissions.first?.personal.name == "王建国")
    }

    @Test("a GB18030 file with a Chinese header, as Excel on Chinese Windows saves it")
    func gb18030() throws {
        let files = try ScratchFiles()
        let text = "编号,身份证号码,姓名,课程编号,课程名称,培训机构,学时,开班日期,结业日期,培训费用,付费方,培训类别,职业编码\r\n"
            + Known.trainingRow("t-1", title: "焊工（中级）岗位技能提升培训") + "\r\n"
        let bytes = try #require(text.data(using: String.Encoding(rawValue: 0x8000_0632)))
        #expect(String(data: bytes, encoding: .utf8) == nil, "the test file must not be valid UTF-8")
        let result = try read(try files.write("gb.csv", bytes: Array(bytes)))
        #expect(result.outcome.encoding == "GB18030")
        #expect(result.submissions.first?.event.data.text("title") == "焊工（中级）岗位技能提升培训")
        #expect(result.submissions.first?.personal.name == "王建国")
    }

    @Test("a UTF-8 BOM does not become part of the first column's name")
    func byteOrderMark() throws {
        let files = try ScratchFiles()
        let path = try files.write("bom.csv", Known.trainingHeader + "\r\n" + Known.trainingRow("t-1") + "\r\n", bom: true)
        let result = try read(path)
        #expect(result.submissions.map(\.event.id) == ["t-1"])
    }

    @Test("an unknown column is refused, naming it and the expected columns")
    func unknownColumn() throws {
        let files = try ScratchFiles()
        let path = try files.write("x.csv", Known.trainingHeader + ",colour\n" + Known.trainingRow("t-1") + ",red\n")
        #expect {
            _ = try read(path)
        } throws: { error in
            guard let issue = (error as? IntakeError)?.issues.first else { return false }
            return issue.line == 1 && issue.field == "colour" && issue.message.contains("expected columns: id,worker")
        }
    }

    @Test("a header of no known layout, a missing required column and a repeated column are refused")
    func badHeaders() throws {
        let files = try ScratchFiles()
        let unknown = try files.write("u.csv", "a,b,c\n1,2,3\n")
        #expect(throws: IntakeError.self) { _ = try read(unknown) }
        let missing = try files.write("m.csv", "id,worker,course,title,institution,hours,started_on,completed_on,paid_by,track\n")
        #expect {
            _ = try read(missing)
        } throws: { error in
            (error as? IntakeError)?.issues.map(\.field) == ["cost"]
        }
        let repeated = try files.write("r.csv", Known.trainingHeader + ",hours\n")
        #expect {
            _ = try read(repeated)
        } throws: { error in
            (error as? IntakeError)?.issues.contains { $0.message.contains("appears twice") } == true
        }
    }

    @Test("a payout file is pointed to reconcile, not read as events")
    func paymentsLayout() throws {
        let files = try ScratchFiles()
        let path = try files.write("p.csv", "payment_id,payee,amount,paid_on,grant,bank_ref\nP1,\(Known.worker),1000,2026-03-20,,B1\n")
        #expect {
            _ = try read(path)
        } throws: { error in
            (error as? IntakeError)?.issues.first?.message.contains("reconcile --payments") == true
        }
    }

    @Test("every bad row is reported with its line and the column as the file names it; nothing is delivered after the first")
    func everyBadRow() throws {
        let files = try ScratchFiles()
        let wrongCheck = String(Known.otherWorker.dropLast()) + (Known.otherWorker.hasSuffix("1") ? "2" : "1")
        let rows = [
            Known.trainingHeader,
            Known.trainingRow("t-1"),
            Known.trainingRow("t-2", worker: wrongCheck),
            Known.trainingRow("t-3", completed: "2026-02-30"),
            Known.trainingRow("t-4", hours: "forty", cost: "1.234"),
            "t-5,too,few,columns",
            Known.trainingRow("t-6"),
        ]
        let result = try readRefused(try files.write("bad.csv", rows.joined(separator: "\n") + "\n"))
        #expect(result.errorPlaces == ["3:worker", "4:completed_on", "5:hours", "5:cost", "6:-"])
        #expect(result.refusal.total == 5)
        #expect(result.refusal.description.contains("bad.csv:4: field completed_on: expected a real date"))
        #expect(result.submissions.map(\.event.id) == ["t-1"], "rows after an error are not handed on")
    }

    @Test("choice values may be written by their Chinese names; the ledger stores the English value, and a wrong name is refused listing both")
    func chineseChoiceNames() throws {
        let files = try ScratchFiles()
        let header = "编号,身份证号码,姓名,课程编号,课程名称,培训机构,学时,开班日期,结业日期,培训费用,付费方,培训类别,职业编码\n"
        let row = Known.trainingRow("t-1").replacingOccurrences(of: ",self,upgrade,", with: ",个人,技能提升,")
        let english = try read(try files.write("en.csv", header + Known.trainingRow("t-1") + "\n"))
        let chinese = try read(try files.write("zh.csv", header + row + "\n"))
        #expect(chinese.submissions.first?.event.data.text("paid_by") == "self")
        #expect(chinese.submissions.first?.event.data.text("track") == "upgrade")
        #expect(chinese.submissions.map(\.event) == english.submissions.map(\.event))
        let wrong = Known.trainingRow("t-2").replacingOccurrences(of: ",self,upgrade,", with: ",竞赛,upgrade,")
        let refused = try readRefused(try files.write("bad.csv", header + wrong + "\n"))
        #expect(refused.errors.map(\.field) == ["付费方 (paid_by)"])
        #expect(refused.errors.first?.message.contains("self (个人)") ?? false, "\(refused.errors)")
    }

    @Test("with a Chinese header, errors name the Chinese column too")
    func chineseColumnNames() throws {
        let files = try ScratchFiles()
        let text = "编号,身份证号码,姓名,课程编号,课程名称,培训机构,学时,开班日期,结业日期,培训费用,付费方,培训类别,职业编码\n"
            + Known.trainingRow("t-1", completed: "2026-13-01") + "\n"
        let result = try readRefused(try files.write("zh.csv", text))
        #expect(result.errors.map(\.field) == ["结业日期 (completed_on)"])
    }

    @Test("an early 统一社会信用代码 is a warning: the row is still read")
    func earlyCreditCodeWarns() throws {
        let files = try ScratchFiles()
        let early = "91330100716105852G"
        let text = "id,worker,name,jurisdiction,employer,insured_since,migrant,frontline,registered_on\n"
            + "w-1,\(Known.worker),王建国,420302,\(early),2012-03,false,true,2025-03-18\n"
        let result = try read(try files.write("w.csv", text))
        #expect(result.outcome.warnings.map(\.field) == ["employer"])
        #expect(result.submissions.count == 1)
    }

    @Test("--source replaces the row's own source")
    func defaultSource() throws {
        let files = try ScratchFiles()
        let path = try files.write("t.csv", Known.trainingHeader + "\n" + Known.trainingRow("t-1") + "\n")
        let result = try read(path, defaultSource: "420300")
        #expect(result.submissions.first?.event.source == "420300")
        #expect(result.submissions.first?.origin.hasSuffix("t.csv:2") == true)
    }
}
