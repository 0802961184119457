import Foundation
import OutreachCore
import Postgres

/// Reads and writes `outreach_workspaces`.
public struct WorkspaceStore: Sendable {
    static let insert = """
        INSERT INTO outreach_workspaces (name, timezone) VALUES ($1, $2)
        ON CONFLICT (name) DO NOTHING
        RETURNING id, name, timezone
        """
    static let selectByName = "SELECT id, name, timezone FROM outreach_workspaces WHERE name = $1"
    static let selectByID = "SELECT id, name, timezone FROM outreach_workspaces WHERE id = $1"
    static let selectAll = "SELECT id, name, timezone FROM outreach_workspaces ORDER BY name"

    public init() {}

    /// Creates a workspace; a taken name is a `.conflict`.
    public func create(name: String, timezone: String, on db: PostgresConnection) async throws -> Workspace {
        try Workspace.validate(name: name, timezone: timezone)
        guard let row = try await db.query(Self.insert, [name, timezone]).first else {
            throw OutreachError(.conflict, "workspace '\(name)' already exists")
        }
        return try Self.decode(row)
    }

    /// Finds a workspace by id or by name; `.notFound` names what was asked for.
    public func resolve(_ nameOrID: String, on db: PostgresConnection) async throws -> Workspace {
        let rows: PostgresRows
        if let id = UUID(uuidString: nameOrID) {
            rows = try await db.query(Self.selectByID, [id])
        } else {
            rows = try await db.query(Self.selectByName, [nameOrID])
        }
        guard let row = rows.first else { throw OutreachError.notFound("no workspace named '\(nameOrID)'") }
        return try Self.decode(row)
    }

    public func list(on db: PostgresConnection) async throws -> [Workspace] {
        try await db.query(Self.selectAll).map(Self.decode)
    }

    static func decode(_ row: PostgresRow) throws -> Workspace {
        Workspace(id: try row.decode("id"), name: try row.decode("name"), timezone: try row.decode("timezone"))
    }
}
