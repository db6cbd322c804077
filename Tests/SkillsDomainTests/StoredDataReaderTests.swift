import SkillsDomain
import Testing

/// The trusted reader of stored canonical data must read exactly what the full decoder reads, and hand anything
/// outside the canonical shape back to it (nil), so that tampered data still fails as an integrity error.
@Suite struct StoredDataReaderTests {
    static let samples: [(EventKind, String)] = [
        (.workerRegistered, #"{"employer":"91420300MA4K3RLJ2Q","frontline":true,"insured_since":"2019-03","jurisdiction":"420302","migrant":false}"#),
        (.workerChanged, #"{"jurisdiction":"330382101"}"#),
        (.trainingCompleted, #"{"cost":"1800.50","course":"C-1","hours":64,"institution":"十堰职校","occupation":"6-20-01-01","paid_by":"self","started_on":"2026-01-31","title":"焊工 “中级”","track":"upgrade"}"#),
        (.certificationAwarded, #"{"certificate":"S-1","issuer":"x","level":"senior-technician","occupation":"6-20-01-01","occupation_name":"焊工","route":"exam"}"#),
        (.creditEarned, #"{"credits":"-2.5","institution":"i","reference":"r","source_kind":"other"}"#),
        (.apprenticeshipStarted, #"{"employer":"91420300MA4K3RLJ2Q","institution":"i","planned_months":12,"scheme":"modern"}"#),
        (.fundBudgeted, #"{"employment_fund":"100000.00","jurisdiction":"national","training_subsidy_budget":"0.00","year":2026}"#),
        (.subsidyGranted, #"{"amount":"-1000.00","clawback_of":"grant:ent-1","entitlement":"ent-1","evidence":["c1","t-2:3"],"explanation":"e","jurisdiction":"420300","payee":"ps_0123456789abcdef0123456789abcdef","period":"2026-06","policy":"p","rule":"p/r","version":"1"}"#),
        (.subsidyPaid, #"{"amount":"5.00","jurisdiction":"420300","payee":"91420300MA4K3RLJ2Q","payment":"pay-1"}"#),
        (.subsidyGranted, #"{"amount":"1.00","evidence":[],"explanation":"e","payee":"ps_0123456789abcdef0123456789abcdef","period":"2026-06","policy":"p","rule":"r"}"#),
        (.eventReversed, #"{"reason":"撤销","target":"c1"}"#),
        (.honorAwarded, #"{"title":"劳动模范"}"#),
    ]

    @Test("reads every sample as the full decoder does")
    func sameAsDecoder() throws {
        for (kind, text) in Self.samples {
            let trusted = try #require(StoredDataReader.read(text, kind: kind), "\(kind.rawValue): \(text)")
            #expect(trusted == (try EventDecoder.decodeStoredData(text, kind: kind)), "\(kind.rawValue): \(text)")
            #expect(CanonicalJSONWriter.string(trusted.json) == text, "it reads back to the same canonical bytes")
        }
    }

    @Test("leaves what is not canonical to the full decoder")
    func fallsBack() {
        let refused: [(EventKind, String)] = [
            (.eventReversed, #"{"reason":"a\nb","target":"c1"}"#),         // an escape
            (.eventReversed, #"{"reason":"r","target":"c1","x":1}"#),      // an unknown field
            (.eventReversed, #"{"reason":"r","target":"c1"} "#),           // trailing bytes
            (.creditEarned, #"{"credits":"two","institution":"i","reference":"r","source_kind":"other"}"#),
            (.fundBudgeted, #"{"employment_fund":"1.005","jurisdiction":"national","training_subsidy_budget":"0","year":2026}"#),
            (.certificationAwarded, #"{"level":"五级"}"#),                   // not the stored slug
            (.trainingCompleted, #"{"started_on":"2026-02-30"}"#),          // not a real date
            (.fundBudgeted, #"{"employment_fund":"1.00","jurisdiction":"national","training_subsidy_budget":"0.00","year":9999999999999999999}"#), // past Int64: no trap
            (.workerRegistered, #"{"name":"张三"}"#),                        // personal data is never stored in data
            (.eventReversed, #"{"reason":"","target":"c1"}"#),             // empty text reads as absent on intake
            (.eventReversed, #"{"target":"c1"}"#),                         // a required field missing
            (.honorAwarded, #"{}"#),
            (.eventReversed, #"{"target":"c1","reason":"r"}"#),           // keys out of canonical order
            (.trainingCompleted, #"{"cost":"1.00","cost":"2.00","course":"C-1","hours":1,"institution":"i","occupation":"6-20-01-01","paid_by":"self","started_on":"2026-01-31","title":"t","track":"upgrade"}"#), // a key twice
        ]
        for (kind, text) in refused { #expect(StoredDataReader.read(text, kind: kind) == nil, "\(text)") }
        #expect(StoredDataReader.date("2026-06-30") == LocalDate(year: 2026, month: 6, day: 30))
        #expect(StoredDataReader.date("2026/06/30") == nil)
    }

    @Test("reads SQLite's bytes in place as it reads a string")
    func fromBytes() {
        for (kind, text) in Self.samples {
            var copy = text
            let fromBytes = copy.withUTF8 { StoredDataReader.read(bytes: UnsafeRawBufferPointer($0), kind: kind) }
            #expect(fromBytes == StoredDataReader.read(text, kind: kind))
        }
        #expect(StoredDataReader.read(bytes: UnsafeRawBufferPointer(start: nil, count: 0), kind: .honorAwarded) == nil)
        #expect(Array("2026-06-30".utf8).withUnsafeBytes(StoredDataReader.date(bytes:)) == LocalDate(year: 2026, month: 6, day: 30))
    }
}
