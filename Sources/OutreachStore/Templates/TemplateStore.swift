import Foundation
import OutreachCore
import Postgres

/// A stored template row.
public struct StoredTemplate: Sendable, Equatable, Codable {
    public var name: String
    public var channel: Channel
    public var subject: String?
    public var body: String
    public var textBody: String?
    public var variables: [String]
    public var updatedAt: Date
}

/// Reads and writes `outreach_templates`.
public struct TemplateStore: Sendable {
    static let upsert = """
        INSERT INTO outreach_templates (workspace_id, name, channel, subject, body, text_body, variables)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        ON CONFLICT (workspace_id, name, channel) DO UPDATE
            SET subject = EXCLUDED.subject, body = EXCLUDED.body, text_body = EXCLUDED.text_body,
                variables = EXCLUDED.variables
        RETURNING name, channel, subject, body, text_body, variables, updated_at
        """
    static let selectAll = """
        SELECT name, channel, subject, body, text_body, variables, updated_at
        FROM outreach_templates WHERE workspace_id = $1 ORDER BY name, channel
        """
    static let selectOne = """
        SELECT name, channel, subject, body, text_body, variables, updated_at
        FROM outreach_templates WHERE workspace_id = $1 AND name = $2 AND channel = $3
        """
    /// The attribute keys the workspace's contacts carry: templates may use them as variables.
    static let attributeKeys = """
        SELECT DISTINCT jsonb_object_keys(attributes) AS key FROM outreach_contacts WHERE workspace_id = $1
        """

    public init() {}

    public func save(workspace: UUID, name: String, channel: Channel, subject: String?, body: String,
                     textBody: String?, variables: [String], on db: PostgresConnection) async throws -> StoredTemplate {
        let rows = try await db.query(Self.upsert, [workspace, name, channel.rawValue, subject, body, textBody, variables.sorted()])
        return try Self.decode(rows[0])
    }

    public func list(workspace: UUID, on db: PostgresConnection) async throws -> [StoredTemplate] {
        try await db.query(Self.selectAll, [workspace]).map(Self.decode)
    }

    public func find(workspace: UUID, name: String, channel: Channel, on db: PostgresConnection) async throws -> StoredTemplate? {
        try await db.query(Self.selectOne, [workspace, name, channel.rawValue]).first.map(Self.decode)
    }

    public func attributeKeys(workspace: UUID, on db: PostgresConnection) async throws -> Set<String> {
        Set(try await db.query(Self.attributeKeys, [workspace]).map { try $0.decode("key", as: String.self) })
    }

    static func decode(_ row: PostgresRow) throws -> StoredTemplate {
        let channelName: String = try row.decode("channel")
        guard let channel = Channel(rawValue: channelName) else {
            throw OutreachError.badInput("stored template has unknown channel '\(channelName)'")
        }
        return StoredTemplate(name: try row.decode("name"), channel: channel, subject: try row.decode("subject"),
                              body: try row.decode("body"), textBody: try row.decode("text_body"),
                              variables: try row.decode("variables"), updatedAt: try row.decode("updated_at"))
    }
}
