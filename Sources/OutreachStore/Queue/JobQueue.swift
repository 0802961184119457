import Foundation
import OutreachCore
import Postgres

/// The job queue on `outreach_jobs` (SPEC §4 "Jobs"): fair batch claims with
/// `FOR UPDATE SKIP LOCKED`, leases extended by heartbeats, a rescuer for expired leases,
/// retries with a run-at time, dead jobs kept, finished jobs deleted, `NOTIFY` on enqueue.
///
/// Every state change after the claim is conditional on (id, attempt, state = 'running'), so a
/// worker that lost its lease can never undo what the attempt that replaced it did.
public struct JobQueue: Sendable {
    /// Statements over a batch of ids select rows with `j.id = ANY($1)` and read each row's own
    /// values at `width_bucket(j.id, $1)` rather than joining `unnest(...)`: the generic plan
    /// of a prepared statement cannot know the arrays' size, and joined the batch to the
    /// running jobs row by row (completing 100 jobs took 4 ms instead of a fraction of one).
    /// `width_bucket` is a binary search, so the ids go in ascending (``sortedByID``); over an
    /// ascending array of ids it returns the index of the id itself. `array_position`, a
    /// linear search, cost 6.3 µs a row at 200 ids against 0.8 µs.
    ///
    /// The `LISTEN`/`NOTIFY` channel workers wait on.
    public static let channel = "outreach_jobs"

    /// Round-robin over workspaces that have due work, up to $1 jobs interleaved across them, so
    /// a workspace with a million due jobs does not starve the others. The workspace cursor is
    /// touched with SKIP LOCKED: two claimers never wait on each other (fairness is approximate
    /// by design; see ../shared/notes on its cost).
    ///
    /// "Has due work" is a LATERAL probe with `LIMIT 1`, one index lookup per workspace: as an
    /// `EXISTS` the planner turned it into a semi-join and, with statistics taken before a big
    /// enqueue (20 rows estimated, 15 000 there), hashed every due job on each claim (10–30 ms).
    /// For the same reason the final UPDATE takes its rows by `id = ANY (ARRAY(...))`, an index
    /// lookup, where a join to `pick` was planned as a hash join over a sequential scan of jobs.
    static let claim = """
        WITH ws AS (
            SELECT q.workspace_id FROM outreach_queue_workspaces q
            CROSS JOIN LATERAL (SELECT 1 FROM outreach_jobs j
                                WHERE j.workspace_id = q.workspace_id AND j.state = 'queued' AND j.run_at <= now()
                                LIMIT 1) due
            WHERE ($3::uuid[] IS NULL OR q.workspace_id = ANY($3::uuid[]))
            ORDER BY q.last_claimed_at
            LIMIT 16
        ), c AS (
            SELECT j.id, row_number() OVER (PARTITION BY j.workspace_id ORDER BY j.run_at, j.id) AS rn
            FROM ws CROSS JOIN LATERAL (
                SELECT id, workspace_id, run_at FROM outreach_jobs j
                WHERE j.workspace_id = ws.workspace_id AND j.state = 'queued' AND j.run_at <= now()
                ORDER BY j.run_at, j.id
                LIMIT $1
                FOR UPDATE SKIP LOCKED
            ) j
        ), pick AS (
            SELECT id FROM c ORDER BY rn, id LIMIT $1
        ), touch AS (
            UPDATE outreach_queue_workspaces q SET last_claimed_at = clock_timestamp()
            WHERE q.workspace_id IN (SELECT workspace_id FROM outreach_queue_workspaces
                                     WHERE workspace_id IN (SELECT workspace_id FROM ws)
                                     FOR UPDATE SKIP LOCKED)
        )
        UPDATE outreach_jobs j
           SET state = 'running', attempt = j.attempt + 1, locked_by = $2,
               locked_until = now() + make_interval(secs => $4)
         WHERE j.id = ANY (ARRAY(SELECT id FROM pick))
        RETURNING j.id, j.workspace_id, j.kind, j.enrollment_id, j.step_position, j.payload, j.attempt, j.max_attempts
        """

    static let enqueue = """
        WITH ins AS (
            INSERT INTO outreach_jobs (workspace_id, kind, dedupe_key, enrollment_id, step_position, payload, run_at, max_attempts)
            SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::bigint[], $5::int[], $6::jsonb[], $7::timestamptz[], $8::int[])
            ON CONFLICT (dedupe_key) DO NOTHING
            RETURNING id, workspace_id
        ), ws AS (
            INSERT INTO outreach_queue_workspaces (workspace_id)
            SELECT DISTINCT workspace_id FROM ins ON CONFLICT DO NOTHING
        )
        SELECT id FROM ins
        """

    static let heartbeat = """
        UPDATE outreach_jobs SET locked_until = now() + make_interval(secs => $3)
        WHERE id = ANY($1::bigint[]) AND locked_by = $2 AND state = 'running'
        """

    static let complete = """
        DELETE FROM outreach_jobs j
         WHERE j.id = ANY($1::bigint[]) AND j.state = 'running'
           AND j.attempt = ($2::int[])[width_bucket(j.id, $1::bigint[])]
        """

    /// Back to the queue at $3; a retry counts as an attempt, a deferral ($5 = false) does not.
    static let reschedule = """
        UPDATE outreach_jobs j
           SET state = 'queued', run_at = ($3::timestamptz[])[width_bucket(j.id, $1::bigint[])],
               locked_by = NULL, locked_until = NULL,
               attempt = CASE WHEN ($5::bool[])[width_bucket(j.id, $1::bigint[])] THEN j.attempt ELSE j.attempt - 1 END,
               last_error = coalesce(($4::text[])[width_bucket(j.id, $1::bigint[])], j.last_error)
         WHERE j.id = ANY($1::bigint[]) AND j.state = 'running'
           AND j.attempt = ($2::int[])[width_bucket(j.id, $1::bigint[])]
        """

