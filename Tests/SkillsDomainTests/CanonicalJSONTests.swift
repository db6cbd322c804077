import SkillsDomain
import Testing

/// The chain hashes canonical JSON, and an auditor recomputes it with Python's
/// `json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)`. The expected strings below were
/// produced by that call (Python 3.11) on the same input, and checked by hand.
@Suite("canonical JSON")
struct CanonicalJSONTests {
    func canonical(_ text: String) throws -> String {
        CanonicalJSONWriter.string(try JSONParser.parse(text))
    }

    @Test("keys are sorted at every level and spaces dropped")
    func sortsKeys() throws {
        #expect(try canonical(#"{"b": 1, "a": [true, false, null], "c": {"z": "", "y": "x"}}"#)
            == #"{"a":[true,false,null],"b":1,"c":{"y":"x","z":""}}"#)
        #expect(try canonical(#"[ 1 , -2 , 30 , "x" , [ ] , { } ]"#) == #"[1,-2,30,"x",[],{}]"#)
    }

    @Test("keys sort by code point, as Python does (not by UTF-16 unit: 😀 after ～)")
    func codePointOrder() throws {
        #expect(try canonical(#"{"中":"文","a":"é","Z":"😀","～":"full-width tilde","😀":"emoji key"}"#)
            == #"{"Z":"😀","a":"é","中":"文","～":"full-width tilde","😀":"emoji key"}"#)
    }

    @Test("escapes: the short forms, \\u00XX for other controls, everything else as UTF-8")
    func escapes() throws {
        let input = #"{"s":"quote\" backslash\\ slash\/ nl\n cr\r tab\t bs\b ff\f ctl\u0001\u001f del\u007f ls\u2028 e\u00e9 smile\ud83d\ude00"}"#
        let expected = #"{"s":"quote\" backslash\\ slash/ nl\n cr\r tab\t bs\b ff\f ctl\u0001\u001f del"# + "\u{7F}" + " ls" + "\u{2028}"
            + #" eé smile😀"}"#
        #expect(try canonical(input) == expected)
    }

    @Test("numbers keep their source text, so amounts never pass through floating point")
    func numbersVerbatim() throws {
        #expect(try canonical(#"{"n":1800.50,"e":1E+3,"neg":-0.1}"#) == #"{"e":1E+3,"n":1800.50,"neg":-0.1}"#)
    }

    @Test("an event's canonical bytes are the same whatever the order fields were given in")
    func eventCanonicalBytes() throws {
        let worker = try CitizenID("11010519491231002X")
        let first = Event(id: "c-1", kind: .certificationAwarded, occurredOn: LocalDate(year: 2026, month: 3, day: 2)!, source: "420300",
                          worker: .citizen(worker), data: EventData([("level", .level(.senior)), ("certificate", .text("S1"))]))
        let second = Event(id: "c-1", kind: .certificationAwarded, occurredOn: LocalDate(year: 2026, month: 3, day: 2)!, source: "420300",
                           worker: .citizen(worker), data: EventData([("certificate", .text("S1")), ("level", .level(.senior))]))
        let text = String(decoding: first.canonicalBytes, as: UTF8.self)
        #expect(first.canonicalBytes == second.canonicalBytes)
        #expect(text == #"{"data":{"certificate":"S1","level":"senior"},"id":"c-1","kind":"certification.awarded","occurred_on":"2026-03-02","source":"420300","worker":"11010519491231002X"}"#)
    }
}

@Suite("strict JSON parser")
struct JSONParserTests {
    @Test("invalid JSON is refused with a position", arguments: [
        "", "{", "{\"a\":1,}", "[1,]", "{'a':1}", "{\"a\":01}", "{\"a\":1}{", "{\"a\":\"\u{01}\"}", "{\"a\":\"\\x\"}", "{\"a\":tru}",
        "{\"a\":\"\\ud83d\"}", "{\"a\":1.}", "{\"a\":-}", "{\"a\" 1}", "NaN", "{\"a\":Infinity}",
    ])
    func refused(text: String) {
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(text) }
    }

    @Test("a duplicate key is refused, pointing at it")
    func duplicateKey() {
        #expect {
            try JSONParser.parse(#"{"id":"a","kind":"x","id":"b"}"#)
        } throws: { error in
            let syntax = error as? JSONSyntaxError
            return syntax?.offset == 21 && syntax?.message.contains("appears twice") == true
        }
    }

    @Test("nesting deeper than the limit is refused, not a stack overflow")
    func depthLimit() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONSyntaxError.self) { try JSONParser.parse(deep) }
        let allowed = String(repeating: "[", count: JSONParser.maximumDepth) + String(repeating: "]", count: JSONParser.maximumDepth)
        #expect(throws: Never.self) { try JSONParser.parse(allowed) }
    }

    @Test("members keep their source order and can be looked up")
    func memberOrder() throws {
        let value = try JSONParser.parse(#"{"z":1,"a":"x"}"#)
        guard case .object(let members) = value else { Issue.record("not an object"); return }
        #expect(members.map(\.key) == ["z", "a"])
        #expect(value["a"] == .string("x"))
        #expect(value["missing"] == nil)
    }
}
