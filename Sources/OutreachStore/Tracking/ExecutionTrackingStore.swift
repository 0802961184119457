import Foundation
import OutreachCore
import Postgres

/// SQL for delivery tracking on `outreach_executions` and its append-only
/// `outreach_execution_events` timeline. Every method runs on the caller's transaction.
public struct ExecutionTrackingStore: Sendable {
    /// Row-locks the execution so concurrent events for one message are decided one at a time.
    /// Provider ids are looked up in `outreach_provider_messages`, which triggers keep in step
    /// with `outreach_executions.provider_message_id` (migration 0003).
    static let selectByProviderID = """
        SELECT \(TrackedExecution.columns)
        FROM outreach_provider_messages p
        JOIN outreach_executions e ON e.id = p.execution_id AND e.provider_message_id = p.provider_message_id
        LEFT JOIN outreach_contacts c ON c.id = e.contact_id
        WHERE p.channel = $1 AND p.provider_message_id = $2
        ORDER BY e.id
        FOR UPDATE OF e
        """

    /// The latest execution per enrollment (one-off sends count as one group) of an entity on a
    /// channel that reached the provider and is still on the delivery ladder; row-locked.
    static let selectLatestSent = """
        SELECT \(TrackedExecution.columns)
        FROM outreach_executions e LEFT JOIN outreach_contacts c ON c.id = e.contact_id
        WHERE e.id IN (
            SELECT DISTINCT ON (x.enrollment_id) x.id
            FROM outreach_executions x
            WHERE x.workspace_id = $1 AND x.entity_type = $2 AND x.entity_id = $3 AND x.channel = $4
              AND x.status IN ('sent', 'delivered', 'opened', 'read', 'clicked')
            ORDER BY x.enrollment_id, x.created_at DESC, x.id DESC)
        ORDER BY e.id
        FOR UPDATE OF e
        """

    /// `$2` is the new status (NULL keeps it: a late or out-of-order event); `$3` the event's own
    /// status, whose timestamp column is filled if still empty.
    static let applyEvent = """
        UPDATE outreach_executions SET
            status        = COALESCE($2::text, status),
            sent_at       = CASE WHEN $3::text = 'sent' THEN COALESCE(sent_at, $4::timestamptz) ELSE sent_at END,
            delivered_at  = CASE WHEN $3::text = 'delivered' THEN COALESCE(delivered_at, $4::timestamptz) ELSE delivered_at END,
            opened_at     = CASE WHEN $3::text IN ('opened', 'read') THEN COALESCE(opened_at, $4::timestamptz) ELSE opened_at END,
            clicked_at    = CASE WHEN $3::text = 'clicked' THEN COALESCE(clicked_at, $4::timestamptz) ELSE clicked_at END,
            replied_at    = CASE WHEN $3::text = 'replied' THEN COALESCE(replied_at, $4::timestamptz) ELSE replied_at END,
            error_code    = COALESCE($5::text, error_code),
            error_message = COALESCE($6::text, error_message)
        WHERE id = $1
        """

    static let insertEvent = """
        INSERT INTO outreach_execution_events (workspace_id, execution_id, status, reason, source, occurred_at)
        VALUES ($1, $2, $3, $4, $5, $6)
        """

    public init() {}

    /// Executions that carry this provider message id on this channel (normally one), locked.
    public func lockByProviderMessageID(
        channel: Channel, providerMessageID: String, on tx: PostgresConnection
    ) async throws -> [TrackedExecution] {
        try await tx.query(Self.selectByProviderID, [channel.rawValue, providerMessageID]).map(TrackedExecution.init)
    }

    /// The entity's latest sent executions on a channel (one per enrollment), locked.
    public func lockLatestSent(
        workspace: UUID, entityType: String, entityID: String, channel: Channel, on tx: PostgresConnection
    ) async throws -> [TrackedExecution] {
        try await tx.query(Self.selectLatestSent, [workspace, entityType, entityID, channel.rawValue])
            .map(TrackedExecution.init)
    }

    /// Records an event's effect: the new status (nil keeps the current one), the timestamp of
    /// the event's own status, and an error code/message when given.
    public func apply(
        execution id: Int64, newStatus: ExecutionStatus?, eventStatus: String, at time: Date,
        errorCode: String? = nil, errorMessage: String? = nil, on tx: PostgresConnection
    ) async throws {
        try await tx.execute(Self.applyEvent, [id, newStatus?.rawValue, eventStatus, time, errorCode, errorMessage])
    }

    /// Appends a row to the execution's timeline.
    public func appendEvent(
        workspace: UUID, execution id: Int64, status: String, reason: String?, source: String, at time: Date,
        on tx: PostgresConnection
    ) async throws {
        try await tx.execute(Self.insertEvent, [workspace, id, status, reason, source, time])
    }
}