    static let kill = """
        UPDATE outreach_jobs j SET state = 'dead', locked_by = NULL, locked_until = NULL,
               last_error = ($3::text[])[width_bucket(j.id, $1::bigint[])]
         WHERE j.id = ANY($1::bigint[]) AND j.state = 'running'
           AND j.attempt = ($2::int[])[width_bucket(j.id, $1::bigint[])]
        """

    /// Leases that expired go back to the queue; the UPDATE re-checks state and lease under the
    /// row lock, so a job finished or re-leased meanwhile is left alone.
    static let rescue = """
        WITH r AS (
            SELECT id FROM outreach_jobs WHERE state = 'running' AND locked_until < now()
            ORDER BY locked_until LIMIT 1000 FOR UPDATE SKIP LOCKED
        )
        UPDATE outreach_jobs j SET state = 'queued', locked_by = NULL, locked_until = NULL,
                                   last_error = 'lease expired (worker stopped or stalled)'
          FROM r WHERE j.id = r.id AND j.state = 'running' AND j.locked_until < now()
        RETURNING j.id
        """

    static let notify = "SELECT pg_notify($1, '')"

    public init() {}

    /// Claims up to `limit` due jobs for `worker`, leased for `lease`.
    public func claim(limit: Int, worker: String, lease: Duration, pilotWorkspaces: [UUID]?,
                      on db: PostgresConnection) async throws -> [Job] {
        let pilot: [UUID]? = pilotWorkspaces
        return try await db.query(Self.claim, [limit, worker, pilot, lease.inSeconds]).map(Job.init(row:))
    }

    /// Enqueues jobs (a dedupe key already present is a no-op) and wakes the workers; returns
    /// the ids of the jobs actually created.
    @discardableResult
    public func enqueue(_ jobs: [NewJob], maxAttempts: Int = 8, notify: Bool = true, on db: PostgresConnection) async throws -> [Int64] {
        guard !jobs.isEmpty else { return [] }
        let rows = try await db.query(Self.enqueue, [
            jobs.map(\.workspaceID), jobs.map(\.kind.rawValue), jobs.map(\.dedupeKey), jobs.map(\.enrollmentID),
            jobs.map(\.stepPosition), jobs.map(\.payload), jobs.map { $0.runAt ?? Date() },
            Array(repeating: maxAttempts, count: jobs.count),
        ] as [any PostgresEncodable])
        if notify, !rows.isEmpty { try await db.query(Self.notify, [Self.channel]) }
        return try rows.map { try $0.decode("id") }
    }

    public func heartbeat(_ ids: [Int64], worker: String, lease: Duration, on db: PostgresConnection) async throws {
        guard !ids.isEmpty else { return }
        try await db.query(Self.heartbeat, [ids, worker, lease.inSeconds] as [any PostgresEncodable])
    }

    /// Deletes finished jobs; returns how many were still this attempt's to finish.
    @discardableResult
    public func complete(_ leases: [JobLease], on db: PostgresConnection) async throws -> Int {
        guard !leases.isEmpty else { return 0 }
        let leases = leases.sortedByID(\.id)
        return try await db.execute(Self.complete, [leases.map(\.id), leases.map(\.attempt)] as [any PostgresEncodable])
    }

    /// One rescheduled job: when it runs next, why, and whether the attempt counts.
    public struct Reschedule: Sendable {
        public var lease: JobLease
        public var runAt: Date
        public var error: String?
        public var countsAsAttempt: Bool

        public init(lease: JobLease, runAt: Date, error: String?, countsAsAttempt: Bool) {
            self.lease = lease
            self.runAt = runAt
            self.error = error
            self.countsAsAttempt = countsAsAttempt
        }
    }

    @discardableResult
    public func reschedule(_ items: [Reschedule], on db: PostgresConnection) async throws -> Int {
        guard !items.isEmpty else { return 0 }
        let items = items.sortedByID(\.lease.id)
        return try await db.execute(Self.reschedule, [
            items.map(\.lease.id), items.map(\.lease.attempt), items.map(\.runAt), items.map(\.error),
            items.map(\.countsAsAttempt),
        ] as [any PostgresEncodable])
    }

    /// Returns jobs to the queue unchanged (shutdown, kill switch): the attempt does not count.
    @discardableResult
    public func release(_ leases: [JobLease], on db: PostgresConnection) async throws -> Int {
        try await reschedule(leases.map { Reschedule(lease: $0, runAt: Date(), error: nil, countsAsAttempt: false) }, on: db)
    }

    /// Marks jobs dead: kept and visible, never run again.
    @discardableResult
    public func kill(_ leases: [JobLease], errors: [String], on db: PostgresConnection) async throws -> Int {
        guard !leases.isEmpty else { return 0 }
        let sorted = zip(leases, errors).map { (lease: $0, error: $1) }.sortedByID(\.lease.id)
        return try await db.execute(Self.kill, [sorted.map(\.lease.id), sorted.map(\.lease.attempt), sorted.map(\.error)]
                                    as [any PostgresEncodable])
    }

    /// Returns expired leases to the queue; the ids it returned.
    public func rescueExpired(on db: PostgresConnection) async throws -> [Int64] {
        try await db.query(Self.rescue).map { try $0.decode("id") }
    }
}
