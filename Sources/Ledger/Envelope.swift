import Crypto
import Foundation
import SkillsDomain

/// The chained form of a row: its columns as one canonical JSON object (keys sorted, no spaces), hashed together
/// with the previous row's hash. `append` and `verify` both build it here, so they cannot disagree.
///
/// An auditor can recompute any hash without this code:
/// `sha256(prev_hash + json.dumps(envelope, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())`.
struct Envelope {
    var seq: Int64
    var id: String
    var kind: String
    var occurredOn: String
    var source: String
    var worker: String?
    var employer: String?
    /// The canonical JSON text of `data`, already sorted and compact.
    var data: [UInt8]
    var recordedAt: String
    var operatorName: String

    /// Canonical bytes, keys in code-point order: data, employer, id, kind, occurred_on, operator, recorded_at, seq,
    /// source, worker.
    func canonicalBytes(into writer: inout CanonicalJSONWriter) {
        writer.append("{\"data\":")
        writer.appendRaw(data)
        if let employer { writer.append(",\"employer\":"); writer.writeString(employer) }
        writer.append(",\"id\":"); writer.writeString(id)
        writer.append(",\"kind\":"); writer.writeString(kind)
        writer.append(",\"occurred_on\":"); writer.writeString(occurredOn)
        writer.append(",\"operator\":"); writer.writeString(operatorName)
        writer.append(",\"recorded_at\":"); writer.writeString(recordedAt)
        writer.append(",\"seq\":"); writer.append(String(seq))
        writer.append(",\"source\":"); writer.writeString(source)
        if let worker { writer.append(",\"worker\":"); writer.writeString(worker) }
        writer.append("}")
    }

    /// SHA-256 of the previous hash followed by the canonical bytes.
    func hash(previous: Data) -> Data {
        var writer = CanonicalJSONWriter(capacity: data.count + 256)
        canonicalBytes(into: &writer)
        var hasher = SHA256()
        hasher.update(data: previous)
        writer.bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return Data(hasher.finalize())
    }

    static let genesis = Data(repeating: 0, count: 32)
}

extension Data {
    /// Lowercase hex (`Hex.string`).
    var hexString: String { Hex.string(self) }

    /// The bytes hex digits spell (`Hex.bytes`).
    init?(hex: String) {
        guard let bytes = Hex.bytes(hex) else { return nil }
        self.init(bytes)
    }
}
