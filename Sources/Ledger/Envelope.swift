import Crypto
import Foundation
import SkillsDomain

/// The chained form of a row: its columns as one canonical JSON object (keys sorted, no spaces), hashed together
/// with the previous row's hash. `append` and `verify` both build it here, so they cannot disagree.
///
/// An auditor can recompute any hash without this code:
/// `sha256(prev_hash + json.dumps(envelope, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode())`.
///
/// `package` so that every backend (SQLite here, PostgreSQL in `LedgerPostgres`) hashes the same envelope to the same
/// bytes: there is one definition of the chain, not one per database.
package struct Envelope {
    package var seq: Int64
    package var id: String
    package var kind: String
    package var occurredOn: String
    package var source: String
    package var worker: String?
    package var employer: String?
    /// The canonical JSON text of `data`, already sorted and compact.
    package var data: [UInt8]
    package var recordedAt: String
    package var operatorName: String

    /// An envelope from a row's columns; `data` is the canonical JSON text of the event's data, as stored.
    package init(seq: Int64, id: String, kind: String, occurredOn: String, source: String, worker: String?, employer: String?,
                 data: [UInt8], recordedAt: String, operatorName: String) {
        self.seq = seq
        self.id = id
        self.kind = kind
        self.occurredOn = occurredOn
        self.source = source
        self.worker = worker
        self.employer = employer
        self.data = data
        self.recordedAt = recordedAt
        self.operatorName = operatorName
    }

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
    package func hash(previous: Data) -> Data {
        var writer = CanonicalJSONWriter(capacity: data.count + 256)
        canonicalBytes(into: &writer)
        var hasher = SHA256()
        hasher.update(data: previous)
        writer.bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return Data(hasher.finalize())
    }

    package static let genesis = Data(repeating: 0, count: 32)
}

extension Data {
    /// Lowercase hex (`Hex.string`).
    package var hexString: String { Hex.string(self) }

    /// The bytes hex digits spell (`Hex.bytes`).
    package init?(hex: String) {
        guard let bytes = Hex.bytes(hex) else { return nil }
        self.init(bytes)
    }
}
