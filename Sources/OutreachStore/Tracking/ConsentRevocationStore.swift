import Foundation
import OutreachCore
import Postgres

/// Revokes consent (with its append-only history entry) and suppresses addresses: what hard
/// bounces, complaints and one-click unsubscribes do.
public struct ConsentRevocationStore: Sendable {
    /// Creates the consent row as revoked if there was none; bumps the version only when the
    /// status actually changes, so repeating a revocation returns no row and writes no history.
    static let revoke = """
        INSERT INTO outreach_consent (workspace_id, entity_type, entity_id, channel, status, source, revoked_at)
        VALUES ($1, $2, $3, $4, 'revoked', $5, now())
        ON CONFLICT (workspace_id, entity_type, entity_id, channel) DO UPDATE
            SET status = 'revoked', source = EXCLUDED.source, revoked_at = now(),
                version = outreach_consent.version + 1
            WHERE outreach_consent.status <> 'revoked'
        RETURNING id
        """
    static let insertHistory = """
        INSERT INTO outreach_consent_history (workspace_id, entity_type, entity_id, channel, action, actor, source)
        VALUES ($1, $2, $3, $4, 'revoke', $5, $6)
        """
    static let suppress = """
        INSERT INTO outreach_suppressions (workspace_id, channel, address, reason, source)
        VALUES ($1, $2, lower($3), $4, $5)
        ON CONFLICT (workspace_id, channel, address) DO NOTHING
        """

    /// Why an address is suppressed (`outreach_suppressions.reason`).
    public enum SuppressionReason: String, Sendable {
        case hardBounce = "hard_bounce"
        case complaint
        case blocked
        case unsubscribe
        case manual
    }

    public init() {}

    /// Revokes the entity's consent for `channel`; true when this call changed it (and wrote a
    /// history row), false when it was already revoked.
    @discardableResult
    public func revoke(
        workspace: UUID, entityType: String, entityID: String, channel: Channel, actor: String, source: String?,
        on tx: PostgresConnection
    ) async throws -> Bool {
        let changed = try await tx.query(Self.revoke, [workspace, entityType, entityID, channel.rawValue, source])
        guard !changed.isEmpty else { return false }
        try await tx.execute(Self.insertHistory, [workspace, entityType, entityID, channel.rawValue, actor, source])
        return true
    }

    /// Adds the address to the workspace's suppression list (lower-cased); true when new.
    @discardableResult
    public func suppress(
        workspace: UUID, channel: Channel, address: String, reason: SuppressionReason, source: String?,
        on tx: PostgresConnection
    ) async throws -> Bool {
        try await tx.execute(Self.suppress, [workspace, channel.rawValue, address, reason.rawValue, source]) == 1
    }
}
