import Foundation
import OutreachStore
import Postgres
import Testing
import TestSupport

/// The tick drains the due set in batches, each step once, and leaves what is not due.
@Suite struct SchedulerStoreTests {
    @Test("a tick in batches of 7 enqueues all 50 due steps once and none of the 10 later ones")
    func tickDrainsTheDueSetInBatches() async throws {
        try await withMigratedDatabase { db in
            try await seedEnrollments(due: 50, later: 10, on: db)

            #expect(try await SchedulerStore().tick(batchSize: 7, on: db) == 50)
            #expect(try await queued(on: db) == (jobs: 50, keys: 50))
            #expect(try await dueSteps(on: db) == 10, "the steps due tomorrow stay in the due set")
            #expect(try await SchedulerStore().tick(batchSize: 7, on: db) == 0)
        }
    }

    /// Each batch commits on its own, so the jobs of one batch share a transaction id: that is
    /// how the test sees the batch sizes.
    @Test("a tick starts with a small batch and doubles it up to the batch size: 5, 10, 20, then the last 15")
    func tickStartsSmallAndDoubles() async throws {
        try await withMigratedDatabase { db in
            try await seedEnrollments(due: 50, later: 0, on: db)

            #expect(try await SchedulerStore().tick(batchSize: 20, firstBatch: 5, on: db) == 50)
            let sizes: [Int] = try await db.query("""
                SELECT count(*)::int AS n FROM outreach_jobs GROUP BY xmin::text::bigint ORDER BY min(id)
                """).map { try $0.decode("n") }
            #expect(sizes == [5, 10, 20, 15])
        }
    }

    /// The tick deletes its batch by row address: two schedulers racing over one due set must
    /// still enqueue every step exactly once (SPEC §4, idempotent per enrollment and step).
    @Test("two schedulers ticking at once over 2 000 due steps enqueue each exactly once and leave nothing due")
    func concurrentTicksEnqueueEachStepOnce() async throws {
        try await withMigratedDatabase { db, url in
            try await seedEnrollments(due: 2_000, later: 0, on: db)
            let other = try await PostgresConnection.connect(url)
            defer { other.close() }
            // Small first batches that double, as the scheduler command runs them, so the race
            // covers batches of every size.
            async let first = SchedulerStore().tick(batchSize: 200, firstBatch: 10, on: db)
            async let second = SchedulerStore().tick(batchSize: 200, firstBatch: 10, on: other)
            let (a, b) = try await (first, second)
            // A batch that comes back short because the other took some of its steps does not
            // end a tick: together they drain the due set.
            #expect(a + b == 2_000)
            #expect(try await SchedulerStore().tick(batchSize: 50, on: db) == 0)
            #expect(try await queued(on: db) == (jobs: 2_000, keys: 2_000))
            #expect(try await dueSteps(on: db) == 0)
        }
    }

    /// Pausing and resuming puts a step back in the due set while its job may still be queued.
    @Test("a step due again while its job is still queued is not enqueued a second time")
    func aQueuedStepIsNotEnqueuedAgain() async throws {
        try await withMigratedDatabase { db in
            try await seedEnrollments(due: 3, later: 0, on: db)
            #expect(try await SchedulerStore().tick(on: db) == 3)
            try await db.query("UPDATE outreach_enrollments SET status = 'paused'")
            try await db.query("UPDATE outreach_enrollments SET status = 'active', next_run_at = now() - interval '1 minute'")
            #expect(try await dueSteps(on: db) == 3, "resuming made the steps due again")

            #expect(try await SchedulerStore().tick(on: db) == 0)
            #expect(try await queued(on: db).jobs == 3)
            #expect(try await dueSteps(on: db) == 0, "the steps left the due set: their jobs are queued")
        }
    }

