import Postgres
import TestSupport

/// Runs `body` with a connection to a fresh, private database (dropped afterwards).
func withTestConnection<T>(_ body: (PostgresConnection, String) async throws -> T) async throws -> T {
    try await TestDatabase.withDatabase { url in
        let connection = try await PostgresConnection.connect(url)
        defer { connection.close() }
        return try await body(connection, url)
    }
}

/// Round-trips `value` through `SELECT $1::type` and returns what came back.
func roundTrip<T: PostgresEncodable & PostgresDecodable>(
    _ value: T, as sqlType: String, on connection: PostgresConnection
) async throws -> T {
    let rows = try await connection.query("SELECT $1::\(sqlType) AS value", [value])
    return try rows[0].decode("value", as: T.self)
}
