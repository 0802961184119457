import Foundation
import OutreachCore
import Postgres

/// What happened to one entity: its executions with every status they passed through, and the
/// jobs still queued for it. Read by `outreach status`.
public struct TimelineStore: Sendable {
    /// One line per recorded status change; an execution without events shows its current state.
    /// The worker records a send as the execution's `sent_at` rather than as an event (see
    /// `SendLedger.recordOutcomes`), so that line is made from it here.
    static let timeline = """
        SELECT x.id AS execution_id, x.channel, x.template_name, x.step_position, s.name AS sequence,
               x.idempotency_key, x.provider_message_id, x.status AS current_status,
               coalesce(ev.status, x.status) AS status, coalesce(ev.reason, x.reason) AS reason,
               coalesce(ev.source, 'worker') AS source, coalesce(ev.occurred_at, x.created_at) AS at
        FROM outreach_executions x
        LEFT JOIN outreach_sequences s ON s.id = x.sequence_id
        LEFT JOIN LATERAL (
            SELECT e.id, e.status, e.reason, e.source, e.occurred_at
              FROM outreach_execution_events e WHERE e.execution_id = x.id
            UNION ALL
            SELECT 0, 'sent', NULL, 'worker', x.sent_at
             WHERE x.sent_at IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM outreach_execution_events o WHERE o.execution_id = x.id AND o.status = 'sent')
        ) ev ON true
        WHERE x.workspace_id = $1 AND x.entity_type = $2 AND x.entity_id = $3
        ORDER BY at, x.id, ev.id
        LIMIT $4
        """

    /// Queued, running or dead jobs for the entity: its enrollments' steps and one-off sends.
    static let jobs = """
        SELECT j.id, j.kind, j.state, j.step_position, j.run_at, j.attempt, j.max_attempts, j.last_error,
               s.name AS sequence, j.payload->>'channel' AS channel, j.payload->>'template' AS template
        FROM outreach_jobs j
        LEFT JOIN outreach_enrollments e ON e.id = j.enrollment_id
        LEFT JOIN outreach_sequences s ON s.id = e.sequence_id
        WHERE j.workspace_id = $1
          AND ((e.entity_type = $2 AND e.entity_id = $3)
               OR (j.kind = 'send' AND j.payload->>'entity_type' = $2 AND j.payload->>'entity_id' = $3))
        ORDER BY j.run_at, j.id
        """

    public init() {}

    /// The entity's execution history, oldest first, at most `limit` lines.
    public func timeline(for entity: EntityRef, workspace: UUID, limit: Int = 1000,
                         on db: PostgresConnection) async throws -> [TimelineEntry] {
        try await db.query(Self.timeline, [workspace, entity.type.rawValue, entity.id, limit]).map { row in
            TimelineEntry(
                at: try row.decode("at"), executionID: try row.decode("execution_id"), channel: try ConsentStore.channel(row),
                sequence: try row.decode("sequence"), step: try row.decode("step_position"), template: try row.decode("template_name"),
                status: try row.decode("status"), reason: try row.decode("reason"), source: try row.decode("source"),
                currentStatus: try row.decode("current_status"), idempotencyKey: try row.decode("idempotency_key"),
                providerMessageID: try row.decode("provider_message_id"))
        }
    }

    public func pendingJobs(for entity: EntityRef, workspace: UUID, on db: PostgresConnection) async throws -> [PendingJob] {
        try await db.query(Self.jobs, [workspace, entity.type.rawValue, entity.id]).map { row in
            PendingJob(id: try row.decode("id"), kind: try row.decode("kind"), state: try row.decode("state"),
                       sequence: try row.decode("sequence"), step: try row.decode("step_position"),
                       channel: try row.decode("channel"), template: try row.decode("template"), runAt: try row.decode("run_at"),
                       attempt: try row.decode("attempt"), maxAttempts: try row.decode("max_attempts"),
                       lastError: try row.decode("last_error"))
        }
    }
}

/// One status an execution reached, for the entity's timeline.
public struct TimelineEntry: Sendable, Equatable, Codable {
    public var at: Date
    public var executionID: Int64
    public var channel: Channel
    /// nil for a one-off send.
    public var sequence: String?
    public var step: Int?
    public var template: String?
    /// The status recorded at `at`, and why (`no_consent`, a provider error, …).
    public var status: String
    public var reason: String?
    /// Who recorded it: the worker, a webhook, …
    public var source: String
    /// Where the execution stands now.
    public var currentStatus: String
    public var idempotencyKey: String
    public var providerMessageID: String?
}

/// A job in the queue for an entity.
public struct PendingJob: Sendable, Equatable, Codable {
    public var id: Int64
    /// `step` or `send`.
    public var kind: String
    /// `queued`, `running` or `dead`.
    public var state: String
    public var sequence: String?
    public var step: Int?
    public var channel: String?
    public var template: String?
    public var runAt: Date
    public var attempt: Int
    public var maxAttempts: Int
    public var lastError: String?
}
