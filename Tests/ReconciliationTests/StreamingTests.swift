import Foundation
import Ledger
@testable import Reconciliation
import Reports
import SkillsDomain
import Testing

/// What makes reconciliation lean at a province's size gives the same answers as the plain way: stored data read in
/// one scan reads as `json_extract` would, lines walked from the matcher are the lines, and identities looked up a
/// chunk at a time are the registry's.
@Suite struct StreamingTests {
    static func fields(_ json: String, _ keys: [StaticString]) -> [String?]? {
        Array(json.utf8).withUnsafeBytes { StoredDataReader.Fields($0, keys: keys)?.values }
    }

    @Test func storedFieldsReadAsJSONExtract() {
        let data = #"{"amount":"1500.00","evidence":["a\"}]",{"x":[1,2]}],"explanation":"技能 \"提升\" \\ \n","n":12,"nothing":null,"payee":"ps_01","rule":"r\u00e9\ud83d\ude00"}"#
        let values = StreamingTests.fields(data, ["payee", "amount", "explanation", "n", "nothing", "missing", "rule", "evidence"])
        #expect(values == ["ps_01", "1500.00", "技能 \"提升\" \\ \n", "12", nil, nil, "ré😀", #"["a\"}]",{"x":[1,2]}]"#])
        #expect(StreamingTests.fields("{}", ["payee"]) == [nil])
        #expect(StreamingTests.fields(#" { "payee" : "x" } "#, ["payee"]) == ["x"])
    }

    @Test func storedFieldsRefuseWhatIsNotAnObject() {
        for text in ["", "[]", #"{"payee":"x""#, #"{"payee":"x"#, #"{"payee" "x"}"#, #"{"a":[1,2}"#, "null"] {
            #expect(StreamingTests.fields(text, ["payee"]) == nil, "\(text)")
        }
    }

    @Test func theLinesWalkedAreTheLinesBuilt() async throws {
        let (books, report, masking) = try await RenderingTests.sample()
        var walked: [ReconciliationLine] = []
        report.forEachLine { walked.append($0) }
        #expect(walked == report.lines && report.lineCount == walked.count && walked.count == 4)
        let given = ReconciliationReport(jurisdiction: books.jurisdiction, month: report.month, lines: walked)
        #expect(given.digest == report.digest && given.classes.map(\.1) == report.classes.map(\.1))
        #expect(given.hasDiscrepancies == report.hasDiscrepancies && given.due == report.due && given.paid == report.paid)
        for format in ReportFormat.allCases {
            #expect(ReconciliationRenderer(given, masking: masking).render(format) == ReconciliationRenderer(report, masking: masking).render(format))
        }
    }

    @Test func identitiesLookedUpByChunkAreTheRegistrys() async throws {
        let (books, report, _) = try await RenderingTests.sample()
        let whole = IdentifierMasking(identities: try books.store.identities(), masked: false)
        let payees = report.lines.map(\.payee)
        let found = try books.store.identities(of: payees + payees)
        #expect(found == whole.identities.filter { payees.contains($0.key) } && !found.isEmpty)
        for format in [ReportFormat.json, .csv] {
            var resolved = ""
            try await ReconciliationRenderer(report, masking: IdentifierMasking(masked: false))
                .render(format, resolving: { try books.store.identities(of: $0) }) { resolved += $0 }
            #expect(resolved == ReconciliationRenderer(report, masking: whole).render(format))
        }
    }

    @Test func chunkedWalkGivesEveryLineOnceInOrder() async throws {
        let (_, report, _) = try await RenderingTests.sample()
        let all = report.lines
        for limit in [1, 2, 3, all.count, all.count + 1] {
            var walked: [ReconciliationLine] = []
            var cursor: LineCursor? = LineCursor()
            while let start = cursor {
                let chunk = report.lines(from: start, limit: limit)
                #expect(chunk.lines.count <= limit)
                walked += chunk.lines
                cursor = chunk.next
            }
            #expect(walked.map(\.grant) == all.map(\.grant) && walked.map(\.payments) == all.map(\.payments) && walked.count == all.count)
        }
    }
}
