import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Ledger
import LedgerTesting
import Logging
import SkillsDomain
import SkillsLedgerCore
import SkillsLedgerService
import Testing
import Yams

/// `GET /openapi.yaml`: the document and the router list the same operations, and the document holds together.
@Suite struct OpenAPITests {
    static let methods = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// The document as the service serves it, without a token.
    static func served() async throws -> (TestResponse, [String: Any]) {
        let service = LedgerService(location: LedgerLocation("/nonexistent/never-opened.sqlite"), logger: Logger(label: "test"))
        let response = try await Application(router: service.router()).test(.router) { client in
            try await client.send(.get, "/openapi.yaml", token: nil)
        }
        let document = try #require(try Yams.load(yaml: response.text) as? [String: Any], "the document is not a YAML mapping")
        return (response, document)
    }

    @Test func everyRouteIsDocumentedAndEveryDocumentedOperationIsServed() async throws {
        let (response, document) = try await Self.served()
        #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix("application/yaml") == true)
        #expect(document["openapi"] as? String == "3.1.0")
        let routes = LedgerService(location: LedgerLocation("/nonexistent/never-opened.sqlite"), logger: Logger(label: "test")).router().routes
        // The pages for people are not part of the JSON API the document describes.
        let served = Set(routes.filter { !Pages.paths.contains("\($0.path)") }.map { "\($0.method.rawValue) \($0.path)" })
        let paths = try #require(document["paths"] as? [String: Any])
        var documented: Set<String> = []
        for (path, item) in paths {
            let operations = try #require(item as? [String: Any], "\(path)")
            for method in Self.methods where operations[method] != nil { documented.insert("\(method.uppercased()) \(path)") }
        }
        #expect(served.count >= 19)
        #expect(served.subtracting(documented).isEmpty, "served but not documented: \(served.subtracting(documented).sorted())")
        #expect(documented.subtracting(served).isEmpty, "documented but not served: \(documented.subtracting(served).sorted())")
    }

    /// Every path parameter of a path is declared on its operations, every `$ref` points at something, every
    /// operation answers at least one 2xx, and every route behind a token says so (security) while /healthz and
    /// /openapi.yaml do not.
    @Test func theDocumentHoldsTogether() async throws {
        let (_, document) = try await Self.served()
        let components = try #require(document["components"] as? [String: Any])
        func resolve(_ reference: String) -> Any? {
            guard reference.hasPrefix("#/") else { return nil }
            var node: Any? = document
            for key in reference.dropFirst(2).split(separator: "/") { node = (node as? [String: Any])?[String(key)] }
            return node
        }
        var references: [String] = []
        func walk(_ node: Any) {
            if let mapping = node as? [String: Any] {
                if let reference = mapping["$ref"] as? String { references.append(reference) }
                mapping.values.forEach(walk)
            } else if let sequence = node as? [Any] {
                sequence.forEach(walk)
            }
        }
        walk(document)
        #expect(!references.isEmpty)
        for reference in references { #expect(resolve(reference) != nil, "unresolved \(reference)") }
        #expect((components["securitySchemes"] as? [String: Any])?["bearer"] != nil)
        #expect(((document["security"] as? [Any])?.first as? [String: Any])?["bearer"] != nil)

        let paths = try #require(document["paths"] as? [String: Any])
        for (path, item) in paths {
            let templated = Set(path.split(separator: "/").filter { $0.hasPrefix("{") }.map { String($0.dropFirst().dropLast()) })
            for method in Self.methods {
                guard let operation = (item as? [String: Any])?[method] as? [String: Any] else { continue }
                let parameters = (operation["parameters"] as? [Any] ?? []).compactMap { parameter -> [String: Any]? in
                    let mapping = parameter as? [String: Any]
                    return (mapping?["$ref"] as? String).flatMap(resolve) as? [String: Any] ?? mapping
                }
                let declared = Set(parameters.filter { $0["in"] as? String == "path" }.compactMap { $0["name"] as? String })
                #expect(declared == templated, "\(method) \(path): path parameters \(declared.sorted()) for \(templated.sorted())")
                let statuses = (operation["responses"] as? [String: Any] ?? [:]).keys
                #expect(statuses.contains { $0.hasPrefix("2") }, "\(method) \(path) answers no 2xx")
                let open = (operation["security"] as? [Any])?.isEmpty == true
                #expect(open == !path.hasPrefix("/v1/"), "\(method) \(path): security")
                if path.hasPrefix("/v1/") { #expect(statuses.contains("401") && statuses.contains("403"), "\(method) \(path)") }
            }
        }
    }

    /// openapi-spec-validator (`pip install openapi-spec-validator`) checks the document against the OpenAPI 3.1
    /// schema; without it the test says so and passes.
    @Test func theDocumentPassesOpenAPISpecValidatorWhenInstalled() async throws {
        let (response, _) = try await Self.served()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("skills-ledger-openapi-\(UUID().uuidString).yaml")
        try Data(response.text.utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let script = """
            import sys
            try:
                from openapi_spec_validator import validate
                from openapi_spec_validator.readers import read_from_filename
            except ImportError:
                print("absent"); sys.exit(0)
            spec, _ = read_from_filename(sys.argv[1])
            validate(spec)
            print("valid")
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path]
        let output = Pipe(), errors = Pipe()
        (process.standardOutput, process.standardError) = (output, errors)
        do { try process.run() } catch {
            print("skipped: python3 is not available to run openapi-spec-validator")
            return
        }
        let printed = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let failure = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        if printed.contains("absent") {
            print("skipped: openapi-spec-validator is not installed (pip install openapi-spec-validator)")
            return
        }
        #expect(process.terminationStatus == 0 && printed.contains("valid"), "\(failure)")
    }
}
