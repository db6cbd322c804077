import Foundation
import SkillsDomain

/// Which days are working days (工作日), for counting a public notice's period: Monday to Friday, minus the
/// holidays of the State Council's yearly notice, plus its make-up working days (调休, a Saturday or Sunday worked).
///
/// ```swift
/// let calendar = try WorkingCalendar.load(path: "Samples/calendars/2026.yaml")
/// calendar.until(from: LocalDate.parse("2026-02-12")!, workingDays: 5)   // 2026-02-25: 春节 and 2026-02-14 counted
/// ```
///
/// The YAML file is `{year, holidays: [dates], workdays: [dates]}` (SPEC.md "Public notice"); every date must lie in
/// `year`, and no date may be both. Years the calendars do not cover count Monday to Friday only.
public struct WorkingCalendar: Sendable, Equatable {
    /// The years some file covered.
    public var years: Set<Int>
    /// Days off that would otherwise be working days (法定节假日 and the days moved next to them).
    public var holidays: Set<LocalDate>
    /// Saturdays and Sundays that are worked (调休上班).
    public var workdays: Set<LocalDate>

    /// Monday to Friday, no holidays: what a year without a calendar counts.
    public static let weekdaysOnly = WorkingCalendar(years: [], holidays: [], workdays: [])

    /// The longest period counted: a notice of 30 working days never needs more than a few months.
    static let maximumSpanDays = 366

    /// A calendar from its parts.
    public init(years: Set<Int>, holidays: Set<LocalDate>, workdays: Set<LocalDate>) {
        self.years = years
        self.holidays = holidays
        self.workdays = workdays
    }

    /// Whether `date` is a working day: a make-up working day, or a weekday that is not a holiday.
    public func isWorkingDay(_ date: LocalDate) -> Bool {
        if workdays.contains(date) { return true }
        if holidays.contains(date) { return false }
        return !WorkingCalendar.isWeekend(date)
    }

    /// Saturday or Sunday (1970-01-01, day number 0, was a Thursday).
    public static func isWeekend(_ date: LocalDate) -> Bool {
        let weekday = ((date.dayNumber % 7) + 7 + 3) % 7  // 0 = Monday … 6 = Sunday
        return weekday >= 5
    }

    /// The `count`-th working day from `from`, which is the first when it is a working day itself (SPEC.md's `until`).
    /// - Precondition: `count` is 1–30 (the range a pack or `--days` may give).
    public func until(from: LocalDate, workingDays count: Int) -> LocalDate {
        precondition((1...30).contains(count), "a notice runs 1–30 working days")
        var date = from
        var counted = isWorkingDay(date) ? 1 : 0
        var steps = 0
        while counted < count && steps < WorkingCalendar.maximumSpanDays {
            date = LocalDate(dayNumber: date.dayNumber + 1) ?? date
            if isWorkingDay(date) { counted += 1 }
            steps += 1
        }
        return date
    }

    /// This calendar and `other` together (two years' files).
    public func merging(_ other: WorkingCalendar) -> WorkingCalendar {
        WorkingCalendar(years: years.union(other.years), holidays: holidays.union(other.holidays), workdays: workdays.union(other.workdays))
    }

    // MARK: Loading

    /// Loads a calendar file.
    /// - Throws: `PackErrors` with file, line and column for every problem found.
    public static func load(path: String) throws(PackErrors) -> WorkingCalendar {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw PackErrors([PackError(file: path, position: nil, message: "no such file, or it is not UTF-8 text")])
        }
        return try load(text: text, file: path)
    }

    /// Loads a calendar from its YAML text; `file` names it in errors.
    public static func load(text: String, file: String) throws(PackErrors) -> WorkingCalendar {
        let root: PackNode
        do { root = try PackNode.parse(text, file: file) } catch { throw PackErrors([error]) }
        var errors: [PackError] = []
        func fail(_ position: SourcePosition?, _ message: String) { errors.append(PackError(file: file, position: position, message: message)) }
        guard case .mapping(let pairs, _) = root else {
            throw PackErrors([PackError(file: file, position: root.position, message: "a calendar is a mapping {year, holidays, workdays}")])
        }
        for pair in pairs where !["year", "holidays", "workdays", "source", "notes"].contains(pair.key) {
            fail(pair.keyPosition, "unknown key \"\(pair.key)\" in a calendar; expected one of: year, holidays, workdays, source, notes")
        }
        var year: Int?
        if let node = pairs.first(where: { $0.key == "year" })?.value {
            if case .scalar(let text, _, _, _) = node, let number = Int(text), (1900...2200).contains(number) { year = number } else {
                fail(node.position, "\"year\" must be a year YYYY")
            }
        } else {
            fail(root.position, "a calendar needs \"year\"")
        }
        func dates(_ key: String) -> Set<LocalDate> {
            guard let node = pairs.first(where: { $0.key == key })?.value else { return [] }
            guard case .sequence(let items, _) = node else { fail(node.position, "\"\(key)\" must be a list of dates (- YYYY-MM-DD)"); return [] }
            var result: Set<LocalDate> = []
            for item in items {
                guard case .scalar(let text, let position, _, _) = item, let date = LocalDate.parse(text), text.count == 10 else {
                    fail(item.position, "expected a date YYYY-MM-DD in \"\(key)\""); continue
                }
                if let year, date.year != year { fail(position, "\(date) in \"\(key)\" is not in \(year)") } else if key == "workdays" && !isWeekend(date) {
                    fail(position, "\(date) in \"workdays\" is a weekday: list only the Saturdays and Sundays worked (调休)")
                }
                if !result.insert(date).inserted { fail(position, "\(date) appears twice in \"\(key)\"") }
            }
            return result
        }
        let holidays = dates("holidays"), workdays = dates("workdays")
        for date in holidays.intersection(workdays).sorted() { fail(root.position, "\(date) is both a holiday and a make-up working day") }
        guard errors.isEmpty, let year else { throw PackErrors(errors) }
        return WorkingCalendar(years: [year], holidays: holidays, workdays: workdays)
    }
}
