import SkillsDomain
import Testing

@Suite("skill levels")
struct SkillLevelTests {
    @Test("slug, Chinese name, grade and short Chinese forms all read", arguments: [
        ("junior", SkillLevel.junior), ("JUNIOR", .junior), ("初级工", .junior), ("五级", .junior), ("5", .junior), ("初级", .junior),
        ("intermediate", .intermediate), ("中级工", .intermediate), ("四级", .intermediate), ("4", .intermediate), ("中级", .intermediate),
        ("senior", .senior), ("高级工", .senior), ("三级", .senior), ("高级", .senior),
        ("technician", .technician), ("技师", .technician), ("二级", .technician), ("2", .technician),
        ("senior-technician", .seniorTechnician), ("高级技师", .seniorTechnician), ("一级", .seniorTechnician), ("1", .seniorTechnician),
        ("principal-technician", .principalTechnician), ("特级技师", .principalTechnician),
        ("chief-technician", .chiefTechnician), ("首席技师", .chiefTechnician), (" 中级工\u{3000}", .intermediate),
    ])
    func parses(text: String, level: SkillLevel) throws {
        #expect(try SkillLevel(parsing: text) == level)
    }

    @Test("anything else is refused", arguments: ["", "0", "6", "六级", "master", "senior technician", "学徒工"])
    func refused(text: String) {
        #expect(throws: ValueError.self) { try SkillLevel(parsing: text) }
    }

    @Test("levels order from 初级工 up, with national grades only for the five national levels")
    func ordering() {
        #expect(SkillLevel.junior < .intermediate && .senior < .technician && .seniorTechnician < .chiefTechnician)
        #expect(SkillLevel.junior.grade == 5)
        #expect(SkillLevel.seniorTechnician.grade == 1)
        #expect(SkillLevel.principalTechnician.grade == nil)
        #expect(SkillLevel.seniorTechnician.description == "senior-technician")
    }
}

@Suite("money in fen")
struct MoneyTests {
    @Test("yuan text parses to integer fen", arguments: [
        ("6000", Int64(600_000)), ("1800.5", 180_050), ("1800.50", 180_050), ("0.01", 1), ("-200.00", -20_000), ("+5", 500), ("0", 0),
        ("1000000000000", 100_000_000_000_000),
    ])
    func parses(text: String, fen: Int64) throws {
        #expect(try Money(yuan: text).fen == fen)
    }

    @Test("three decimals, number-like text and oversize amounts are refused", arguments: [
        "1.234", "0.001", "", "-", "+", ".5", "5.", "1,000", "1e3", "NaN", "nan", "Infinity", "-Infinity", "0x10", "１００", " 100",
        "1.2.3", "--5", "1000000000000.01", "99999999999999",
    ])
    func refused(text: String) {
        #expect(throws: ValueError.self) { try Money(yuan: text) }
    }

    @Test("yuanString always has two decimals and a leading minus", arguments: [
        (Int64(5), "0.05"), (-5, "-0.05"), (180_050, "1800.50"), (0, "0.00"), (600_000, "6000.00"), (-20_000, "-200.00"),
    ])
    func formats(fen: Int64, text: String) {
        #expect(Money(fen: fen).yuanString == text)
    }

    @Test("scaled(by:over:) rounds half away from zero to the fen (四舍五入)", arguments: [
        (Int64(150_000), Int64(80), Int64(100), Int64(120_000)), // 80% of 1,500 yuan
        (5, 1, 2, 3), (-5, 1, 2, -3), (5, -1, 2, -3), (4, 1, 3, 1), (5, 1, 3, 2), (100, 2, 3, 67), (-100, 2, 3, -67),
        (7, 1, 2, 4), (6, 1, 2, 3), (0, 5, 7, 0),
    ])
    func scaled(fen: Int64, numerator: Int64, denominator: Int64, expected: Int64) {
        #expect(Money(fen: fen).scaled(by: numerator, over: denominator).fen == expected)
    }

    @Test("scaling the largest accepted amount does not overflow")
    func scaledLarge() {
        let largest = Money(fen: Money.maximumFen)
        #expect(largest.scaled(by: 80, over: 100).fen == Money.maximumFen / 100 * 80)
    }

    @Test("sums and arithmetic stay in fen")
    func arithmetic() throws {
        let amounts = try ["0.10", "0.20", "1800.50"].map { try Money(yuan: $0) }
        #expect(amounts.sum().yuanString == "1800.80")
        #expect((Money(yuanWhole: 3) - Money(fen: 1)).yuanString == "2.99")
        #expect((-Money(yuanWhole: 2)).isNegative)
    }
}

