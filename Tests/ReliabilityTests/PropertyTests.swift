import Foundation
import Ledger
import LedgerTesting
import PropertyBased
import SkillsDomain
import Testing

/// Round trips the ledger's storage rests on (RELIABILITY.md §4), over generated values. Each case is built from a
/// generated seed, so a failure report's seed rebuilds the exact tree or batch. (SkillsDomainTests already checks
/// encode∘parse∘encode on flat documents and money/credits text round trips; ReconciliationTests checks that every
/// fen lands in exactly one line. These go deeper: whole trees, whole events, through the ledger and back.)
@Suite("round trips (property-based)")
struct PropertyTests {
    @Test("canonical JSON: parse(encode(x)) is x with its keys sorted, for deep trees of every JSON type")
    func canonicalTrees() async {
        await propertyCheck(count: 400, input: Gen.uint64()) { seed in
            var random = SeededRandom(seed: seed)
            let tree = JSONTrees.value(depth: 0, &random)
            let encoded = CanonicalJSONWriter.encode(tree)
            let parsed = try? JSONParser.parse(encoded)
            #expect(parsed == JSONTrees.sorted(tree), "seed \(seed): \(String(decoding: encoded, as: UTF8.self))")
        }
    }

    @Test("events: what the ledger stores reads back as the same event, and export gives back what was submitted")
    func eventsThroughTheLedger() async throws {
        await propertyCheck(count: 25, input: Gen.uint64()) { seed in
            var random = SeededRandom(seed: seed)
            let events = RandomEvents.batch(&random)
            do {
                let ledger = try TemporaryLedger()
                try ledger.store.append(events.map { $0.submission() }, operatorName: "property")
                for event in events {
                    let decoded = try? EventDecoder.decode(event.json).get().event
                    #expect(decoded == event, "seed \(seed): \(event.id) does not decode from its own JSON")
                    let stored = try ledger.store.event(id: event.id)
                    #expect(stored?.event == event.mappingPeople(ledger.store.chained), "seed \(seed): \(event.id) reads back differently")
                }
                var exported: [Event] = []
                try ledger.store.export { line in
                    if case .success(let decoded) = EventDecoder.decode(try JSONParser.parse(line)) { exported.append(decoded.event) }
                }
                #expect(exported == events, "seed \(seed): export does not give back the batch")
                #expect(try ledger.store.verify().eventsChecked == Int64(events.count))
            } catch {
                Issue.record("seed \(seed): \(error)")
            }
        }
    }

    @Test("amounts: every accepted yuan text means exactly its fen, and prints back canonically")
    func amountTexts() async {
        await propertyCheck(count: 1_000, input: Gen.int64(in: 0...(Money.maximumFen / 100 - 1)), Gen.int(in: 0...2), Gen.int(in: 0...2), Gen.int(in: 0...3)) {
            whole, decimals, sign, zeros in
            let fraction = Int64(abs(whole.hashValue % 100))
            let fractionText = decimals == 0 ? "" : "." + (decimals == 1 ? String(fraction / 10) : (fraction < 10 ? "0" : "") + String(fraction))
            // Leading zeros count towards Money's 13 integer digits (the input bound), so only as many as fit.
            let padding = min(zeros, 13 - String(whole).count)
            let text = ["", "+", "-"][sign] + String(repeating: "0", count: padding) + String(whole) + fractionText
            let expected = (whole * 100 + (decimals == 0 ? 0 : decimals == 1 ? fraction / 10 * 10 : fraction)) * (sign == 2 ? -1 : 1)
            let money = try? Money(yuan: text)
            #expect(money?.fen == expected, "\(text)")
            #expect(money.map { (try? Money(yuan: $0.yuanString)) == $0 } ?? false, "\(text)")
        }
        for refused in ["", "1.", ".5", "1.005", "1e3", "--1", " 1", "1,000", "１０", "1000000000000.01"] {
            #expect((try? Money(yuan: refused)) == nil, "\(refused) must be refused")
        }
    }

    @Test("scaledReportingOverflow: the exact rounded ratio when it fits in Int64, nil (never a trap) when not")
    func checkedScaling() async {
        await propertyCheck(count: 2_000, input: Gen.int64(), Gen.int64(), Gen.int64(in: 1 ... .max)) { fen, numerator, denominator in
            let exact = Int128(fen) * Int128(numerator)
            var quotient = exact / Int128(denominator)
            let remainder = exact % Int128(denominator)
            if 2 * remainder.magnitude >= UInt128(denominator) { quotient += exact < 0 ? -1 : 1 }
            let fits = quotient >= Int128(Int64.min) && quotient <= Int128(Int64.max)
            let result = Money(fen: fen).scaledReportingOverflow(by: numerator, over: denominator)
            #expect(result?.fen == (fits ? Int64(quotient) : nil), "\(fen) × \(numerator) / \(denominator)")
            if fits && fen.magnitude < 1 << 40 && numerator.magnitude < 1 << 20 {
                #expect(result == Money(fen: fen).scaled(by: numerator, over: denominator))
            }
        }
    }
}

