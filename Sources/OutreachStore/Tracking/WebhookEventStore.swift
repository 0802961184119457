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

    public init() {}

    /// Records the event id; false when it was recorded before (a duplicate delivery).
    public func claim(provider: String, eventID: String, on tx: PostgresConnection) async throws -> Bool {
        try await tx.execute(Self.claim, [provider, eventID]) == 1
    }

    /// Notes which workspace a claimed event concerned (for tenant-scoped reads and pruning).
    public func attach(workspace: UUID, provider: String, eventID: String, on tx: PostgresConnection) async throws {
        try await tx.execute(Self.attachWorkspace, [provider, eventID, workspace])
    }
}
