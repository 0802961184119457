/// The rows a statement returned, plus its affected-row count. Indexable like an array
/// (`rows[0]`, `rows.first`, `for row in rows`).
public struct PostgresRows: Sendable, RandomAccessCollection {
    let result: PostgresResult?

    init(result: PostgresResult?) {
        self.result = result
    }

    /// Rows inserted, updated, deleted, or selected (`PQcmdTuples`); 0 for other commands.
    public var affectedRows: Int { result?.affectedRows ?? 0 }

    /// The result's column names, in order.
    public var columns: [String] { result?.columns ?? [] }

    public var startIndex: Int { 0 }
    public var endIndex: Int { Int(result?.rowCount ?? 0) }

    public subscript(position: Int) -> PostgresRow {
        precondition(position >= 0 && position < endIndex, "PostgresRows index out of range")
        // `endIndex > 0` implies a result.
        return PostgresRow(result: result!, row: Int32(position))
    }

    /// Decodes one column of every row, e.g. `try rows.decode("id", as: UUID.self)`.
    public func decode<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> [T] {
        try map { try $0.decode(column, as: type) }
    }
}
