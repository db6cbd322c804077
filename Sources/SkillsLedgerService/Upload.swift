import Crypto
import Foundation
import Hummingbird

/// A request's body, streamed into a temporary file (the intake reads files) and hashed on the way for
/// `Idempotency-Key`; at most `limitBytes`, else 413. The file is removed by `remove()` whatever happened.
struct Upload: Sendable {
    let directory: String
    let path: String
    /// SHA-256 of the body.
    let bodySHA256: Data
    let bytes: Int

    /// Writes `body` to `upload.EXTENSION` in a new temporary folder.
    /// A body shorter than its `Content-Length` (the connection closed, e.g. by the idle timeout) is refused (400).
    static func receive(_ request: Request, extension fileExtension: String, limitBytes: Int) async throws -> Upload {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("skills-ledger-upload-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false,
                                                attributes: [.posixPermissions: 0o700])
        let path = directory + "/upload." + fileExtension
        do {
            guard FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]),
                  let handle = FileHandle(forWritingAtPath: path) else {
                throw ServiceError(.internalServerError, "could not keep the upload in a temporary file")
            }
            defer { try? handle.close() }
            var hasher = SHA256()
            var bytes = 0
            for try await buffer in request.body {
                bytes += buffer.readableBytes
                guard bytes <= limitBytes else {
                    throw ServiceError(.contentTooLarge, "the body is larger than \(limitBytes) bytes (the service's limit): split the file")
                }
                let chunk = Data(buffer.readableBytesView)
                hasher.update(data: chunk)
                try handle.write(contentsOf: chunk)
            }
            if let declared = request.headers[.contentLength].flatMap(Int.init), declared != bytes {
                throw ServiceError(.badRequest, "the body ended after \(bytes) of its \(declared) bytes (Content-Length): nothing recorded")
            }
            try handle.synchronize()
            return Upload(directory: directory, path: path, bodySHA256: Data(hasher.finalize()), bytes: bytes)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    /// Removes the temporary file and its folder.
    func remove() { try? FileManager.default.removeItem(atPath: directory) }
}
