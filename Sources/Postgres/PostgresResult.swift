import CLibPQ
import Foundation

/// Owns one `PGresult` and frees it when the last row referring to it goes away. Rows read
/// values straight out of libpq's buffer, so a result is never copied into Swift strings
/// unless a column is actually decoded.
///
/// `@unchecked Sendable` is safe because the result is immutable after creation: this type only
/// calls libpq's read-only accessors (`PQgetvalue`, `PQgetlength`, `PQgetisnull`, `PQnfields`…),
/// and libpq documents that a `PGresult` may be read from any thread once returned. The pointer
/// is freed exactly once, in `deinit`, when no other reference can exist.
final class PostgresResult: @unchecked Sendable {
    let pointer: OpaquePointer
    let rowCount: Int32
    let columns: [String]
    /// Column indexes by name for wide results (the worker's context query has over 40
    /// columns, read by name for each of a batch's rows); the first of duplicate names wins.
    private let indexes: [String: Int]?
    let affectedRows: Int

    init(_ pointer: OpaquePointer) {
        self.pointer = pointer
        self.rowCount = PQntuples(pointer)
        let fieldCount = PQnfields(pointer)
        var columns: [String] = []
        columns.reserveCapacity(Int(fieldCount))
        for index in 0..<fieldCount {
            columns.append(PQfname(pointer, index).map { String(cString: $0) } ?? "?column?")
        }
        self.columns = columns
        self.indexes = columns.count > 16
            ? Dictionary(columns.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first }) : nil
        // `PQcmdTuples` is "" for statements that report no count; a SELECT reports its rows.
        if let tuples = PQcmdTuples(pointer), tuples.pointee != 0 {
            self.affectedRows = Int(strtol(tuples, nil, 10))
        } else {
            self.affectedRows = Int(rowCount)
        }
    }

    deinit {
        PQclear(pointer)
    }

    /// Column index for a name: a linear scan, which beats hashing for typical column counts,
    /// and a dictionary for wide results.
    @inline(__always)
    func columnIndex(_ name: String) -> Int? {
        if let indexes { return indexes[name] }
        return columns.firstIndex(of: name)
    }

    /// The raw text of a cell, or nil for NULL. The buffer is valid while `self` is alive.
    @inline(__always)
    func withValue<T>(row: Int32, column: Int32, _ body: (UnsafeRawBufferPointer?) throws -> T) rethrows -> T {
        if PQgetisnull(pointer, row, column) != 0 { return try body(nil) }
        let length = Int(PQgetlength(pointer, row, column))
        guard let value = PQgetvalue(pointer, row, column) else { return try body(nil) }
        return try body(UnsafeRawBufferPointer(start: value, count: length))
    }
}

extension PostgresResult {
    /// The command tag's verb and counts (`"INSERT 0 1"`, `"ROLLBACK"`).
    var commandTag: String {
        PQcmdStatus(pointer).map { String(cString: $0) } ?? ""
    }
}
