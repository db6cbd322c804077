import SkillsDomain

/// How reports show who was paid: a person's 公民身份号码 masked for people to read (`420302********0115`), or in
/// full for programs; an organisation's 统一社会信用代码 is not personal data and is shown as it is.
public struct IdentifierMasking: Sendable {
    /// Pseudonym → 公民身份号码, from the ledger's registry (`LedgerStore.identities()`). An erased person is absent
    /// and stays under their pseudonym.
    public var identities: [String: String]
    /// Whether people's 公民身份号码 are masked.
    public var masked: Bool

    /// Masking (or not) with the identities known so far.
    public init(identities: [String: String] = [:], masked: Bool) {
        self.identities = identities
        self.masked = masked
    }

    /// The real identifier of a payee as the chain records it, masked if asked.
    public func show(_ payee: String) -> String {
        let identifier = identities[payee] ?? payee
        return masked && CitizenID.looksLikeOne(identifier) ? CitizenID.mask(identifier) : identifier
    }
}

extension IdentifierMasking {
    /// A name as a public notice shows it (SPEC.md "Public notice"): its first character and one `*` for each other
    /// character, `张三` → `张*`, `欧阳明月` → `欧***`.
    public static func maskName(_ name: String) -> String {
        guard let first = name.first else { return "" }
        return String(first) + String(repeating: "*", count: name.count - 1)
    }
}
