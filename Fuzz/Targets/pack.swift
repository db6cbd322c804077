// libFuzzer target: policy-pack loading (Yams, PackNode, PackLoader and every expression in the pack): any text must
// load or give PackErrors with file:line:column, never a trap, a hang or a memory blow-up.
import Foundation
import Rules

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    do { _ = try PackLoader.load(text: text, file: "fuzz.yaml") } catch {
        _ = error.description
    }
    return 0
}
