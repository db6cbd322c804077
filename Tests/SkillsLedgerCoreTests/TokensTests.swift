import Foundation
import Ledger
import Reports
import LedgerTesting
import SkillsDomain
import SkillsLedgerCore
import Testing

/// Service tokens: shown once, kept only as SHA-256 outside the chain, granted and revoked in the chain.
@Suite struct TokensTests {
    @Test func aTokenIsShownOnceAndOnlyItsHashIsKept() async throws {
        let ledger = try TemporaryLedger()
        let tokens = Tokens(session(ledger))
        let issued = try await tokens.create(role: .institution, name: "wuhan-tech", source: "52420302MJ0K5T8H4N")
        #expect(issued.token.hasPrefix("slt_") && issued.token.utf8.count == 4 + 43)
        let stored = try ledger.store.accessTokens()
        #expect(stored.map(\.name) == ["wuhan-tech"] && stored[0].tokenSHA256 == Tokens.hash(issued.token))
        // Neither the file nor the chain holds the token itself.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: ledger.store.path))
            + ((try? Data(contentsOf: URL(fileURLWithPath: ledger.store.path + "-wal"))) ?? Data())
        #expect(bytes.range(of: Data(issued.token.utf8)) == nil)
        let granted = try #require(try ledger.store.event(id: "access.granted:wuhan-tech"))
        #expect(granted.event.kind == .accessGranted && granted.operatorName == "tester")
        #expect(granted.event.data.text("role") == "institution" && granted.event.data.text("scope") == "52420302MJ0K5T8H4N")
        #expect(!String(decoding: granted.event.canonicalBytes, as: UTF8.self).contains(issued.token))
        #expect(try await tokens.authenticate(bearer: issued.token) == AccessIdentity(name: "wuhan-tech", role: .institution, scope: "52420302MJ0K5T8H4N"))
    }

    @Test func revokingStopsATokenAtOnceAndIsRecorded() async throws {
        let ledger = try TemporaryLedger()
        let tokens = Tokens(session(ledger))
        let issued = try await tokens.create(role: .bureau, name: "hr", jurisdiction: "420300")
        #expect(try await tokens.authenticate(bearer: issued.token) != nil)
        #expect(try await tokens.revoke(name: "hr") == "access.revoked:hr")
        #expect(try await tokens.authenticate(bearer: issued.token) == nil)
        #expect(try await tokens.list().tokens.first?.revokedAt != nil)
        await #expect(throws: OperationError.self) { try await tokens.revoke(name: "hr") }
        // A name stays taken after revocation: the chain says who `hr` was.
        await #expect(throws: LedgerError.self) { try await tokens.create(role: .bureau, name: "hr", jurisdiction: "420300") }
        #expect(try ledger.store.digest().count == 2)
    }

    @Test func eachRoleTakesItsOwnScope() async throws {
        let ledger = try TemporaryLedger()
        let tokens = Tokens(session(ledger))
        #expect(try await tokens.create(role: .bureau, name: "b").identity.scope == "national")
        #expect(try await tokens.create(role: .auditor, name: "a", jurisdiction: "420300").identity.scope == "420300")
        #expect(try await tokens.create(role: .admin, name: "root").identity.scope == nil)
        let refused: [(AccessRole, String?, String?)] = [(.institution, nil, "420300"), (.institution, "not-a-code", nil), (.institution, nil, nil), (.finance, nil, nil),
                                                         (.finance, nil, "national"), (.admin, nil, "420300"), (.bureau, Build.institution.value, nil)]
        for (role, source, jurisdiction) in refused {
            await #expect(throws: OperationError.self, "\(role) \(source ?? "-") \(jurisdiction ?? "-")") {
                try await tokens.create(role: role, name: "x", source: source, jurisdiction: jurisdiction)
            }
        }
        await #expect(throws: OperationError.self) { try await tokens.create(role: .admin, name: "has space") }
        #expect(try await tokens.authenticate(bearer: "slt_guessed") == nil)
        #expect(try await tokens.authenticate(bearer: "") == nil)
    }

    @Test func anInstitutionSubmitsOnlyItsOwnKindsUnderItsOwnCode() throws {
        let institution = AccessIdentity(name: "i", role: .institution, scope: Build.institution.value)
        let training = Build.trainingCompleted("t-1", worker: Build.citizenID(1))
        #expect(institution.refusal(toSubmit: training) == nil)
        var other = training
        other.source = Build.employer.value
        #expect(institution.refusal(toSubmit: other)?.contains("not this token's institution") == true)
        let bureau = AccessIdentity(name: "b", role: .bureau, scope: "420300")
        #expect(bureau.refusal(toSubmit: Build.workerRegistered("w-1", worker: Build.citizenID(2), jurisdiction: "420302", source: "420300")) == nil)
        #expect(bureau.refusal(toSubmit: Build.workerRegistered("w-2", worker: Build.citizenID(3), jurisdiction: "110101", source: "420300")) != nil)
        #expect(AccessIdentity(name: "f", role: .finance, scope: "420300").refusal(toSubmit: training) != nil)
    }
}
