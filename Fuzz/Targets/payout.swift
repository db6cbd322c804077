// libFuzzer target: the bank's payout file as `reconcile --payments` reads it (PaymentFileReader over the same
// LineReader and CSVRecordReader): any bytes must give rows, row issues or an IntakeError, never a trap or a hang.
import Foundation
import Intake
import SkillsDomain

let path = (FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm/" : NSTemporaryDirectory()) + "fuzz-payout-\(getpid()).csv"
let march = try! Month(parsing: "2026-03")

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard FileManager.default.createFile(atPath: path, contents: Data(bytes: data, count: size)) else { return 0 }
    var reader = PaymentFileReader(path: path, month: size % 2 == 0 ? march : nil)
    reader.rowLimit = 10_000
    do {
        _ = try reader.read { row in
            precondition(row.amount.fen != 0, "a payout row of zero was accepted")
            precondition(row.paymentID.utf8.count <= PaymentFileReader.maximumPaymentIDLength)
        }
    } catch {
        _ = "\(error)"
    }
    return 0
}
