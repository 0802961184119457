import OutreachStore
import Postgres
import TestSupport

/// Runs `body` on a connection to a new database with every migration applied, dropped after.
func withMigratedDatabase(_ body: (PostgresConnection) async throws -> Void) async throws {
    let url = try await TestDatabase.create()
    defer { Task { await TestDatabase.drop(url) } }
    let db = try await PostgresConnection.connect(url)
    defer { db.close() }
    _ = try await Migrator().migrate(on: db)
    try await body(db)
}