    /// The lookup cannot see a job that another transaction has inserted but not committed; the
    /// unique key makes the batch wait for it and then fail, and the batch runs again.
    @Test("a job with the same key committed while the batch runs: the batch is redone and skips that step")
    func aKeyCommittedMeanwhileRedoesTheBatch() async throws {
        try await withMigratedDatabase { db, url in
            try await seedEnrollments(due: 5, later: 0, on: db)
            let (ws, enrollment): (UUID, Int64) = try await {
                let row = try await db.query("SELECT workspace_id, min(id) AS id FROM outreach_enrollments GROUP BY workspace_id")[0]
                return (try row.decode("workspace_id"), try row.decode("id"))
            }()
            let other = try await PostgresConnection.connect(url)
            defer { other.close() }
            try await other.query("BEGIN")
            try await other.query("""
                INSERT INTO outreach_jobs (workspace_id, kind, dedupe_key, enrollment_id, step_position)
                VALUES ($1, 'step', 'step:' || $2::bigint || ':1', $2::bigint, 1)
                """, [ws, enrollment] as [any PostgresEncodable])

            async let ticked = SchedulerStore().tick(on: db)
            // The tick waits on the uncommitted key before the other transaction commits.
            let waiting = try await other.lockWaits(statementPrefix: "WITH picked AS")
            #expect(waiting == 1, "the tick waited for the other transaction's key")
            try await other.query("COMMIT")

            #expect(try await ticked == 4)
            #expect(try await queued(on: db) == (jobs: 5, keys: 5))
            #expect(try await dueSteps(on: db) == 0)
        }
    }

    /// A tick used to end at the first batch that took fewer steps than its limit, although
    /// the steps it missed had only been taken by someone else: the rest stayed due until the
    /// next tick (two schedulers racing in the end-to-end suite left 1 000 of 3 000 behind).
    @Test("a batch that finds some of its steps taken by another transaction does not end the tick")
    func aBatchCutShortByAnotherTickDoesNotEndTheTick() async throws {
        try await withMigratedDatabase { db, url in
            try await seedEnrollments(due: 40, later: 0, on: db)
            let other = try await PostgresConnection.connect(url)
            defer { other.close() }
            // Another scheduler holds the 10 earliest due steps, as its own batch would.
            try await other.query("BEGIN")
            try await other.query("""
                DELETE FROM outreach_due
                 WHERE ctid = ANY (ARRAY(SELECT ctid FROM outreach_due WHERE run_at <= now() ORDER BY run_at LIMIT 10))
                """)
            // A batch of 20 chooses those 10 and the next 10, and waits for the other's locks.
            async let ticked = SchedulerStore().tick(batchSize: 20, firstBatch: 20, on: db)
            let waiting = try await other.lockWaits(statementPrefix: "WITH picked AS")
            #expect(waiting == 1, "the tick waited for the other transaction's rows")
            try await other.query("COMMIT")

            // The first batch takes 10 of its 20; the tick goes on and takes the last 20.
            #expect(try await ticked == 30)
            #expect(try await dueSteps(on: db) == 0)
        }
    }

    /// The jobs in the queue and their distinct keys: equal when no step was enqueued twice.
    private func queued(on db: PostgresConnection) async throws -> (jobs: Int, keys: Int) {
        let row = try await db.query("SELECT count(*)::int AS n, count(DISTINCT dedupe_key)::int AS keys FROM outreach_jobs")[0]
        return (try row.decode("n"), try row.decode("keys"))
    }

    /// The steps still in the due set.
    private func dueSteps(on db: PostgresConnection) async throws -> Int {
        try await db.query("SELECT count(*)::int AS n FROM outreach_due")[0].decode("n")
    }

    /// `due` enrollments due a minute ago and `later` ones due tomorrow.
    private func seedEnrollments(due: Int, later: Int, on db: PostgresConnection) async throws {
        let (ws, seq) = try await insertWorkspaceAndSequence("t", on: db)
        try await db.query("""
            INSERT INTO outreach_contacts (workspace_id, entity_type, entity_id) SELECT $1, 'lead', g::text FROM generate_series(1, $2::int) g
            """, [ws, due + later] as [any PostgresEncodable])
        try await db.query("""
            INSERT INTO outreach_enrollments (workspace_id, sequence_id, contact_id, entity_type, entity_id, next_run_at)
            SELECT workspace_id, $2, id, entity_type, entity_id,
                   CASE WHEN entity_id::int <= $3 THEN now() - interval '1 minute' ELSE now() + interval '1 day' END
            FROM outreach_contacts WHERE workspace_id = $1
            """, [ws, seq, due] as [any PostgresEncodable])
    }
}
