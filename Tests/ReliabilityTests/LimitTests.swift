import Foundation
import Intake
import LedgerTesting
import Rules
import SkillsDomain
import Testing

/// Limits on everything (RELIABILITY.md §5): every bound on input is an error that names the file and the line (or
/// line and column), never a crash and never memory that grows with the input.
@Suite("limits")
struct LimitTests {
    static let workersHeader = "id,worker,name,jurisdiction,employer,insured_since,migrant,frontline,registered_on"

    /// Reads `path` as `submit` does and returns the refusal (or the error that stopped the read).
    func refusal(_ path: String, rowLimit: Int? = nil) -> String? {
        var reader = EventFileReader(path: path)
        if let rowLimit { reader.rowLimit = rowLimit }
        do {
            try reader.read { _ in }
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("a line longer than LineReader.maximumLineBytes")
    func longLine() throws {
        let scratch = try TemporaryLedger()
        let line = String(repeating: "x", count: LineReader.maximumLineBytes + 10)
        let path = try scratch.file("long.jsonl", "{}\n" + line + "\n")
        let message = try #require(refusal(path))
        #expect(message.contains("\(path):2:") && message.contains("a line longer than \(LineReader.maximumLineBytes) bytes"), "\(message)")
    }

    @Test("a file larger than LineReader.maximumFileBytes (a sparse file: nothing is written)")
    func hugeFile() throws {
        let scratch = try TemporaryLedger()
        let path = try scratch.file("huge.csv", Self.workersHeader + "\n")
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: LineReader.maximumFileBytes + 1)
        try handle.close()
        let message = try #require(refusal(path))
        #expect(message.contains(path) && message.contains("at most \(LineReader.maximumFileBytes) are accepted per file"), "\(message)")
    }

    @Test("more columns than CSVRecordReader.maximumFields")
    func tooManyColumns() throws {
        let scratch = try TemporaryLedger()
        let path = try scratch.file("wide.csv", Self.workersHeader + "\n" + String(repeating: "a,", count: CSVRecordReader.maximumFields + 5) + "\n")
        let message = try #require(refusal(path))
        #expect(message.contains("\(path):2:") && message.contains("more than \(CSVRecordReader.maximumFields) columns"), "\(message)")
    }

    @Test("a quoted field that never closes: at most 100 lines and CSVRecordReader.maximumRecordBytes in all")
    func runawayQuote() throws {
        let scratch = try TemporaryLedger()
        let manyLines = try scratch.file("lines.csv", Self.workersHeader + "\nw-1,\"" + String(repeating: "x\n", count: 200))
        let lines = try #require(refusal(manyLines))
        #expect(lines.contains("\(manyLines):2:") && lines.contains("spanning more than 100 lines"), "\(lines)")
        let megabyte = String(repeating: "y", count: 1 << 20) + "\n"
        let bigLines = try scratch.file("bytes.csv", Self.workersHeader + "\nw-1,\"" + String(repeating: megabyte, count: 12))
        let bytes = try #require(refusal(bigLines))
        #expect(bytes.contains("\(bigLines):2:") && bytes.contains("a record longer than \(CSVRecordReader.maximumRecordBytes) bytes"), "\(bytes)")
    }

    @Test("more rows than the batch limit (EventFileReader.rowLimit, 20,000,000 by default)")
    func tooManyRows() throws {
        #expect(EventFileReader(path: "x").rowLimit == EventFileReader.maximumRows)
        let scratch = try TemporaryLedger()
        let path = try scratch.file("rows.jsonl", Population.creditsJSONL(prefix: "r", count: 11, people: 3))
        let message = try #require(refusal(path, rowLimit: 10))
        #expect(message.contains("\(path):11:") && message.contains("more than 10 rows in one batch: split the file"), "\(message)")
        let payments = try scratch.file("payments.csv", "payment_id,payee,amount,paid_on,grant,bank_ref\n"
            + (0..<4).map { "p-\($0),\(Build.employer.value),1.00,2026-03-02,," }.joined(separator: "\n") + "\n")
        var reader = PaymentFileReader(path: payments)
        reader.rowLimit = 3
        #expect(throws: IntakeError.self) { try reader.read { _ in } }
    }

    @Test("JSON nested deeper than JSONParser.maximumDepth, and numbers longer than 64 characters")
    func jsonBounds() throws {
        let scratch = try TemporaryLedger()
        let deep = String(repeating: "[", count: JSONParser.maximumDepth + 1) + String(repeating: "]", count: JSONParser.maximumDepth + 1)
        let long = "{\"id\":" + String(repeating: "1", count: 65) + "}"
        let path = try scratch.file("deep.jsonl", deep + "\n" + long + "\n")
        let message = try #require(refusal(path))
        #expect(message.contains("\(path):1:") && message.contains("nested deeper than \(JSONParser.maximumDepth) levels"), "\(message)")
        #expect(message.contains("\(path):2:") && message.contains("a number longer than 64 characters"), "\(message)")
    }

    @Test("catalogue text lengths, event-id lists and amounts are bounded, each named by file, line and field")
    func fieldBounds() throws {
        let scratch = try TemporaryLedger()
        let worker = Population.citizen(1).value
        let name = String(repeating: "名", count: 101)
        let rows = [
            "w-1,\(worker),\(name),420302,,2020-01,false,true,2025-06-01",
            "w-2,\(worker),王五,420302,,2020-01,false,true,2025-06-01",
        ]
        let csv = try scratch.file("names.csv", ([Self.workersHeader] + rows).joined(separator: "\n") + "\n")
        let nameMessage = try #require(refusal(csv))
        #expect(nameMessage.contains("\(csv):2: field name: expected text of at most 100 characters"), "\(nameMessage)")
        let evidence = (0..<1_001).map { "\"e-\($0)\"" }.joined(separator: ",")
        let grant = "{\"id\":\"g-1\",\"kind\":\"subsidy.granted\",\"occurred_on\":\"2026-03-31\",\"source\":\"420300\",\"data\":{\"rule\":\"r\","
            + "\"policy\":\"p\",\"period\":\"2026-03\",\"payee\":\"\(worker)\",\"amount\":\"10000000000000.01\",\"evidence\":[\(evidence)],\"explanation\":\"x\"}}"
        let jsonl = try scratch.file("grant.jsonl", grant + "\n")
        let message = try #require(refusal(jsonl))
        #expect(message.contains("\(jsonl):1: field evidence: expected at most 1,000 event ids"), "\(message)")
        #expect(message.contains("\(jsonl):1: field amount: expected a yuan amount"), "\(message)")
    }

    @Test("a refusal lists at most IntakeError.maximumListed problems and counts the rest")
    func listedProblems() throws {
        let scratch = try TemporaryLedger()
        let bad = (0..<(IntakeError.maximumListed + 500)).map { "w-\($0),not-an-id,王,420302,,2020-01,false,true,2025-06-01" }
        let path = try scratch.file("bad.csv", ([Self.workersHeader] + bad).joined(separator: "\n") + "\n")
        let message = try #require(refusal(path))
        #expect(message.contains("… and 500 more"), "\(message.suffix(200))")
        #expect(message.split(separator: "\n").count == IntakeError.maximumListed + 2)
    }

    @Test("expressions: deeper than ExpressionParser's 40 levels or longer than 4,000 characters; packs over 1 MB")
    func packBounds() throws {
        func load(_ condition: String) -> String {
            let pack = """
                policy: limits
                version: "1"
                title: limits
                jurisdiction: national
                source: {document: test}
                effective: {from: 2020-01-01}
                rules:
                  - id: deep
                    on: certification.awarded
                    clause: "1"
                    when: \(condition)
                    amount: yuan(1)
                    payee: worker
                """
            do { _ = try PackLoader.load(text: pack, file: "limits.yaml"); return "loaded" } catch { return error.description }
        }
        let deep = load(String(repeating: "(", count: 45) + "true" + String(repeating: ")", count: 45))
        #expect(deep.hasPrefix("limits.yaml:11:") && deep.contains("nested deeper than 40 levels"), "\(deep)")
        let unary = load("\"" + String(repeating: "!", count: 45) + "true\"")
        #expect(unary.hasPrefix("limits.yaml:11:") && unary.contains("nested deeper than 40 levels"), "\(unary)")
        let long = load("true || " + String(repeating: "1 == 1 || ", count: 500) + "false")
        #expect(long.hasPrefix("limits.yaml:11:") && long.contains("an expression longer than 4000 characters"), "\(long)")
        let big = String(repeating: "# padding\n", count: 110_000)
        do {
            _ = try PackLoader.load(text: big, file: "big.yaml")
            Issue.record("a pack over 1 MB was loaded")
        } catch {
            #expect(error.description.contains("big.yaml") && error.description.contains("a pack larger than \(PackLoader.maximumPackBytes) bytes"))
        }
    }
}
