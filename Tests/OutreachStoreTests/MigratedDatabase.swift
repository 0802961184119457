import Foundation
import OutreachStore
import Postgres
import TestSupport

/// Runs `body` on a connection to a new database with every migration applied; the database is
/// dropped when `body` returns or throws (``TestDatabase/withDatabase(_:)``).
func withMigratedDatabase(_ body: (PostgresConnection) async throws -> Void) async throws {
    try await withMigratedDatabase { db, _ in try await body(db) }
}

/// As above, with the database's URL for tests that open more connections.
func withMigratedDatabase(_ body: (PostgresConnection, String) async throws -> Void) async throws {
    try await TestDatabase.withDatabase { url in
        let db = try await PostgresConnection.connect(url)
        defer { db.close() }
        _ = try await Migrator().migrate(on: db)
        try await body(db, url)
    }
}

/// A workspace named `name` with one empty sequence `s`: the owner rows enrollments need.
func insertWorkspaceAndSequence(_ name: String, on db: PostgresConnection) async throws -> (workspace: UUID, sequence: Int64) {
    let ws: UUID = try await db.query("INSERT INTO outreach_workspaces (name) VALUES ($1) RETURNING id", [name])[0].decode("id")
    let seq: Int64 = try await db.query("INSERT INTO outreach_sequences (workspace_id, name) VALUES ($1, 's') RETURNING id",
                                        [ws])[0].decode("id")
    return (ws, seq)
}
