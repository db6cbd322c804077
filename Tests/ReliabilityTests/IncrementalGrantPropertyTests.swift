import Foundation
import Ledger
import LedgerTesting
import PropertyBased
import Rules
import SkillsDomain
import Testing

/// `grant` computes only the workers whose outcome can have changed since the jurisdiction's last grant run
/// (`MonthEndScope`). Over random histories — evidence, reversals of evidence and of grants, an `insured_since`
/// dated back, policy versions with a past effective date, honours held back by public notices, objections, months
/// closed, months skipped, a national run beside the local ones — the same history is kept in two ledgers: one
/// grants as `grant` does, the other computes every worker (`--all-workers`). After every run both ledgers hold the
/// same grants, clawbacks and adjustments, with the same amounts.
@Suite("incremental grant (property-based)")
struct IncrementalGrantPropertyTests {
    static let packs = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Samples/policies").path
    static let jurisdictions = ["420300", "620400", "510107"]

    @Test("a grant computing only the changed workers records what computing everyone records")
    func sameAsEveryone() async {
        await propertyCheck(count: 20, input: Gen.uint64()) { seed in
            do { try await Self.run(seed: seed) } catch { Issue.record("seed \(seed): \(error)") }
        }
    }

    /// Both ledgers, the same writes.
    struct Pair {
        let changed: TemporaryLedger
        let everyone: TemporaryLedger

        func append(_ events: [Event]) throws {
            for ledger in [changed, everyone] { try ledger.store.append(events.map { $0.submission(name: "甲") }, operatorName: "p") }
        }
    }

    static func run(seed: UInt64) async throws {
        var random = SeededRandom(seed: seed)
        let pair = Pair(changed: try TemporaryLedger(), everyone: try TemporaryLedger())
        let baiyinText = try String(contentsOfFile: packs + "/baiyin-2021.yaml", encoding: .utf8)
        for ledger in [pair.changed, pair.everyone] {
            _ = try await PolicyAdoption.adopt(paths: ["national-skill-upgrade", "baiyin-2021", "wuhou-2019"].map { packs + "/\($0).yaml" },
                                               store: ledger.store, operatorName: "p")
        }
        let national = (1...3).map { Build.citizenID(100 + $0) }
        let apprentices = (1...3).map { Build.citizenID(200 + $0, address: "620402") }
        let wuhou = (1...3).map { Build.citizenID(300 + $0, address: "510107") }
        try pair.append(national.enumerated().map { Build.workerRegistered("r-n\($0)", worker: $1, insuredSince: "2020-01") }
            + apprentices.enumerated().map { Build.workerRegistered("r-a\($0)", worker: $1, jurisdiction: "620402") }
            + wuhou.enumerated().map { Build.workerRegistered("r-w\($0)", worker: $1, jurisdiction: "510107") })
        var month = Build.month("2026-01")
        var evidence: [String] = []
        var reversed: Set<String> = []
        var noticed: [String] = []
        var log: [String] = []
        do {
            for step in 0..<32 {
                let earlier = month.adding(-Int(random.next() % 3))
                switch random.next() % 10 {
                case 0:
                    let level: SkillLevel = [.junior, .intermediate, .senior][Int(random.next() % 3)]
                    try pair.append([Build.certificationAwarded("c\(step)", worker: national[Int(random.next() % 3)], on: day(earlier, &random).description,
                                                                level: level)])
                    evidence.append("c\(step)")
                    log.append("certificate c\(step) \(earlier)")
                case 1:
                    try pair.append([Build.apprenticeshipStarted("a\(step)", worker: apprentices[Int(random.next() % 3)],
                                                                 on: day(earlier.adding(-2), &random).description,
                                                                 employer: Build.creditCode(9, region: "620400"), plannedMonths: 6)])
                    evidence.append("a\(step)")
                    log.append("apprenticeship a\(step)")
                case 2:
                    try pair.append([Build.honorAwarded("h\(step)", worker: wuhou[Int(random.next() % 3)], on: day(earlier, &random).description)])
                    evidence.append("h\(step)")
                    log.append("honour h\(step) \(earlier)")
                case 3:
                    // A piece of evidence, or now and then a grant, reversed.
                    let grants = try grantIDs(pair.changed.store).sorted().filter { $0.hasPrefix("grant:") && !reversed.contains($0) }
                    let pool = random.next() % 4 == 0 && !grants.isEmpty ? grants : evidence.filter { !reversed.contains($0) }
                    guard let target = pool.randomElement(using: &random) else { continue }
                    try pair.append([Build.eventReversed("rev:\(target.prefix(50))", target: target, on: month.firstDay.description)])
                    reversed.insert(target)
                    log.append("reverse \(target)")
                case 4:
                    let since = ["2020-01", "2025-12"][Int(random.next() % 2)]
                    try pair.append([Build.workerChanged("w\(step)", worker: national[Int(random.next() % 3)], on: "2025-06-01",
                                                         [("insured_since", .month(Build.month(since)))])])
                    log.append("insured_since \(since)")
                case 5:
                    guard random.next() % 2 == 0 else { continue }
                    let text = baiyinText.replacingOccurrences(of: "version: \"2021.1\"", with: "version: \"v\(step)\"")
                        .replacingOccurrences(of: "  from: 2021-01-01", with: "  from: \(month.adding(-1).firstDay)")
                        .replacingOccurrences(of: "2021-01-01: \"6000\"", with: "\(month.adding(-1).firstDay): \"7200\"")
                    let file = try pair.changed.file("baiyin-v\(step).yaml", text)
                    for ledger in [pair.changed, pair.everyone] { _ = try await PolicyAdoption.adopt(paths: [file], store: ledger.store, operatorName: "p") }
                    log.append("version v\(step)")
                case 6:
                    // A public notice of the month's Wuhou entitlements, five to ten days long.
                    let listed = try await EntitlementEngine.entitlements(pair.changed.store, jurisdiction: JurisdictionCode("510107"), month: month)
                        .entitlements.map(\.id).sorted()
                    guard !listed.isEmpty else { continue }
                    let from = day(month, &random)
                    try pair.append([notice("notice:\(step)", month: month, from: from, until: LocalDate(dayNumber: from.dayNumber + 5 + Int(random.next() % 6))!, listed)])
                    noticed += listed
                    log.append("notice \(month) \(listed.count)")
                case 7:
                    guard let entitlement = noticed.randomElement(using: &random) else { continue }
                    try pair.append([objection("obj\(step)", entitlement)])
                    if random.next() % 2 == 0 {
                        try pair.append([resolution("res\(step)", entitlement, objections: ["obj\(step)"], upheld: random.next() % 2 == 0)])
                    }
                    log.append("objection to \(entitlement)")
                default:
                    let runDate = LocalDate(dayNumber: month.lastDay.dayNumber + Int(random.next() % 20) - 10)!
                    var runs = jurisdictions
                    if random.next() % 4 == 0 { runs = ["national"] }
                    for jurisdiction in runs {
                        let code = try JurisdictionCode(jurisdiction)
                        log.append("run \(jurisdiction)")
                        let changed = try await Granting.grant(pair.changed.store, jurisdiction: code, month: month, operatorName: "p", runDate: runDate)
                        let everyone = try await Granting.grant(pair.everyone.store, jurisdiction: code, month: month, operatorName: "p", runDate: runDate,
                                                                allWorkers: true)
                        log.append("grant \(jurisdiction) \(month) on \(runDate): \(changed.scope.workers.map { "\($0.count) workers" } ?? "everyone")")
                        #expect(changed.granted.sorted() == everyone.granted.sorted(), "seed \(seed), grants differ after \(log)")
                        #expect(changed.clawbacks.map(\.id).sorted() == everyone.clawbacks.map(\.id).sorted(), "seed \(seed), clawbacks differ after \(log)")
                        #expect(changed.adjustments.sorted() == everyone.adjustments.sorted(), "seed \(seed), adjustments differ after \(log)")
                    }
                    let (inChanged, inEveryone) = (try grants(pair.changed.store), try grants(pair.everyone.store))
                    #expect(inChanged == inEveryone, "seed \(seed): the ledgers' grants differ after \(log): only with changed workers \(inChanged.filter { !inEveryone.contains($0) }), only with everyone \(inEveryone.filter { !inChanged.contains($0) })")
                    if random.next() % 3 == 0 {
                        try pair.append(jurisdictions.map { Build.periodClosed("close-\($0)-\(month)", jurisdiction: $0, period: month.description,
                                                                              on: month.lastDay.description) })
                        log.append("close \(month)")
                    }
                    // Now and then a month goes by without a grant.
                    month = month.adding(random.next() % 5 == 0 ? 2 : 1)
                    guard month < Build.month("2026-11") else { return }
                }
            }
        } catch {
            throw StepFailure(description: "\(error) after \(log)")
        }
    }

