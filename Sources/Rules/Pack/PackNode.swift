import Yams

/// A YAML node with its position, copied out of Yams' tree so that the rest of the loader works on plain values.
indirect enum PackNode: Sendable {
    case scalar(String, SourcePosition, quoted: Bool, block: Bool)
    case mapping([(key: String, keyPosition: SourcePosition, value: PackNode)], SourcePosition)
    case sequence([PackNode], SourcePosition)

    var position: SourcePosition {
        switch self {
        case .scalar(_, let position, _, _), .mapping(_, let position), .sequence(_, let position): position
        }
    }

    var kindName: String {
        switch self {
        case .scalar: "a value"
        case .mapping: "a mapping (key: value lines)"
        case .sequence: "a list (- items)"
        }
    }

    static let maximumNodes = 100_000

    /// Parses YAML text; a syntax error becomes a `PackError` at its line and column.
    static func parse(_ text: String, file: String) throws(PackError) -> PackNode {
        let root: Node?
        do { root = try Yams.compose(yaml: text) } catch let error as YamlError {
            throw PackError(file: file, position: position(of: error), message: "not valid YAML: \(summary(of: error))")
        } catch {
            throw PackError(file: file, position: nil, message: "not valid YAML: \(error)")
        }
        guard let root else { throw PackError(file: file, position: nil, message: "the file is empty (expected a policy pack)") }
        var count = 0
        return try convert(root, file: file, count: &count)
    }

    static func convert(_ node: Node, file: String, count: inout Int) throws(PackError) -> PackNode {
        count += 1
        let position = node.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? SourcePosition(line: 1, column: 1)
        guard count <= maximumNodes else { throw PackError(file: file, position: position, message: "more than \(maximumNodes) YAML nodes") }
        switch node {
        case .scalar(let scalar):
            let quoted = scalar.style == .singleQuoted || scalar.style == .doubleQuoted
            return .scalar(scalar.string, position, quoted: quoted, block: scalar.style == .literal || scalar.style == .folded)
        case .mapping(let mapping):
            var pairs: [(key: String, keyPosition: SourcePosition, value: PackNode)] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw PackError(file: file, position: position, message: "a mapping key must be plain text")
                }
                let keyPosition = key.mark.map { SourcePosition(line: $0.line, column: $0.column) } ?? position
                if pairs.contains(where: { $0.key == keyScalar.string }) {
                    throw PackError(file: file, position: keyPosition, message: "the key \"\(keyScalar.string)\" appears twice")
                }
                pairs.append((keyScalar.string, keyPosition, try convert(value, file: file, count: &count)))
            }
            return .mapping(pairs, position)
        case .sequence(let sequence):
            var items: [PackNode] = []
            for item in sequence { items.append(try convert(item, file: file, count: &count)) }
            return .sequence(items, position)
        case .alias:
            throw PackError(file: file, position: position, message: "YAML aliases are not accepted in policy packs")
        }
    }

    static func position(of error: YamlError) -> SourcePosition? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            SourcePosition(line: mark.line, column: mark.column)
        default: nil
        }
    }

    static func summary(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _), .composer(let context, let problem, _, _):
            (context.map { "\($0.text) " } ?? "") + problem
        default: "\(error)"
        }
    }
}
