import Foundation

/// A `json`/`jsonb` value, kept as its text so large documents pass through without a
/// parse/serialize round trip. Bind it to a `jsonb` column (or cast: `$1::jsonb`).
public struct PostgresJSON: PostgresEncodable, PostgresDecodable, PostgresArrayElement, Hashable {
    /// The JSON text exactly as sent or as the server printed it.
    public var raw: String

    /// Wraps JSON text that is already serialized.
    public init(raw: String) {
        self.raw = raw
    }

    /// Serializes `value` with `JSONEncoder` (keys sorted, so equal values give equal text).
    public init<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        self.raw = String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Parses the JSON into `type` with `JSONDecoder`; failures become ``PostgresError/Code/decoding``.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(raw.utf8))
        } catch {
            throw PostgresError.decoding("JSON does not decode as \(T.self): \(error)")
        }
    }

    public var postgresData: PostgresData { .text(raw) }

    public static func decode(postgresText: String?) throws -> PostgresJSON {
        guard let postgresText else { throw PostgresError.unexpectedNull(PostgresJSON.self) }
        return PostgresJSON(raw: postgresText)
    }
}
