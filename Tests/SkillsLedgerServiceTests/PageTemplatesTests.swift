import Foundation
@testable import SkillsLedgerService
import Testing

/// The templates the binary carries are the files under Sources/SkillsLedgerService/Templates, and each parses.
@Suite struct PageTemplatesTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/SkillsLedgerService/Templates").path

    @Test func embeddedTemplatesEqualFiles() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.folder).sorted()
        #expect(names == EmbeddedTemplates.files.keys.sorted(), "run Scripts/embed-templates.sh")
        for name in names {
            let text = try String(contentsOfFile: Self.folder + "/" + name, encoding: .utf8)
            #expect(EmbeddedTemplates.files[name].map { $0 + "\n" } == text, "\(name) changed: run Scripts/embed-templates.sh")
        }
    }

    @Test func everyPageTemplateParsesAndEscapes() throws {
        for name in EmbeddedTemplates.files.keys where name.hasSuffix(".mustache") {
            #expect(PageTemplates.names.contains(String(name.dropLast(".mustache".count))), "\(name)")
        }
        let page = PageTemplates.render("error", ["problem": ["status": "400", "message": "<script>x</script>"]])
        #expect(page.contains("&lt;script&gt;x&lt;/script&gt;") && !page.contains("<script>"))
    }
}
