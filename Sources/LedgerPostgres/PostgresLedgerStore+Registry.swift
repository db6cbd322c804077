import Foundation
import Ledger
import PostgresNIO
import SkillsDomain

/// The people a chunk of newly recorded events names, to put in the registry as SQLite's `register` does: a citizen's
/// ID number, with the first name given; a person named only by pseudonym gets a row marked as holding nothing.
struct Registrations {
    /// Pseudonym → (公民身份号码, first name given), in the order first seen.
    var citizens: [String: (citizen: String, name: String?)] = [:]
    var order: [String] = []
    var pseudonymsOnly: [String] = []

    mutating func note(_ submission: Submission, keyed: KeyedHash) {
        for person in submission.event.people {
            guard case .citizen(let citizen) = person else {
                if !pseudonymsOnly.contains(person.token) { pseudonymsOnly.append(person.token) }
                continue
            }
            let pseudonym = keyed.pseudonym(of: citizen.value)
            let name = submission.event.worker == person ? submission.personal.name : nil
            if let held = citizens[pseudonym] {
                if held.name == nil, let name { citizens[pseudonym] = (citizen.value, name) }
            } else {
                citizens[pseudonym] = (citizen.value, name)
                order.append(pseudonym)
            }
        }
    }
}

extension PostgresAppendBatch {
    /// Writes the chunk's registrations: one read of what the registry holds for them, then one multi-row upsert of
    /// every person whose row must change, sealed as SQLite seals it (the name already held wins over the one given);
    /// and one insert of the people known only by pseudonym. Three statements a chunk, not one a person.
    func register(_ registrations: Registrations) async throws {
        let pseudonymOnly = registrations.pseudonymsOnly.filter { registrations.citizens[$0] == nil }.map { pseudonym in
            RawPerson(pseudonym: pseudonym, citizenID: nil, name: nil, erasedAt: recordedAt, eraseReason: LedgerStore.pseudonymOnlyReason,
                      seal: LedgerStore.registrySeal(keyed: keyed, [pseudonym, nil, nil, recordedAt, LedgerStore.pseudonymOnlyReason]))
        }
        try await PostgresLedgerStore.insert(pseudonymOnly, onConflict: "ON CONFLICT (pseudonym) DO NOTHING", into: connection)
        guard !registrations.order.isEmpty else { return }
        var held: [String: (hasCitizen: Bool, name: String?)] = [:]
        for try await (pseudonym, hasCitizen, name) in try await connection.watchedQuery("""
            SELECT pseudonym, citizen_id IS NOT NULL, name FROM persons WHERE pseudonym = ANY(\(registrations.order))
            """, logger: logger).decode((String, Bool, String?).self) {
            held[pseudonym] = (hasCitizen, name)
        }
        var changed: [RawPerson] = []
        for pseudonym in registrations.order {
            let (citizen, name) = registrations.citizens[pseudonym]!
            let row = held[pseudonym]
            if let row, row.hasCitizen, name == nil || row.name != nil { continue }
            changed.append(RawPerson(pseudonym: pseudonym, citizenID: citizen, name: row?.name ?? name, erasedAt: nil, eraseReason: nil,
                                     seal: LedgerStore.registrySeal(keyed: keyed, [pseudonym, citizen, row?.name ?? name, nil, nil])))
        }
        // `order` holds each pseudonym once, so no row of the upsert meets another of the same statement.
        try await PostgresLedgerStore.insert(changed, onConflict: LedgerStore.registrationConflict, into: connection)
    }
}