/// Random JSON trees: every type, strings over the whole of Unicode with the characters that need escaping common,
/// numbers in every form the grammar allows (kept as text, so they must come back character for character).
enum JSONTrees {
    static func value(depth: Int, _ random: inout SeededRandom) -> JSONValue {
        switch Int.random(in: 0..<(depth >= 8 ? 4 : 6), using: &random) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &random))
        case 2: return .number(number(&random))
        case 3: return .string(string(&random))
        case 4: return .array((0..<Int.random(in: 0...4, using: &random)).map { _ in value(depth: depth + 1, &random) })
        default:
            var seen: Set<String> = []
            let members = (0..<Int.random(in: 0...4, using: &random)).compactMap { _ -> JSONMember? in
                let key = string(&random)
                guard seen.insert(key).inserted else { return nil }
                return JSONMember(key, value(depth: depth + 1, &random))
            }
            return .object(members)
        }
    }

    static func number(_ random: inout SeededRandom) -> String {
        let sign = Bool.random(using: &random) ? "-" : ""
        let integer = Int.random(in: 0..<4, using: &random) == 0 ? "0" : String(UInt64.random(in: 1...UInt64.max, using: &random))
        let fraction = Bool.random(using: &random) ? "." + String(UInt32.random(in: 0...UInt32.max, using: &random)) : ""
        let exponent = Bool.random(using: &random) ? ["e", "E"].randomElement(using: &random)! + ["", "+", "-"].randomElement(using: &random)! + String(Int.random(in: 0...400, using: &random)) : ""
        return sign + integer + fraction + exponent
    }

    static func string(_ random: inout SeededRandom) -> String {
        let specials: [Unicode.Scalar] = ["\"", "\\", "/", "\n", "\r", "\t", "\u{0}", "\u{1F}", "\u{7F}", "\u{2028}", "\u{FEFF}", "王", "𠀀", "😀"]
        var scalars = String.UnicodeScalarView()
        for _ in 0..<Int.random(in: 0...10, using: &random) {
            if Bool.random(using: &random) {
                scalars.append(specials.randomElement(using: &random)!)
            } else if let scalar = Unicode.Scalar(UInt32.random(in: 0...0x10FFFF, using: &random)) {
                scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// The tree as the canonical form sorts it: object members in code-point order of their keys, recursively.
    static func sorted(_ value: JSONValue) -> JSONValue {
        switch value {
        case .array(let elements): .array(elements.map(sorted))
        case .object(let members):
            .object(members.sorted { $0.key.unicodeScalars.lexicographicallyPrecedes($1.key.unicodeScalars) }.map { JSONMember($0.key, sorted($0.value)) })
        default: value
        }
    }
}

/// Random batches of valid events of many kinds, with the quirks real input has: Chinese text, amounts with and
/// without decimals, people as ID numbers (pseudonymised by the ledger), organisations as payees.
enum RandomEvents {
    static func batch(_ random: inout SeededRandom) -> [Event] {
        let people = (0..<Int.random(in: 1...6, using: &random)).map { _ in Population.citizen(Int.random(in: 0..<Population.capacity, using: &random)) }
        var events: [Event] = []
        for (index, person) in people.enumerated() {
            events.append(Build.workerRegistered("w\(index)", worker: person, insuredSince: "20\(Int.random(in: 10...25, using: &random))-0\(Int.random(in: 1...9, using: &random))",
                                                 migrant: Bool.random(using: &random), frontline: Bool.random(using: &random)))
        }
        for number in 0..<Int.random(in: 1...20, using: &random) {
            let person = people.randomElement(using: &random)!
            let amount = "\(Int.random(in: 0...99_999, using: &random))" + [".5", ".05", "", ".99"].randomElement(using: &random)!
            let id = "e\(number)"
            switch Int.random(in: 0..<6, using: &random) {
            case 0: events.append(Build.trainingCompleted(id, worker: person, hours: Int64.random(in: 1...2_000, using: &random), cost: amount,
                                                          paidBy: ["self", "employer", "government"].randomElement(using: &random)!, title: "培训 \"\(number)\"\n第二行"))
            case 1: events.append(Build.certificationAwarded(id, worker: person, level: SkillLevel.allCases.randomElement(using: &random)!))
            case 2: events.append(Build.creditEarned(id, worker: person, credits: "\(Int.random(in: 0...99, using: &random)).\(Int.random(in: 0...9, using: &random))"))
            case 3: events.append(Build.subsidyGranted(id, payee: Bool.random(using: &random) ? .person(.citizen(person)) : .text(Build.employer.value),
                                                       amount: amount, evidence: ["w0"]))
            case 4: events.append(Build.honorAwarded(id, worker: person, title: "诸葛工匠", tier: Bool.random(using: &random) ? "district" : nil))
            default: events.append(Build.fundBudgeted(id, year: Int64.random(in: 2019...2030, using: &random), employmentFund: amount, trainingSubsidyBudget: "0.01"))
            }
        }
        return events
    }
}
