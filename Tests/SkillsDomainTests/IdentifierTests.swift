import SkillsDomain
import Testing

@Suite("公民身份号码 (GB 11643)")
struct CitizenIDTests {
    @Test("the standard's example passes, with its birth date and masked form")
    func standardExample() throws {
        let id = try CitizenID("11010519491231002X")
        #expect(id.value == "11010519491231002X")
        #expect(id.birthDate == LocalDate(year: 1949, month: 12, day: 31))
        #expect(id.masked == "110105********002X")
    }

    @Test("a lowercase x check character is accepted and stored as X")
    func lowercaseX() throws {
        #expect(try CitizenID("11010519491231002x").value == "11010519491231002X")
    }

    @Test("withCheckCharacter completes 17 digits to a number that validates")
    func completesCheckCharacter() throws {
        #expect(CitizenID.withCheckCharacter("11010519491231002") == "11010519491231002X")
        let completed = CitizenID.withCheckCharacter("42030219780412101")
        #expect(try CitizenID(completed).value == completed)
    }

    @Test("a wrong check character is refused, naming the right one", arguments: ["110105194912310021", "110105194912310020"])
    func wrongCheckCharacter(text: String) {
        #expect {
            try CitizenID(text)
        } throws: { error in
            (error as? ValueError)?.expected.contains("check character (GB 11643) is X") == true
        }
    }

    @Test("an impossible birth date is refused even with a matching check character",
          arguments: ["11010519490230002", "11010520260229002", "11010519491301002", "11010519490100002"])
    func impossibleBirthDate(seventeen: String) {
        #expect {
            try CitizenID(CitizenID.withCheckCharacter(seventeen))
        } throws: { error in
            (error as? ValueError)?.expected.contains("real birth date") == true
        }
    }

    @Test("a first pair of digits that is no province is refused", arguments: ["99010519491231002", "00010519491231002", "10010519491231002"])
    func badProvince(seventeen: String) {
        #expect {
            try CitizenID(CitizenID.withCheckCharacter(seventeen))
        } throws: { error in
            (error as? ValueError)?.expected.contains("province code") == true
        }
    }

    @Test("wrong shapes are refused", arguments: ["", "11010519491231002", "11010519491231002XX", "1101051949123100AX", "11010519491231002Y", "１１0105194912310021"])
    func wrongShape(text: String) {
        #expect(throws: ValueError.self) { try CitizenID(text) }
    }

    @Test("masking leaves anything that is not 18 characters as it is")
    func maskText() {
        #expect(CitizenID.mask("420302197804121019") == "420302********1019")
        #expect(CitizenID.mask("91420300MA48R7K21") == "91420300MA48R7K21")
    }
}

@Suite("统一社会信用代码 (GB 32100)")
struct CreditCodeTests {
    @Test("codes as printed on business licences pass the check", arguments: ["91330100716105852F", "9144030071526726XG", "91110108551385082Q"])
    func publishedCodesPass(text: String) throws {
        let code = try CreditCode(text)
        #expect(code.checkPasses)
        #expect(code.checkWarning == nil)
    }

    @Test("a failing check character is a warning, not a refusal (early codes are legal)")
    func failingCheckWarns() throws {
        let code = try CreditCode("91330100716105852G")
        #expect(!code.checkPasses)
        #expect(code.checkWarning?.isWarning == true)
        #expect(code.value == "91330100716105852G")
    }

    @Test("lowercase letters are read as capitals")
    func lowercase() throws {
        #expect(try CreditCode("9144030071526726xg").value == "9144030071526726XG")
    }

    @Test("withCheckCharacter completes 17 characters to a passing code")
    func completes() throws {
        #expect(CreditCode.withCheckCharacter("91330100716105852") == "91330100716105852F")
        #expect(try CreditCode(CreditCode.withCheckCharacter("52420302MJ0K5T8H4")).checkPasses)
    }

    @Test("the region is characters 3–8")
    func region() throws {
        #expect(try CreditCode("91330100716105852F").region == "330100")
    }

    @Test("letters outside the alphabet, wrong lengths and a non-numeric region are refused",
          arguments: ["91330100716105852", "91330100716105852FF", "91330100716I05852F", "91330100716O05852F", "91330100716S05852F",
                      "9133010071610585ZF", "91ABCDEF716105852F", ""])
    func refused(text: String) {
        #expect(throws: ValueError.self) { try CreditCode(text) }
    }
}

@Suite("jurisdiction codes (GB/T 2260)")
struct JurisdictionCodeTests {
    func code(_ text: String) throws -> JurisdictionCode { try JurisdictionCode(text) }

    @Test("a district's lineage runs up to national")
    func districtLineage() throws {
        #expect(try code("510107").lineage.map(\.value) == ["510107", "510100", "510000", "national"])
        #expect(try code("420304").lineage.map(\.value) == ["420304", "420300", "420000", "national"])
    }

    @Test("a 9-digit township sits inside its county")
    func townshipLineage() throws {
        #expect(try code("330382115").lineage.map(\.value) == ["330382115", "330382", "330300", "330000", "national"])
        #expect(try code("330382").contains(code("330382115")))
        #expect(try !code("330382115").contains(code("330382")))
    }

    @Test("containment follows the prefixes", arguments: [
        ("420300", "420304", true), ("420300", "420300", true), ("420000", "420304", true), ("420300", "420400", false),
        ("420300", "510107", false), ("510107", "510100", false), ("national", "620402", true), ("620400", "national", false),
        ("410100", "410105", true), ("330300", "330382115", true),
    ])
    func containment(outer: String, inner: String, expected: Bool) throws {
        #expect(try code(outer).contains(code(inner)) == expected)
    }

    @Test("000000 and 全国 mean national")
    func nationalSpellings() throws {
        #expect(try code("000000") == .national)
        #expect(try code("全国").isNational)
        #expect(JurisdictionCode.national.parent == nil)
    }

    @Test("wrong lengths, letters and unknown provinces are refused", arguments: ["42030", "4203001", "42030a", "990000", "", "4203000000"])
    func refused(text: String) {
        #expect(throws: ValueError.self) { try JurisdictionCode(text) }
    }
}

@Suite("occupation codes (国家职业分类大典)")
struct OccupationCodeTests {
    @Test("X-XX-XX-XX with a major group 1–8 is accepted", arguments: ["6-18-01-01", "6-31-01-03", "4-03-02-01", "1-01-00-01", "8-00-00-00"])
    func accepted(text: String) throws {
        #expect(try OccupationCode(text).value == text)
    }

    @Test("other shapes are refused", arguments: ["0-18-01-01", "9-18-01-01", "6-18-1-01", "61801001", "6_18_01_01", "6-18-01-011", "A-18-01-01", ""])
    func refused(text: String) {
        #expect(throws: ValueError.self) { try OccupationCode(text) }
    }
}
