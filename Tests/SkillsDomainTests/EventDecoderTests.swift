import SkillsDomain
import Testing

@Suite("reading events from JSON")
struct EventDecoderTests {
    func decode(_ text: String) throws -> Result<DecodedEvent, FieldIssues> {
        EventDecoder.decode(try JSONParser.parse(text))
    }

    func issues(_ text: String) throws -> [FieldIssue] {
        switch try decode(text) {
        case .success: return []
        case .failure(let failure): return failure.issues
        }
    }

    @Test("a worker.registered keeps the name out of data, for the registry")
    func nameIsPersonal() throws {
        let result = try decode(#"{"id":"w-1","kind":"worker.registered","occurred_on":"2026-01-05","source":"420300","worker":"11010519491231002X","data":{"name":"王建国","jurisdiction":"420302","insured_since":"2012-03","migrant":"否","frontline":true}}"#)
        let decoded = try result.get()
        #expect(decoded.personal.name == "王建国")
        #expect(decoded.event.data["name"] == nil)
        #expect(decoded.event.data.bool("migrant") == false)
        #expect(decoded.event.data.month("insured_since")?.description == "2012-03")
        #expect(decoded.event.worker == .citizen(try CitizenID("11010519491231002X")))
    }

    @Test("typed fields take their canonical form: amounts, levels, dates")
    func canonicalForms() throws {
        let decoded = try decode(#"{"id":"t-1","kind":"training.completed","occurred_on":"2026/3/27","source":"52420302MJ0K5T8H4N","worker":"11010519491231002X","data":{"course":"C1","title":"电工","institution":"52420302MJ0K5T8H4N","hours":64,"started_on":"2026-3-2","cost":"1500","paid_by":"employer","track":"upgrade"}}"#).get()
        #expect(decoded.event.occurredOn.description == "2026-03-27")
        #expect(String(decoding: decoded.event.data.json.canonical, as: UTF8.self)
            == #"{"cost":"1500.00","course":"C1","hours":64,"institution":"52420302MJ0K5T8H4N","paid_by":"employer","started_on":"2026-03-02","title":"电工","track":"upgrade"}"#)
    }

    @Test("every problem of a record is reported at once, each with its field")
    func allIssues() throws {
        let found = try issues(#"{"id":"bad id!","kind":"certification.awarded","occurred_on":"2026-02-30","source":"nobody","worker":"110105194912310021","data":{"occupation":"6-18-1-01","occupation_name":"车工","level":"六级","certificate":"S1","issuer":"x","route":"bribe","extra":1}}"#)
        let fields = Set(found.map(\.field))
        #expect(fields == ["id", "occurred_on", "source", "worker", "occupation", "level", "route", "extra"])
    }

    @Test("missing required fields and unknown top-level fields are named")
    func missingAndUnknown() throws {
        let found = try issues(#"{"id":"x-1","kind":"fund.budgeted","occurred_on":"2026-01-15","source":"420300","colour":"red","data":{"jurisdiction":"420300"}}"#)
        #expect(Set(found.map(\.field)) == ["colour", "year", "employment_fund", "training_subsidy_budget"])
    }

    @Test("an unknown kind is refused with the list of kinds")
    func unknownKind() throws {
        let found = try issues(#"{"id":"x-1","kind":"worker.promoted","occurred_on":"2026-01-15","source":"420300"}"#)
        #expect(found.count == 1)
        #expect(found.first?.error.expected.contains("certification.awarded") == true)
    }

    @Test("an early 统一社会信用代码 is a warning, and the event is still read")
    func earlyCodeWarns() throws {
        let decoded = try decode(#"{"id":"e-1","kind":"employer.education-fund","occurred_on":"2026-07-10","source":"420300","employer":"91330100716105852G","data":{"year":2026,"payroll":"100","withdrawn":"8","spent":"8","spent_frontline":"5"}}"#).get()
        #expect(decoded.warnings.map(\.field) == ["employer"])
        #expect(decoded.warnings.allSatisfy { $0.error.isWarning })
    }

    @Test("negative amounts are refused where money cannot be negative")
    func negativeMoney() throws {
        let found = try issues(#"{"id":"f-1","kind":"fund.budgeted","occurred_on":"2026-01-15","source":"420300","data":{"jurisdiction":"420300","year":"2026","employment_fund":"-1","training_subsidy_budget":"1.005"}}"#)
        #expect(Set(found.map(\.field)) == ["employment_fund", "training_subsidy_budget"])
    }

    @Test("checks across fields: start after completion, frontline above spent, a worker not yet born")
    func crossFieldChecks() throws {
        let training = try decode(#"{"id":"t-1","kind":"training.completed","occurred_on":"2026-03-01","source":"420300","worker":"11010519491231002X","data":{"course":"C","title":"T","institution":"I","hours":8,"started_on":"2026-03-05","cost":"0","paid_by":"self","track":"upgrade"}}"#)
        let worker = CitizenID.withCheckCharacter("11010520260302002")
        let unborn = try decode(#"{"id":"t-2","kind":"honor.awarded","occurred_on":"2026-03-01","source":"510107","worker":"\#(worker)","data":{"title":"诸葛工匠"}}"#).get()
        #expect(EventChecks.issues(unborn.event).map(\.field) == ["worker"])
        let fund = try decode(#"{"id":"e-1","kind":"employer.education-fund","occurred_on":"2026-07-10","source":"420300","employer":"91330100716105852F","data":{"year":2026,"payroll":"100","withdrawn":"8","spent":"8","spent_frontline":"9"}}"#).get()
        #expect(EventChecks.issues(fund.event).map(\.field) == ["spent_frontline"])
        #expect(EventChecks.issues(try training.get().event).map(\.field) == ["started_on"])
    }

    @Test("event ids: 1–64 of A-Z a-z 0-9 . _ : -")
    func eventIDs() {
        #expect(EventID.isValid("sy-w-001"))
        #expect(EventID.isValid("rev:sy-c-014"))
        #expect(EventID.isValid(String(repeating: "a", count: 64)))
        #expect(!EventID.isValid(String(repeating: "a", count: 65)))
        #expect(!EventID.isValid(""))
        #expect(!EventID.isValid("编号1"))
        #expect(!EventID.isValid("a b"))
    }

    @Test("every kind in the catalogue has a spec, and subjects match SPEC.md")
    func catalogueCoversKinds() {
        for kind in EventKind.allCases { #expect(EventCatalogue.specs[kind] != nil, "\(kind)") }
        #expect(EventCatalogue.spec(for: .employerEducationFund).subject == .employer)
        #expect(EventCatalogue.spec(for: .fundBudgeted).subject == .none)
        #expect(EventCatalogue.spec(for: .workerRegistered).personalFields == ["name"])
    }
}

extension JSONValue {
    var canonical: [UInt8] { CanonicalJSONWriter.encode(self) }
}