    struct StepFailure: Error, CustomStringConvertible { var description: String }

    static func day(_ month: Month, _ random: inout SeededRandom) -> LocalDate {
        LocalDate(year: month.year, month: month.month, day: 1 + Int(random.next() % 27))!
    }

    static func grantIDs(_ store: LedgerStore) throws -> [String] {
        var result: [String] = []
        try store.forEachEvent(kinds: [.subsidyGranted]) { result.append($0.event.id) }
        return result
    }

    /// Every grant, clawback and adjustment recorded, with its amount, sorted (each ledger has its own pseudonym key,
    /// so the workers, and their grants within a run, come in another order).
    static func grants(_ store: LedgerStore) throws -> [String] {
        var result: [String] = []
        try store.forEachEvent(kinds: [.subsidyGranted]) { stored in
            result.append("\(stored.event.id) \(stored.event.data.money("amount")?.yuanString ?? "?")")
        }
        return result.sorted()
    }

    static func notice(_ id: String, month: Month, from: LocalDate, until: LocalDate, _ entitlements: [String]) -> Event {
        Event(id: id, kind: .noticePublished, occurredOn: from, source: "510107", data: EventData([
            ("jurisdiction", .text("510107")), ("month", .month(month)), ("from", .date(from)), ("until", .date(until)),
            ("days", .integer(5)), ("entitlements", .list(entitlements)), ("digest", .text(String(repeating: "ab", count: 32))),
        ]))
    }

    static func objection(_ id: String, _ entitlement: String) -> Event {
        Event(id: id, kind: .objectionFiled, occurredOn: Build.date("2026-01-01"), source: "510107",
              data: EventData([("entitlement", .text(entitlement)), ("reason", .text("群众举报 reported"))]))
    }

    static func resolution(_ id: String, _ entitlement: String, objections: [String], upheld: Bool) -> Event {
        Event(id: id, kind: .objectionResolved, occurredOn: Build.date("2026-01-02"), source: "510107", data: EventData([
            ("entitlement", .text(entitlement)), ("outcome", .text(upheld ? "upheld" : "dismissed")), ("objections", .list(objections)),
            ("reason", .text("核实 checked")),
        ]))
    }
}
