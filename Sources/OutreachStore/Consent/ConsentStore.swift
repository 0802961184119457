import Foundation
import OutreachCore
import Postgres

/// GDPR consent per (workspace, entity, channel) in `outreach_consent`, and its append-only
/// history in `outreach_consent_history` (who, when, source, lawful basis).
///
/// Every write updates the current row *and* appends history in the same statement, so the two
/// never disagree. This is the one place that changes consent: the CLI, the CSV import, the
/// unsubscribe endpoint and bounce/complaint handling all come through here.
public struct ConsentStore: Sendable {
    /// Grants or revokes for the selected contacts (``ContactSelectionSQL/targets``, `$1…$6`).
    /// `$7` channel, `$8` status, `$9` source, `$10` lawful basis, `$11` action, `$12` actor.
    static let record = """
        WITH targets AS (\(ContactSelectionSQL.targets)),
        up AS (
            INSERT INTO outreach_consent AS c
                (workspace_id, entity_type, entity_id, channel, status, source, lawful_basis, granted_at, revoked_at)
            SELECT $1, t.entity_type, t.entity_id, $7::text, $8::text, $9::text, $10::text,
                   CASE WHEN $8::text = 'granted' THEN now() END, CASE WHEN $8::text = 'revoked' THEN now() END
            FROM targets t
            ON CONFLICT (workspace_id, entity_type, entity_id, channel) DO UPDATE
               SET status = EXCLUDED.status,
                   source = EXCLUDED.source,
                   lawful_basis = coalesce(EXCLUDED.lawful_basis, c.lawful_basis),
                   granted_at = CASE WHEN EXCLUDED.status = 'granted' THEN now() ELSE c.granted_at END,
                   revoked_at = CASE WHEN EXCLUDED.status = 'revoked' THEN now() END,
                   version = c.version + 1
            RETURNING c.entity_type, c.entity_id, c.lawful_basis
        ), history AS (
            INSERT INTO outreach_consent_history
                (workspace_id, entity_type, entity_id, channel, action, actor, source, lawful_basis)
            SELECT $1, entity_type, entity_id, $7::text, $11::text, $12::text, $9::text, lawful_basis FROM up
        )
        SELECT entity_type, entity_id FROM up ORDER BY entity_type, entity_id
        """

    /// Grants where no consent row exists yet (the CSV import): an existing grant is left as it
    /// is and an explicit revocation is never overridden by a bulk file.
    static let grantIfAbsent = """
        WITH up AS (
            INSERT INTO outreach_consent (workspace_id, entity_type, entity_id, channel, status, source, lawful_basis, granted_at)
            SELECT $1, e.t, e.i, $4::text, 'granted', $5::text, $6::text, now()
            FROM unnest($2::text[], $3::text[]) AS e(t, i)
            ON CONFLICT (workspace_id, entity_type, entity_id, channel) DO NOTHING
            RETURNING entity_type, entity_id
        ), history AS (
            INSERT INTO outreach_consent_history
                (workspace_id, entity_type, entity_id, channel, action, actor, source, lawful_basis)
            SELECT $1, entity_type, entity_id, $4::text, 'grant', $7::text, $5::text, $6::text FROM up
        )
        SELECT count(*)::int AS granted FROM up
        """

    static let selectForEntity = """
        SELECT channel, status, source, lawful_basis, granted_at, revoked_at, version, updated_at
        FROM outreach_consent WHERE workspace_id = $1 AND entity_type = $2 AND entity_id = $3
        ORDER BY channel
        """

    static let selectHistory = """
        SELECT channel, action, actor, source, lawful_basis, occurred_at
        FROM outreach_consent_history WHERE workspace_id = $1 AND entity_type = $2 AND entity_id = $3
        ORDER BY occurred_at, id
        """

    public init() {}

    /// Grants or revokes `channel` for every selected contact and appends one history row each;
    /// returns the entities changed. Entities that are not contacts are ignored here (check them
    /// first with ``ContactStore/requireExisting(_:workspace:on:)``).
    @discardableResult
    public func record(_ action: ConsentAction, channel: Channel, for selector: ContactSelector, workspace: UUID,
                       source: String?, lawfulBasis: String?, actor: String, on db: PostgresConnection) async throws -> [EntityRef] {
        let extra: [any PostgresEncodable] = [channel.rawValue, action.status, source, lawfulBasis, action.rawValue, actor]
        let binds = ContactSelectionSQL.binds(workspace: workspace, selector) + extra
        return try await db.query(Self.record, binds).map(ContactStore.entity)
    }

    /// Grants `channel` for each entity that has no consent row for it yet; returns how many were
    /// granted (each with a history row).
    @discardableResult
    public func grantIfAbsent(channel: Channel, for entities: [EntityRef], workspace: UUID, source: String,
                              lawfulBasis: String?, actor: String, on db: PostgresConnection) async throws -> Int {
        guard !entities.isEmpty else { return 0 }
        let rows = try await db.query(Self.grantIfAbsent, [
            workspace, entities.map(\.type.rawValue), entities.map(\.id), channel.rawValue, source, lawfulBasis, actor,
        ] as [any PostgresEncodable])
        return try rows[0].decode("granted")
    }

    /// The current consent rows of one entity.
    public func current(for entity: EntityRef, workspace: UUID, on db: PostgresConnection) async throws -> [ConsentState] {
        try await db.query(Self.selectForEntity, [workspace, entity.type.rawValue, entity.id]).map { row in
            ConsentState(channel: try Self.channel(row), status: try row.decode("status"), source: try row.decode("source"),
                         lawfulBasis: try row.decode("lawful_basis"), grantedAt: try row.decode("granted_at"),
                         revokedAt: try row.decode("revoked_at"), version: try row.decode("version"),
                         updatedAt: try row.decode("updated_at"))
        }
    }

    /// Every grant and revocation of one entity, oldest first.
    public func history(for entity: EntityRef, workspace: UUID, on db: PostgresConnection) async throws -> [ConsentEvent] {
        try await db.query(Self.selectHistory, [workspace, entity.type.rawValue, entity.id]).map { row in
            let action: String = try row.decode("action")
            return ConsentEvent(channel: try Self.channel(row), action: ConsentAction(rawValue: action) ?? .revoke,
                                actor: try row.decode("actor"), source: try row.decode("source"),
                                lawfulBasis: try row.decode("lawful_basis"), occurredAt: try row.decode("occurred_at"))
        }
    }

    static func channel(_ row: PostgresRow) throws -> Channel {
        let name: String = try row.decode("channel")
        guard let channel = Channel(rawValue: name) else { throw PostgresError(code: .decoding, message: "unknown channel '\(name)'") }
        return channel
    }
}

/// The consent of one entity on one channel.
public struct ConsentState: Sendable, Equatable, Codable {
    public var channel: Channel
    /// `granted` or `revoked`.
    public var status: String
    public var source: String?
    public var lawfulBasis: String?
    public var grantedAt: Date?
    public var revokedAt: Date?
    public var version: Int
    public var updatedAt: Date

    public var isGranted: Bool { status == ConsentAction.grant.status }
}

/// One entry of the append-only consent history.
public struct ConsentEvent: Sendable, Equatable, Codable {
    public var channel: Channel
    public var action: ConsentAction
    public var actor: String
    public var source: String?
    public var lawfulBasis: String?
    public var occurredAt: Date
}
