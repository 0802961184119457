import Foundation
import Postgres

/// A contact that an inbound message or an unsubscribe token resolved to.
public struct MatchedContact: Sendable, Equatable {
    public var id: Int64
    public var workspaceID: UUID
    public var entityType: String
    public var entityID: String
    public var email: String?

    static let columns = "c.id, c.workspace_id, c.entity_type, c.entity_id, c.email"

    init(row: PostgresRow) throws {
        id = try row.decode("id")
        workspaceID = try row.decode("workspace_id")
        entityType = try row.decode("entity_type")
        entityID = try row.decode("entity_id")
        email = try row.decode("email")
    }
}
