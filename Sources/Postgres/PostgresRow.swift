import CLibPQ

/// One row of a result. Values are decoded on demand from libpq's text output.
public struct PostgresRow: Sendable {
    let result: PostgresResult
    let row: Int32

    /// The column names of this row's result.
    public var columns: [String] { result.columns }

    /// Decodes the named column. Throws ``PostgresError/Code/decoding`` when the column does
    /// not exist, is NULL for a non-optional type, or does not parse as `T`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T {
        guard let index = result.columnIndex(column) else {
            throw PostgresError.decoding(
                "no column \"\(column)\" in result (columns: \(result.columns.joined(separator: ", ")))")
        }
        return try decodeColumn(index, as: type)
    }

    /// Decodes the column at a zero-based position.
    public func decode<T: PostgresDecodable>(_ index: Int, as type: T.Type = T.self) throws -> T {
        guard index >= 0 && index < result.columns.count else {
            throw PostgresError.decoding("column index \(index) out of range (\(result.columns.count) columns)")
        }
        return try decodeColumn(index, as: type)
    }

    /// The raw text of the named column, or nil when it is NULL or absent.
    public subscript(column: String) -> String? {
        guard let index = result.columnIndex(column) else { return nil }
        return self[index]
    }

    /// The raw text of the column at a zero-based position, or nil when NULL or out of range.
    public subscript(index: Int) -> String? {
        guard index >= 0 && index < result.columns.count else { return nil }
        return result.withValue(row: row, column: Int32(index)) { bytes in
            bytes.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    private func decodeColumn<T: PostgresDecodable>(_ index: Int, as type: T.Type) throws -> T {
        do {
            return try result.withValue(row: row, column: Int32(index)) { try T.decode(postgresBytes: $0) }
        } catch var error as PostgresError {
            error.message = "column \"\(result.columns[index])\": \(error.message)"
            throw error
        } catch {
            throw PostgresError.decoding("column \"\(result.columns[index])\": \(error)")
        }
    }
}
