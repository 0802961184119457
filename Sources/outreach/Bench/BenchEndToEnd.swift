import OutreachCore
import ArgumentParser
import Foundation
import HTTPClient
import Postgres

/// `outreach bench e2e --sends N --workers P --latency-ms 50`: the full pipeline (scheduler,
/// workers, checks, rendering, HTTP to the sandbox, outcomes) from enqueue to the last outcome.
struct BenchEndToEnd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "e2e", abstract: "Full-pipeline sends per second (last line: sends_per_s=N).")
    @Option var sends = 20_000
    @Option var workers = 2
    @Option(name: .customLong("latency-ms")) var latencyMs = 50
    /// Sends in flight per worker, in batches of `batch`. Each batch pays a fixed database cost
    /// (two transactions, one of them a durable commit, the claim's and the context query's
    /// planning, statement triggers), so at 50 ms of provider latency 400 in batches of 200
    /// gave about a tenth more sends per second than 200 in batches of 100, and 800 in batches
    /// of 400 a tenth less PostgreSQL CPU than 400 in 200 again, measured against the sandbox's
    /// CPU on the 2-core machine (README "Performance"). With that machine running the
    /// pipeline 1.7 times as fast, 1 200 in batches of 600 gave 6 % more sends per second than
    /// 800 in 400 (better in each of seven interleaved pairs), 1 600 in 800 nothing more.
    /// Worker memory is specified at 200 in flight: `--concurrency 200 --batch 100`.
    @Option var concurrency = 1200
    @Option var batch = 600
    @Option var port = 19_191

    static let seed = """
        WITH c AS (
            INSERT INTO outreach_contacts (workspace_id, entity_type, entity_id, name, email, phone, telegram_chat_id, whatsapp_last_inbound_at)
            SELECT $1, 'lead', g::text, 'Bench ' || g, 'b' || g || '@example.com', '+39' || lpad(g::text, 9, '0'), g::text, now()
            FROM generate_series(1, $2::int) g RETURNING id, workspace_id, entity_type, entity_id
        ), k AS (
            INSERT INTO outreach_consent (workspace_id, entity_type, entity_id, channel, status)
            SELECT workspace_id, entity_type, entity_id, ch, 'granted' FROM c, unnest(ARRAY['email', 'whatsapp', 'telegram']) ch
        )
        INSERT INTO outreach_enrollments (workspace_id, sequence_id, contact_id, entity_type, entity_id, next_run_at)
        SELECT workspace_id, ($3::bigint[])[1 + id % 3], id, entity_type, entity_id, now() FROM c
        """

    static let anyJobLeft = "SELECT EXISTS (SELECT 1 FROM outreach_jobs WHERE workspace_id = $1) AS busy"

    func run() async throws {
        let db = try await PostgresConnection.connect()
        defer { db.close() }
        let ws = try await BenchSupport.workspace(db, prefix: "bench-e2e")
        try await db.query("""
            INSERT INTO outreach_channel_config (workspace_id, channel, enabled, sender)
            SELECT $1, ch, true, '{"from": "Bench <b@bench.test>", "phone_number_id": "1234567890"}'
            FROM unnest(ARRAY['email', 'whatsapp', 'telegram']) ch
            """, [ws])
        try await db.query("""
            INSERT INTO outreach_templates (workspace_id, name, channel, subject, body) VALUES
              ($1, 'm', 'email', 'Hi {{first_name}}', '<p>Hello {{name}}</p>'), ($1, 'w', 'whatsapp', NULL, 'Hello {{name}}'),
              ($1, 't', 'telegram', NULL, 'Hello <b>{{name}}</b>')
            """, [ws])
        var sequences: [Int64] = []
        for (name, channel, template) in [("e", "email", "m"), ("w", "whatsapp", "w"), ("t", "telegram", "t")] {
            let seq: Int64 = try await db.query("INSERT INTO outreach_sequences (workspace_id, name) VALUES ($1, $2) RETURNING id",
                                                [ws, name])[0].decode("id")
            try await db.query("""
                INSERT INTO outreach_sequence_steps (workspace_id, sequence_id, position, channel, template_name) VALUES ($1, $2, 1, $3, $4)
                """, [ws, seq, channel, template])
            sequences.append(seq)
        }
        try await db.query(Self.seed, [ws, sends, sequences] as [any PostgresEncodable])
        try await db.query("VACUUM ANALYZE")
        // Start clean: the setup's dirty buffers are not the pipeline's work (see bench scheduler).
        try await db.query("CHECKPOINT")

        let base = "http://127.0.0.1:\(port)"
        let sandbox = try BenchSupport.spawn(["sandbox", "--port", "\(port)", "--latency-ms", "\(latencyMs)"])
        defer { sandbox.terminate() }
        let http = HTTPClient()
        defer { http.shutdown() }
        for _ in 0..<100 {
            if (try? await http.execute(HTTPRequest(method: "DELETE", url: base + "/_sandbox/messages"))) != nil { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let env = ["RESEND_API_KEY": "re_bench", "RESEND_BASE_URL": base, "WHATSAPP_ACCESS_TOKEN": "EAAbench",
                   "WHATSAPP_BASE_URL": base, "TELEGRAM_BOT_TOKEN": "1:bench", "TELEGRAM_BASE_URL": base,
                   "OUTREACH_RATE_RESEND": "1000000", "OUTREACH_RATE_WHATSAPP": "1000000", "OUTREACH_RATE_TELEGRAM": "1000000",
                   "OUTREACH_LOG_LEVEL": ProcessInfo.processInfo.environment["OUTREACH_LOG_LEVEL"] ?? "error", "OUTREACH_POLL_MS": "100"]
        let start = ContinuousClock.now
        let tick = try BenchSupport.spawn(["scheduler", "--once"], environment: env)
        let fleet = try (0..<workers).map { i in
            try BenchSupport.spawn(["worker", "--name", "bench-\(i)", "--concurrency", "\(concurrency)", "--batch", "\(batch)"],
                                   environment: env)
        }
        await BenchSupport.wait([tick])
        var peakRSS = 0.0
        // Poll gently: the poll shares the CPU and the database with what it measures.
        while true {
            let busy: Bool = try await db.query(Self.anyJobLeft, [ws])[0].decode("busy")
            for p in fleet { peakRSS = max(peakRSS, BenchSupport.rssMB(pid: p.processIdentifier)) }
            if !busy { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        let elapsed = (ContinuousClock.now - start).inSeconds
        for p in fleet { p.terminate() }
        await BenchSupport.wait(fleet)
        let sent: Int = try await db.query("SELECT count(*)::int AS n FROM outreach_executions WHERE workspace_id = $1 AND status = 'sent'",
                                           [ws])[0].decode("n")
        try await BenchSupport.drop(ws, on: db)
        print("sent=\(sent) of \(sends) workers=\(workers) concurrency=\(concurrency) latency_ms=\(latencyMs) seconds=\(String(format: "%.2f", elapsed)) peak_worker_rss_mb=\(String(format: "%.1f", peakRSS))")
        print("sends_per_s=\(Int(Double(sent) / elapsed))")
    }
}
