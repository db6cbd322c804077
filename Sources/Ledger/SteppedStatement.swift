import Foundation
import GRDB
import GRDBSQLite

/// A statement stepped through SQLite's C interface. For the month-end scans (`EventRowReader`,
/// `LedgerStore.forEachGrantFactBytes`) its columns are read as the bytes SQLite holds, where a row of GRDB makes a
/// `String` or a `Data` of each column read. For the inserts a batch makes for every event (`BatchStatements`) its
/// parameters are bound one by one, where GRDB's arguments box each value and cast it back.
///
/// A statement bound here must not also be given GRDB's arguments: make it with `Database.makeStatement(sql:)`, not
/// from GRDB's cache of statements, which other code shares.
struct SteppedStatement {
    let statement: Statement
    private let handle: SQLiteStatement

    init(_ statement: Statement) {
        self.statement = statement
        handle = statement.sqliteStatement
    }

    /// Steps the statement, its arguments set, to its end, `body` reading each row; the statement is reset after,
    /// whatever happens.
    func forEachRow(_ body: () throws -> Void) throws {
        defer { sqlite3_reset(handle) }
        while true {
            switch sqlite3_step(handle) {
            case SQLITE_DONE:
                return
            case SQLITE_ROW:
                try body()
            case let code:
                throw failure(code)
            }
        }
    }

    /// A column's bytes, valid until the next step; nil for NULL (empty text is an empty buffer).
    func bytes(_ column: Int32) -> UnsafeRawBufferPointer? {
        guard let text = sqlite3_column_text(handle, column) else { return nil }
        return UnsafeRawBufferPointer(start: text, count: Int(sqlite3_column_bytes(handle, column)))
    }

    func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    /// Binds `bind`'s values to the statement's parameters, steps it once and resets it: whether it gave a row (an
    /// insert gives none; a look-up gives its first). SQLite's error is thrown as GRDB throws it.
    @discardableResult
    func run(_ bind: (Parameters) throws -> Void) throws -> Bool {
        defer { sqlite3_reset(handle) }
        try bind(Parameters(statement: self))
        switch sqlite3_step(handle) {
        case SQLITE_DONE: return false
        case SQLITE_ROW: return true
        case let code: throw failure(code)
        }
    }

    /// The parameters of one `run`, numbered from 1. Each value is copied by SQLite (`SQLITE_TRANSIENT`), and text is
    /// bound as GRDB binds a `String`: up to its first NUL, if it has one.
    struct Parameters {
        fileprivate let statement: SteppedStatement

        func callAsFunction(_ index: Int32, _ value: Int64) throws {
            try statement.check(sqlite3_bind_int64(statement.handle, index, value))
        }

        func callAsFunction(_ index: Int32, _ text: String?) throws {
            guard let text else { return try statement.check(sqlite3_bind_null(statement.handle, index)) }
            try statement.check(text.withCString { sqlite3_bind_text(statement.handle, index, $0, -1, SteppedStatement.transient) })
        }

        /// UTF-8 text given as its bytes, all of them (canonical JSON: never empty, every control character escaped, so
        /// the same text as the `String` of these bytes binds).
        func callAsFunction(_ index: Int32, utf8 bytes: [UInt8]) throws {
            try statement.check(bytes.withUnsafeBufferPointer { buffer in
                buffer.withMemoryRebound(to: CChar.self) {
                    sqlite3_bind_text(statement.handle, index, $0.baseAddress, Int32($0.count), SteppedStatement.transient)
                }
            })
        }

        func callAsFunction(_ index: Int32, blob: Data) throws {
            try statement.check(blob.withUnsafeBytes {
                sqlite3_bind_blob(statement.handle, index, $0.baseAddress, Int32($0.count), SteppedStatement.transient)
            })
        }
    }

    /// SQLite's `SQLITE_TRANSIENT`: it copies the value bound before the call returns.
    fileprivate static let transient = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

    fileprivate func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw failure(code) }
    }

    private func failure(_ code: Int32) -> DatabaseError {
        DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))),
                      sql: statement.sql)
    }
}
