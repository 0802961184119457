import OutreachCore
import ArgumentParser
import Foundation
import OutreachStore
import Postgres

/// `outreach bench scheduler --enrollments N --due M`: one scheduler tick over M due steps among
/// N enrollments, against a bare `INSERT … SELECT` of the same rows into a copy of the jobs
/// table (same columns, defaults and indexes; no foreign keys), reading the same due rows.
struct BenchScheduler: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "scheduler", abstract: "Scheduler tick vs a bare INSERT … SELECT (last line: tick_s=X baseline_s=Y).")
    @Option var enrollments = 1_000_000
    @Option var due = 100_000
    @Option var batch = 50_000
    /// The tick's first batch. The scheduler command starts with 500 so that workers start early
    /// (`SchedulerStore.tick`); that is a latency choice, so this measure of the tick's
    /// throughput starts at the full batch unless asked.
    @Option(name: .customLong("first-batch")) var firstBatch: Int?

    func run() async throws {
        let db = try await PostgresConnection.connect()
        defer { db.close() }
        let ws = try await BenchSupport.workspace(db, prefix: "bench-scheduler")
        let seq: Int64 = try await db.query("INSERT INTO outreach_sequences (workspace_id, name) VALUES ($1, 'b') RETURNING id", [ws])[0].decode("id")
        try await db.query("""
            INSERT INTO outreach_sequence_steps (workspace_id, sequence_id, position, channel, template_name) VALUES ($1, $2, 1, 'email', 'b')
            """, [ws, seq])
        try await db.query("""
            INSERT INTO outreach_contacts (workspace_id, entity_type, entity_id) SELECT $1, 'lead', g::text FROM generate_series(1, $2::int) g
            """, [ws, enrollments])
        try await db.query("""
            INSERT INTO outreach_enrollments (workspace_id, sequence_id, contact_id, entity_type, entity_id, next_run_at)
            SELECT workspace_id, $2, id, entity_type, entity_id,
                   CASE WHEN row_number() OVER (ORDER BY id) <= $3 THEN now() - interval '1 minute' ELSE now() + interval '1 day' END
            FROM outreach_contacts WHERE workspace_id = $1
            """, [ws, seq, due])
        try await db.query("VACUUM ANALYZE")
        // Each timed statement starts without dirty buffers from the setup (or from the other
        // timed statement) left for it to write back: otherwise whichever runs while the
        // checkpointer catches up looks slow, and the ratio measures the checkpoint.
        try await db.query("CHECKPOINT")

        // Baseline first (it reads the same due rows the tick will take).
        try await db.query("DROP TABLE IF EXISTS bench_jobs_baseline")
        try await db.query("CREATE TABLE bench_jobs_baseline (LIKE outreach_jobs INCLUDING DEFAULTS INCLUDING INDEXES INCLUDING IDENTITY)")
        let b0 = ContinuousClock.now
        try await db.query("""
            INSERT INTO bench_jobs_baseline (workspace_id, kind, dedupe_key, enrollment_id, step_position)
            SELECT workspace_id, 'step', 'step:' || enrollment_id || ':' || step, enrollment_id, step FROM outreach_due
            WHERE run_at <= now()
            """)
        let baseline = (ContinuousClock.now - b0).inSeconds
        try await db.query("DROP TABLE bench_jobs_baseline")
        try await db.query("CHECKPOINT")

        let t0 = ContinuousClock.now
        let enqueued = try await SchedulerStore().tick(batchSize: batch, firstBatch: firstBatch ?? batch, on: db)
        let tick = (ContinuousClock.now - t0).inSeconds
        try await BenchSupport.drop(ws, on: db)
        print("enrollments=\(enrollments) due=\(due) enqueued=\(enqueued) ratio=\(String(format: "%.2f", tick / baseline))")
        print(String(format: "tick_s=%.3f baseline_s=%.3f", tick, baseline))
    }
}
