import Mustache

/// The pages' templates (Templates/*.mustache) and style sheet, parsed once per process. They are embedded in the
/// binary by Scripts/embed-templates.sh, as the schema is, so that `skills-ledger` stays one file that runs from
/// anywhere: no resource bundle to ship beside it. A test checks that what is embedded equals the files.
enum PageTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (file, text) in EmbeddedTemplates.files where file.hasSuffix(".mustache") {
            let name = String(file.dropLast(".mustache".count))
            do { try library.register(text, named: name) } catch {
                preconditionFailure("template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    static let css = EmbeddedTemplates.files["app.css"] ?? ""

    /// The names of the templates parsed (a file's name without `.mustache`).
    static var names: Set<String> { Set(EmbeddedTemplates.files.keys.filter { $0.hasSuffix(".mustache") }.map { String($0.dropLast(".mustache".count)) }) }

    /// The page `name` with `values` (every `{{ }}` escaped for HTML).
    static func render(_ name: String, _ values: [String: Any]) -> String { library.render(values, withTemplate: name) ?? "" }
}
