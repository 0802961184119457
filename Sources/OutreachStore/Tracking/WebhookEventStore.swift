import Foundation
import Postgres

/// Webhook dedupe (`outreach_webhook_events`): a provider's event id is processed once.
///
/// Claim the id inside the transaction that applies the event's effect: a concurrent delivery of
/// the same event blocks on the primary key until the first commits, then finds it taken; if the
/// effect rolls back, so does the claim and the provider's retry is processed normally.
public struct WebhookEventStore: Sendable {
    static let claim = """
        INSERT INTO outreach_webhook_events (provider, event_id) VALUES ($1, $2)
        ON CONFLICT (provider, event_id) DO NOTHING
        """
    static let attachWorkspace = """
        UPDATE outreach_webhook_events SET workspace_id = $3 WHERE provider = $1 AND event_id = $2
        """

    /// Deletes up to `$2` event ids received more than `$1` seconds ago, oldest first, through
    /// the `received_at` index; rows are taken by address so that concurrent pruners never
    /// wait on each other's rows for long (a row deleted meanwhile is simply skipped).
    static let prune = """
        DELETE FROM outreach_webhook_events
        WHERE ctid = ANY (ARRAY(SELECT ctid FROM outreach_webhook_events
                                WHERE received_at < now() - make_interval(secs => $1)
                                ORDER BY received_at LIMIT $2))
        """

    /// How long an event id is kept for dedupe unless configured: well past the providers'
    /// redelivery windows (Resend about a day and a half, Meta up to seven days; PROVIDERS.md).
    public static let defaultRetention: Duration = .seconds(30 * 24 * 3600)

    public init() {}

    /// Forgets event ids older than `retention`, at most `limit` of them; returns how many.
    /// A redelivery older than that would be applied again, so `retention` must exceed every
    /// provider's retry window.
    public func prune(olderThan retention: Duration, limit: Int = 10_000, on db: PostgresConnection) async throws -> Int {
        try await db.execute(Self.prune, [Double(retention.components.seconds), limit])
    }

    /// Records the event id; false when it was recorded before (a duplicate delivery).
    public func claim(provider: String, eventID: String, on tx: PostgresConnection) async throws -> Bool {
        try await tx.execute(Self.claim, [provider, eventID]) == 1
    }

    /// Notes which workspace a claimed event concerned (for tenant-scoped reads and pruning).
    public func attach(workspace: UUID, provider: String, eventID: String, on tx: PostgresConnection) async throws {
        try await tx.execute(Self.attachWorkspace, [provider, eventID, workspace])
    }
}
