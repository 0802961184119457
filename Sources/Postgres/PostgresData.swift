/// A value bound to a `$n` placeholder. Text values are sent in Postgres' text format and
/// `bytea` in binary, so SQL is never assembled from values (no injection, no quoting bugs).
public enum PostgresData: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// A value in Postgres' text input format; the server infers its type from the statement.
    case text(String)
    /// Raw bytes sent in binary format as `bytea`.
    case bytea([UInt8])
}

/// A Swift value that can be bound as a query parameter.
public protocol PostgresEncodable: Sendable {
    /// The wire form of this value.
    var postgresData: PostgresData { get }
}

/// A Swift value that can be read from a text-format result column.
///
/// Conformers implement ``decode(postgresText:)``; built-in types also override
/// ``decode(postgresBytes:)`` to parse straight from libpq's buffer without building a `String`.
public protocol PostgresDecodable: Sendable {
    /// Decodes a column value in Postgres' text output format; `nil` is SQL `NULL`.
    /// Throw ``PostgresError`` with code ``PostgresError/Code/decoding`` on bad input.
    static func decode(postgresText: String?) throws -> Self

    /// Decodes from the raw UTF-8 bytes libpq returned; `nil` is SQL `NULL`.
    /// The default builds a `String` and calls ``decode(postgresText:)``.
    static func decode(postgresBytes: UnsafeRawBufferPointer?) throws -> Self
}

extension PostgresDecodable {
    public static func decode(postgresBytes: UnsafeRawBufferPointer?) throws -> Self {
        try decode(postgresText: postgresBytes.map { String(decoding: $0, as: UTF8.self) })
    }
}

extension PostgresData: PostgresEncodable {
    /// Lets callers bind an explicit ``PostgresData/null`` (a bare `nil` literal has no type).
    public var postgresData: PostgresData { self }
}
