/// Why a workbook could not be written. Nothing is left at the destination when one is thrown.
public enum XLSXError: Error, Sendable, CustomStringConvertible {
    /// The file (or its temporary neighbours) could not be written.
    case cannotWrite(String)
    /// A sheet needs between 1 and `XLSXWriter.maximumColumns` columns.
    case columnCount(Int)
    /// A row with another number of cells than the header has.
    case rowWidth(row: Int, expected: Int, found: Int)
    /// A decimal cell whose text is not a plain decimal number.
    case notADecimal(String)
    /// A column's total does not fit in 64 bits of fen.
    case totalOverflow(column: String)
    /// More rows than a sheet holds.
    case tooManyRows

    public var description: String {
        switch self {
        case .cannotWrite(let what): "cannot write \(what)"
        case .columnCount(let count): "a sheet has 1 to \(XLSXWriter.maximumColumns) columns, not \(count)"
        case .rowWidth(let row, let expected, let found): "row \(row) of the sheet has \(found) cells; the header has \(expected)"
        case .notADecimal(let text): "\"\(text)\" is not a decimal number (digits, optionally a point and digits)"
        case .totalOverflow(let column): "the total of column \(column) is too large"
        case .tooManyRows:
            "a sheet holds at most \(XLSXWriter.maximumRows) rows, header and total included: write --format csv for a report this long"
        }
    }
}
