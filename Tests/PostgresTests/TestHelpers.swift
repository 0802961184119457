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

/// Terminates a backend from another connection and waits until it has really exited.
func terminateBackend(_ pid: Int32, using killer: PostgresConnection) async throws {
    try await killer.query("SELECT pg_terminate_backend($1)", [pid])
    for _ in 0..<250 {
        let alive = try await killer.query("SELECT count(*) AS n FROM pg_stat_activity WHERE pid = $1", [pid])
        if try alive[0].decode("n", as: Int.self) == 0 { return }
        try await Task.sleep(for: .milliseconds(20))
    }
}
