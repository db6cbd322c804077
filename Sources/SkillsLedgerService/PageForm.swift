import Foundation
import HTTPTypes
import Hummingbird

/// A form posted by a page: its text fields, and the files chosen in it, kept in a temporary folder until
/// `remove()`. A clerk picks a file with a file chooser, so uploads come as `multipart/form-data`; Hummingbird has no
/// parser for it, so this is a small, strict one: parts with a `Content-Disposition: form-data; name=…` header, text
/// fields of 64 KiB at most, anything malformed refused with 400.
struct PageForm: Sendable {
    /// A file chosen in the form.
    struct File: Sendable {
        /// The file's name on the person's machine (its last path component), for receipts and messages.
        var filename: String
        /// Where its bytes are kept.
        var path: String
        /// Its extension, lowercased (`csv`, `jsonl`, `yaml`).
        var fileExtension: String
        var bytes: Int
    }

    var fields: [String: String] = [:]
    var files: [String: File] = [:]
    /// The whole body, for a multipart form; its folder holds the files.
    var body: Upload?

    /// Removes the body and the files.
    func remove() { body?.remove() }

    static let fieldLimitBytes = 64 * 1024

    /// Reads the form of `request`: URL-encoded (64 KiB at most) or multipart (`limitBytes` at most, 413 beyond).
    static func receive(_ request: Request, limitBytes: Int) async throws -> PageForm {
        let contentType = request.headers[.contentType] ?? ""
        if contentType.lowercased().hasPrefix("application/x-www-form-urlencoded") {
            let buffer = try await request.body.collect(upTo: min(limitBytes, fieldLimitBytes))
            return PageForm(fields: urlEncodedFields(String(buffer: buffer)))
        }
        guard contentType.lowercased().hasPrefix("multipart/form-data"), let boundary = parameter("boundary", of: contentType), !boundary.isEmpty else {
            throw ServiceError(.unsupportedMediaType, "send the form as application/x-www-form-urlencoded or multipart/form-data")
        }
        let body = try await Upload.receive(request, extension: "form", limitBytes: limitBytes)
        do { return try multipart(body, boundary: boundary) } catch {
            body.remove()
            throw error
        }
    }

    /// `a=1&b=two+words` → ["a": "1", "b": "two words"] (the last of a repeated name wins).
    static func urlEncodedFields(_ text: String) -> [String: String] {
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            func decoded(_ part: Substring) -> String { String(part).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? "" }
            fields[decoded(parts[0])] = parts.count > 1 ? decoded(parts[1]) : ""
        }
        return fields
    }

    /// The value of `name=value` or `name="value"` in a header's parameters.
    static func parameter(_ name: String, of header: String) -> String? {
        for item in header.split(separator: ";").dropFirst() {
            let parts = item.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            let value = parts[1].trimmingCharacters(in: .whitespaces)
            return value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 ? String(value.dropFirst().dropLast()) : value
        }
        return nil
    }

    /// The parts of a multipart body kept at `body.path`: text fields into `fields`, files next to it.
    static func multipart(_ body: Upload, boundary: String) throws -> PageForm {
        let bad = ServiceError(.badRequest, "the form is not well-formed multipart/form-data: send it again from the page")
        let data = try Data(contentsOf: URL(fileURLWithPath: body.path), options: .alwaysMapped)
        let delimiter = Data("--\(boundary)".utf8), crlf = Data("\r\n".utf8)
        guard data.starts(with: delimiter) else { throw bad }
        var form = PageForm(body: body)
        var position = data.startIndex + delimiter.count
        while true {
            guard data.count - position >= 2 else { throw bad }
            if data[position..<position + 2] == Data("--".utf8) { return form }
            guard data[position..<position + 2] == crlf, let headerEnd = data.range(of: crlf + crlf, in: position + 2..<data.endIndex),
                  let next = data.range(of: crlf + delimiter, in: headerEnd.upperBound..<data.endIndex) else { throw bad }
            let headers = String(decoding: data[position + 2..<headerEnd.lowerBound], as: UTF8.self).components(separatedBy: "\r\n")
            guard let disposition = headers.first(where: { $0.lowercased().hasPrefix("content-disposition: form-data") }),
                  let name = parameter("name", of: disposition) else { throw bad }
            let content = data[headerEnd.upperBound..<next.lowerBound]
            if let filename = parameter("filename", of: disposition) {
                if !filename.isEmpty { form.files[name] = try keep(content, filename: filename, in: body.directory, index: form.files.count) }
            } else {
                guard content.count <= fieldLimitBytes else { throw ServiceError(.contentTooLarge, "the form field \(name) is over 64 KiB") }
                form.fields[name] = String(decoding: content, as: UTF8.self)
            }
            position = next.upperBound
        }
    }

    /// Writes a file part beside the body, named by its index and the extension of the person's file.
    static func keep(_ content: Data, filename: String, in directory: String, index: Int) throws -> File {
        let base = filename.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? filename
        let fileExtension = base.split(separator: ".").count > 1 ? String(base.split(separator: ".").last!).lowercased() : ""
        let path = "\(directory)/file-\(index)" + (fileExtension.allSatisfy { $0.isLetter } && !fileExtension.isEmpty ? "." + fileExtension : "")
        guard FileManager.default.createFile(atPath: path, contents: content, attributes: [.posixPermissions: 0o600]) else {
            throw ServiceError(.internalServerError, "could not keep the uploaded file in a temporary file")
        }
        return File(filename: base, path: path, fileExtension: fileExtension, bytes: content.count)
    }
}
