import Postgres

/// The scheduler tick (SPEC §4): one set-based statement per batch moves due, active
/// enrollments into the queue.
///
/// It reads only the partial index of due enrollments, so its cost grows with the number of due
/// steps, not of enrollments. An enqueued enrollment's `next_run_at` becomes NULL (it leaves the
/// index), and the job's dedupe key `step:<enrollment>:<position>` makes a second enqueue of the
/// same step a no-op even if two schedulers run at once.
public struct SchedulerStore: Sendable {
    static let tick = """
        WITH due AS (
            SELECT id FROM outreach_enrollments
            WHERE status = 'active' AND next_run_at IS NOT NULL AND next_run_at <= now()
            ORDER BY next_run_at, id
            LIMIT $1
            FOR UPDATE SKIP LOCKED
        ), taken AS (
            UPDATE outreach_enrollments e
               SET next_run_at = NULL, version = e.version + 1
              FROM due WHERE e.id = due.id
            RETURNING e.id, e.workspace_id, e.current_step
        ), ins AS (
            INSERT INTO outreach_jobs (workspace_id, kind, dedupe_key, enrollment_id, step_position)
            SELECT workspace_id, 'step', 'step:' || id || ':' || current_step, id, current_step FROM taken
            ON CONFLICT (dedupe_key) DO NOTHING
            RETURNING workspace_id
        ), ws AS (
            INSERT INTO outreach_queue_workspaces (workspace_id)
            SELECT DISTINCT workspace_id FROM ins
            ON CONFLICT DO NOTHING
        )
        SELECT (SELECT count(*) FROM taken)::int AS taken, (SELECT count(*) FROM ins)::int AS enqueued
        """

    public init() {}

    /// One batch: how many due enrollments were taken and how many jobs were created.
    public func enqueueDue(limit: Int, on db: PostgresConnection) async throws -> (taken: Int, enqueued: Int) {
        let row = try await db.query(Self.tick, [limit])[0]
        return (try row.decode("taken"), try row.decode("enqueued"))
    }

    /// Runs batches until nothing is due; wakes the workers once (debounced) if anything was enqueued.
    public func tick(batchSize: Int = 5000, on db: PostgresConnection) async throws -> Int {
        var total = 0
        while true {
            let (taken, enqueued) = try await enqueueDue(limit: batchSize, on: db)
            total += enqueued
            if taken < batchSize { break }
        }
        if total > 0 { try await db.query(JobQueue.notify, [JobQueue.channel]) }
        return total
    }
}
