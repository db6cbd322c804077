/// A few named values: a record the expressions read (`event.level`, `worker.employer`, `params.cap`), or the records
/// and names of one evaluation. Looked up by a linear scan: records hold a dozen fields at most, and comparing short
/// names (Swift keeps names under 16 bytes inline) costs less than hashing them into a dictionary built for every
/// event. The engine builds one per event, worker state and rule, so this is on the hot path of `entitlements` and
/// `grant`.
struct SmallMap<Element: Sendable>: Sendable, ExpressibleByDictionaryLiteral {
    /// An entry is a struct, not a tuple: arrays of tuples are destroyed through the runtime's generic tuple witness,
    /// which showed in the profile of `entitlements` once per record built.
    struct Entry: Sendable {
        var name: String
        var value: Element
    }

    private(set) var entries: [Entry] = []

    init() {}

    init(dictionaryLiteral elements: (String, Element)...) {
        entries.reserveCapacity(elements.count)
        for (name, value) in elements { self[name] = value }
    }

    init(_ dictionary: [String: Element]) {
        entries = dictionary.sorted { $0.key < $1.key }.map { Entry(name: $0.key, value: $0.value) }
    }

    mutating func reserveCapacity(_ capacity: Int) { entries.reserveCapacity(capacity) }

    subscript(name: String) -> Element? {
        get {
            for entry in entries where entry.name == name { return entry.value }
            return nil
        }
        set {
            if let index = entries.firstIndex(where: { $0.name == name }) {
                if let newValue { entries[index].value = newValue } else { entries.remove(at: index) }
            } else if let newValue {
                entries.append(Entry(name: name, value: newValue))
            }
        }
    }
}

/// A record of values (see `SmallMap`).
typealias ValueRecord = SmallMap<Value>
