import Foundation
import Postgres

/// Runs work as a tenant: inside one transaction, as the `outreach_tenant` role with
/// `outreach.workspace_id` set, so row-level security confines every statement to one workspace
/// whatever the SQL says. Used by reseller sessions and the assistant API.
public enum TenantScope {
    static let enter = "SELECT set_config('outreach.workspace_id', $1, true)"
    /// A role name cannot be a parameter; this one is a constant, never input.
    static let setRole = "SET LOCAL ROLE outreach_tenant"

    public static func run<T: Sendable>(
        workspace: UUID, on db: PostgresConnection, _ body: (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await db.transaction { tx in
            try await tx.query(setRole)
            try await tx.query(enter, [workspace.uuidString.lowercased()])
            return try await body(tx)
        }
    }
}
