// libFuzzer target: JSON Lines intake (JSONParser + EventDecoder + EventChecks), line by line as `submit` reads it,
// with the round trips the ledger relies on checked on every line that parses:
//   canonical JSON: encode(parse(encode(x))) == encode(x);
//   events: decode(event.json) == event (what `export` writes, `submit` reads back unchanged);
//   stored data: decodeStoredData(canonical data) == data (what `verify` and the rules read back).
import Foundation
import SkillsDomain

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
        guard let value = try? JSONParser.parse(line) else { continue }
        let once = CanonicalJSONWriter.encode(value)
        guard let again = try? JSONParser.parse(once) else { preconditionFailure("canonical JSON does not parse back: \(once)") }
        precondition(CanonicalJSONWriter.encode(again) == once, "canonical JSON is not stable")
        guard case .success(let decoded) = EventDecoder.decode(value) else { continue }
        let event = decoded.event
        _ = EventChecks.issues(event)
        guard case .success(let reread) = EventDecoder.decode(event.json) else { preconditionFailure("an event's own JSON is refused: \(event.json)") }
        precondition(reread.event == event, "decode(event.json) differs from event")
        let stored = CanonicalJSONWriter.string(event.data.json)
        let storedData = try? EventDecoder.decodeStoredData(stored, kind: event.kind)
        precondition(storedData == event.data, "stored data does not read back: \(stored)")
    }
    return 0
}
