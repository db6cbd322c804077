// libFuzzer target: the CSV path of `submit` as a clerk's file reaches it: LineReader (UTF-8 with or without BOM,
// GB18030, CRLF), CSVRecordReader (quotes, line breaks in quotes), CSVLayout (English and Chinese headers) and the
// mapping of rows to events with every field checked. Bad input must become row issues or an IntakeError, never a
// trap, a hang or a memory blow-up.
import Foundation
import Intake
import SkillsDomain

let path = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()) + "fuzz-csv-\(getpid()).csv"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else { return 0 }
    var reader = EventFileReader(path: path, defaultSource: size % 2 == 0 ? "420300" : nil)
    reader.rowLimit = 10_000
    var delivered = 0
    do {
        try reader.read { submission in
            delivered += 1
            // What intake hands the ledger has passed every check: the checks must agree when run again.
            precondition(EventChecks.issues(submission.event).isEmpty, "a delivered event fails EventChecks")
        }
    } catch {
        _ = "\(error)"
    }
    return 0
}
