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
/// and is left for a later batch.
///
/// A step already in the queue (a paused enrollment resumed before its job ran) is skipped by
/// looking its key up (`NOT EXISTS`) rather than by `ON CONFLICT DO NOTHING`, whose
/// speculative insertion writes and confirms each row on its own: 100 000 due steps among
/// 1 000 000 enrollments took 980 ms with it and 870 ms with the lookup (eight interleaved
/// runs each; the bare `INSERT … SELECT` took 575 ms). The unique key still guards: a job
/// with the same key committed while the batch ran makes the batch fail with a unique
/// violation, and the batch runs again with `ON CONFLICT`, which skips that key.
public struct SchedulerStore: Sendable {
    /// `$1` due steps into the queue, each unless its key is already there; `conflict` is
    /// how a key that appears meanwhile is handled (nothing, or `ON CONFLICT DO NOTHING`).
    static func tick(conflict: String) -> String {
        """
        WITH picked AS MATERIALIZED (
            SELECT ARRAY(SELECT ctid FROM outreach_due WHERE run_at <= now() ORDER BY run_at LIMIT $1) AS ctids
        ), taken AS (
            DELETE FROM outreach_due d
             WHERE d.ctid = ANY ((SELECT ctids FROM picked)::tid[])
               AND d.run_at <= now()
            RETURNING d.enrollment_id, d.workspace_id, d.step
        ), ins AS (
            INSERT INTO outreach_jobs (workspace_id, kind, dedupe_key, enrollment_id, step_position)
            SELECT t.workspace_id, 'step', k.key, t.enrollment_id, t.step
              FROM taken t CROSS JOIN LATERAL (SELECT 'step:' || t.enrollment_id || ':' || t.step AS key) k
             WHERE NOT EXISTS (SELECT 1 FROM outreach_jobs j WHERE j.dedupe_key = k.key)
            \(conflict)
            RETURNING workspace_id
        ), ws AS (
            INSERT INTO outreach_queue_workspaces (workspace_id)
            SELECT DISTINCT workspace_id FROM ins
            ON CONFLICT DO NOTHING
        )
        SELECT (SELECT cardinality(ctids) FROM picked)::int AS picked, (SELECT count(*) FROM ins)::int AS enqueued
        """
    }

    static let tickLookingUp = tick(conflict: "")
    static let tickOnConflict = tick(conflict: "ON CONFLICT (dedupe_key) DO NOTHING")

    public init() {}

    /// One batch: how many due steps it chose (some may be taken by another scheduler first)
    /// and how many jobs it created. Runs as its own statement, outside any transaction, so
    /// that a failed first try leaves nothing.
    public func enqueueDue(limit: Int, on db: PostgresConnection) async throws -> (picked: Int, enqueued: Int) {
        let row: PostgresRow
        do {
            row = try await db.query(Self.tickLookingUp, [limit])[0]
        } catch let error as PostgresError where error.code == .uniqueViolation {
            row = try await db.query(Self.tickOnConflict, [limit])[0]
        }
        return (try row.decode("picked"), try row.decode("enqueued"))
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
            let (picked, enqueued) = try await enqueueDue(limit: limit, on: db)
            total += enqueued
            // Wake the workers for each committed batch: a big tick's first steps go out while
            // the rest are still being enqueued (workers debounce the notifications).
            if enqueued > 0 { try await db.query(JobQueue.notify, [JobQueue.channel]) }
            // The due set is drained when a batch found fewer steps than it could take. A batch
            // that came back short because another scheduler took some of its steps first says
            // nothing of what is left: ending there left due steps for the next tick, and two
            // racing ticks could both end early.
            if picked < limit { break }
            limit = min(batchSize, limit * 2)
        }
        return total
    }
}