@Suite("credits in tenths")
struct CreditsTests {
    @Test("credit text parses to tenths", arguments: [("2.5", Int64(25)), ("2", 20), ("-1.5", -15), ("0.5", 5), ("10000", 100_000)])
    func parses(text: String, tenths: Int64) throws {
        #expect(try Credits(text: text).tenths == tenths)
    }

    @Test("two decimals and other shapes are refused", arguments: ["2.55", "2.", ".5", "", "-", "abc", "1234567", "10000.1", "1.5.0", "+1"])
    func refused(text: String) {
        #expect(throws: ValueError.self) { try Credits(text: text) }
    }

    @Test("text always has one decimal")
    func formats() {
        #expect(Credits(tenths: 70).text == "7.0")
        #expect(Credits(tenths: 25).text == "2.5")
        #expect(Credits(tenths: -5).text == "-0.5")
        #expect((Credits(tenths: 25) + Credits(tenths: 15)).text == "4.0")
    }
}

@Suite("dates and months")
struct DateTests {
    @Test("leap days exist only in leap years")
    func leapDays() {
        #expect(LocalDate.parse("2024-02-29") != nil)
        #expect(LocalDate.parse("2000-02-29") != nil)
        #expect(LocalDate.parse("2026-02-29") == nil)
        #expect(LocalDate.parse("1900-02-29") == nil)
        #expect(throws: ValueError.self) { try LocalDate(parsing: "2026-02-29") }
    }

    @Test("the forms Excel and people write are read", arguments: [("2026-03-01", "2026-03-01"), ("2026/3/1", "2026-03-01"),
                                                                   ("20260301", "2026-03-01"), ("2026-3-09", "2026-03-09")])
    func forms(text: String, canonical: String) throws {
        #expect(try LocalDate(parsing: text).description == canonical)
    }

    @Test("impossible or mixed forms are refused", arguments: ["2026-13-01", "2026-04-31", "2026-00-10", "2026-03/01", "26-03-01",
                                                               "1899-12-31", "2201-01-01", "2026-03-01T00:00", "", "2026年3月1日"])
    func refused(text: String) {
        #expect(LocalDate.parse(text) == nil)
    }

    @Test("adding months keeps the day, clamped to the month's last day", arguments: [
        ("2026-01-31", 1, "2026-02-28"), ("2024-01-31", 1, "2024-02-29"), ("2026-01-31", 3, "2026-04-30"), ("2025-12-31", 2, "2026-02-28"),
        ("2026-03-31", -1, "2026-02-28"), ("2025-09-15", 4, "2026-01-15"), ("2026-01-31", 12, "2027-01-31"), ("2026-01-31", 0, "2026-01-31"),
    ])
    func addingMonths(start: String, months: Int, expected: String) throws {
        #expect(try LocalDate(parsing: start).adding(months: months).description == expected)
    }

    @Test("day numbers count days since 1970-01-01")
    func dayNumbers() throws {
        #expect(try LocalDate(parsing: "1970-01-01").dayNumber == 0)
        #expect(try LocalDate(parsing: "2000-03-01").dayNumber == 11_017)
        #expect(try LocalDate(parsing: "2026-02-28").dayNumber == 20_512)
    }

    @Test("a day number turns back into its date, leap days and century years included")
    func fromDayNumbers() {
        let days = LocalDate(year: 1900, month: 1, day: 1)!.dayNumber...LocalDate(year: 2200, month: 12, day: 31)!.dayNumber
        let mismatches = days.filter { LocalDate(dayNumber: $0)?.dayNumber != $0 }
        #expect(mismatches.isEmpty)
        #expect(LocalDate(dayNumber: 11_016)?.description == "2000-02-29")
        #expect(LocalDate(dayNumber: -25_567)?.description == "1900-01-01")
        #expect(LocalDate(dayNumber: -30_000) == nil, "before 1900 is outside what a LocalDate holds")
    }

    @Test("months parse, step across years and know their days")
    func months() throws {
        let march = try Month(parsing: "2026-03")
        #expect(try Month(parsing: "2026/3") == march)
        #expect(try Month(parsing: "202603") == march)
        #expect(march.adding(-3).description == "2025-12")
        #expect(march.adding(10).description == "2027-01")
        #expect(try Month(parsing: "2024-02").lastDay.description == "2024-02-29")
        #expect(march.contains(try LocalDate(parsing: "2026-03-31")))
        #expect(try Month(parsing: "2026-02").index - Month(parsing: "2025-02").index == 12)
        for bad in ["2026-13", "26-03", "2026-00", "", "2026-03-01"] {
            #expect(throws: ValueError.self) { try Month(parsing: bad) }
        }
    }
}
