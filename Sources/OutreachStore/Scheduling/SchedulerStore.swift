import Postgres

/// The scheduler tick (SPEC §4): one set-based statement per batch moves due steps into the
/// queue.
///
/// The due set is `outreach_due` (kept in step with active enrollments by triggers, see
/// `sql/0002_due_queue.sql`): a tick deletes what is due from it and inserts the jobs, so its
/// cost grows with the number of due steps, not of enrollments. The job's dedupe key
/// `step:<enrollment>:<position>` makes a second enqueue of the same step a no-op. Two
/// schedulers at once are safe without extra locking: a row the other one deleted first is
/// re-checked after its commit and skipped (the DELETE's own row lock is the arbiter).
///
/// The batch's rows are deleted by their row address (`ctid`), a direct fetch: matched back by
/// enrollment id, the delete hashed the batch and walked every due row's index entry again
/// (twice the time). A row that changed since the batch was chosen has moved to a new address
/// and is left for the next tick.
public struct SchedulerStore: Sendable {
    static let tick = """
        WITH taken AS (
            DELETE FROM outreach_due d
             WHERE d.ctid = ANY (ARRAY(SELECT ctid FROM outreach_due WHERE run_at <= now() ORDER BY run_at LIMIT $1))
               AND d.run_at <= now()
            RETURNING d.enrollment_id, d.workspace_id, d.step
        ), ins AS (
            INSERT INTO outreach_jobs (workspace_id, kind, dedupe_key, enrollment_id, step_position)
            SELECT workspace_id, 'step', 'step:' || enrollment_id || ':' || step, enrollment_id, step FROM taken
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

    /// Runs batches until nothing is due, waking the workers after each batch that enqueued.
    ///
    /// The first batch holds at most `firstBatch` steps and each next one twice as many, up to
    /// `batchSize`: a batch of 5 000 takes about 150 ms to commit, and the workers would sit
    /// idle for all of it at the start of a big tick. That is four more statements for a big
    /// tick in batches of 5 000, each of them small.
    public func tick(batchSize: Int = 5000, firstBatch: Int = 500, on db: PostgresConnection) async throws -> Int {
        var total = 0
        var limit = max(1, min(batchSize, firstBatch))
        while true {
            let (taken, enqueued) = try await enqueueDue(limit: limit, on: db)
            total += enqueued
            // Wake the workers for each committed batch: a big tick's first steps go out while
            // the rest are still being enqueued (workers debounce the notifications).
            if enqueued > 0 { try await db.query(JobQueue.notify, [JobQueue.channel]) }
            if taken < limit { break }
            limit = min(batchSize, limit * 2)
        }
        return total
    }
}
