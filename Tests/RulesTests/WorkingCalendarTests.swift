import Foundation
import Rules
import SkillsDomain
import Testing

/// Counting a public notice's working days (SPEC.md "Public notice"): Monday to Friday, minus holidays, plus make-up
/// working days; and the calendar file and the packs' `notice` key are checked like a pack, with line and column.
@Suite struct WorkingCalendarTests {
    static let samplesCalendar = RulesFixture.packsDirectory.replacingOccurrences(of: "/policies", with: "/calendars/2026.yaml")

    func date(_ text: String) -> LocalDate { LocalDate.parse(text)! }

    func loadErrors(_ text: String) -> [String] {
        do { _ = try WorkingCalendar.load(text: text, file: "cal.yaml"); return [] } catch { return error.errors.map(\.description) }
    }

    @Test func springFestivalAndItsMakeUpSaturday() throws {
        // 国务院办公厅 2025-11-04: 春节 2月15日–23日 off, 2月14日 (周六) worked.
        let calendar = try WorkingCalendar.load(path: Self.samplesCalendar)
        #expect(calendar.isWorkingDay(date("2026-02-14")) && !calendar.isWorkingDay(date("2026-02-16")))
        // Thu 12 (1), Fri 13 (2), Sat 14 make-up (3), 15–23 holiday, Tue 24 (4), Wed 25 (5).
        #expect(calendar.until(from: date("2026-02-12"), workingDays: 5) == date("2026-02-25"))
        // Without the calendar, Monday to Friday only: Thu 12 … Wed 18.
        #expect(WorkingCalendar.weekdaysOnly.until(from: date("2026-02-12"), workingDays: 5) == date("2026-02-18"))
        // National Day: Wed 30 Sep (1), 1–7 Oct off, Thu 8 (2), Fri 9 (3), Sat 10 worked (4).
        #expect(calendar.until(from: date("2026-09-30"), workingDays: 4) == date("2026-10-10"))
    }

    @Test func aFirstDayOffIsNotCounted() {
        let calendar = WorkingCalendar(years: [2026], holidays: [date("2026-04-06")], workdays: [])
        // Sat 4 Apr is not counted; Mon 6 Apr is a holiday: Tue 7 (1) … Mon 13 (5).
        #expect(calendar.until(from: date("2026-04-04"), workingDays: 5) == date("2026-04-13"))
        #expect(calendar.until(from: date("2026-04-07"), workingDays: 1) == date("2026-04-07"))
    }

    @Test func theFileIsCheckedWithLineAndColumn() {
        #expect(loadErrors("year: 2026\nholidays:\n  - 2026-02-30\n") == ["cal.yaml:3:5: error: expected a date YYYY-MM-DD in \"holidays\""])
        #expect(loadErrors("year: 2026\nworkdays:\n  - 2025-02-14\n") == ["cal.yaml:3:5: error: 2025-02-14 in \"workdays\" is not in 2026"])
        #expect(loadErrors("year: 2026\nworkdays: [2026-02-16]\n").first?.contains("is a weekday") == true)
        #expect(loadErrors("year: 2026\nholiday: []\n").first?.hasPrefix("cal.yaml:2:1: error: unknown key \"holiday\"") == true)
    }

    @Test func aPackMayAskForANoticeOf1To30WorkingDays() throws {
        let text = try String(contentsOfFile: RulesFixture.packPath("wuhou-2019"), encoding: .utf8)
        #expect(try PackLoader.load(text: text, file: "wuhou.yaml").noticeWorkingDays == 5)
        let national = try String(contentsOfFile: RulesFixture.packPath("national-skill-upgrade"), encoding: .utf8)
        #expect(try PackLoader.load(text: national, file: "national.yaml").noticeWorkingDays == nil)
        let bad = text.replacingOccurrences(of: "  working_days: 5", with: "  working_days: 31")
        do {
            _ = try PackLoader.load(text: bad, file: "wuhou.yaml")
            Issue.record("a 31-day notice was accepted")
        } catch {
            let line = text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.hasPrefix("  working_days") }! + 1
            #expect(error.errors.map(\.description) == ["wuhou.yaml:\(line):17: error: notice.working_days must be a whole number of working days from 1 to 30, found \"31\""])
        }
    }
}
