import Foundation

/// The PostgreSQL schema (Schema.sql, embedded by Scripts/embed-postgres-schema.sh), cut into the statements the
/// extended query protocol runs one at a time.
package enum PostgresSchema {
    /// Each statement of `text` in order: a statement ends with a line ending in `;` outside a `$$` function body.
    package static var statements: [String] {
        var statements: [String] = []
        var current: [Substring] = []
        var inBody = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("--") && current.isEmpty { continue }
            current.append(line)
            if line.components(separatedBy: "$$").count % 2 == 0 { inBody.toggle() }
            if !inBody && line.hasSuffix(";") {
                statements.append(current.joined(separator: "\n"))
                current = []
            }
        }
        return statements
    }
}
