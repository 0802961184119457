import Foundation
import Hummingbird
import HummingbirdTesting
import OutreachEngine
import OutreachServer
import OutreachStore
import Postgres
import Testing

@Suite struct HealthAndMetricsTests {
    @Test func readinessFollowsMigrations() async throws {
        try await ServerFixture.with(migrate: false) { f in
            try await f.application().test(.live) { client in
                try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
                try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .serviceUnavailable) }
                // /metrics still answers (with the process's own series) before the schema exists.
                try await client.execute(uri: "/metrics", method: .get) { #expect($0.status == .ok) }
                _ = try await Migrator().migrate(on: f.db)
                try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .ok) }
            }
        }
    }

    @Test func readinessWithoutADatabaseIs503() async throws {
        let pool = PostgresPool(conninfo: "postgresql://postgres@127.0.0.1:1/none?connect_timeout=2", maxConnections: 1)
        defer { Task { await pool.close() } }
        let app = Application(router: OutreachHTTPServer.router(configuration: ServerConfiguration(), pool: pool))
        try await app.test(.router) { client in
            try await client.execute(uri: "/readyz", method: .get) { #expect($0.status == .serviceUnavailable) }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }

    @Test func metricsExposeEveryNameAndTheQueue() async throws {
        Observability.bootstrap()
        try await ServerFixture.with { f in
            try await f.db.execute("""
                INSERT INTO outreach_jobs (workspace_id, kind, run_at, dedupe_key)
                VALUES ($1, 'noop', now() - interval '90 seconds', 'a'), ($1, 'noop', now() + interval '1 hour', 'b')
                """, [f.workspace])
            try await f.db.execute("INSERT INTO outreach_jobs (workspace_id, kind, state, dedupe_key) VALUES ($1, 'noop', 'dead', 'c')", [f.workspace])
            OutreachMetrics.recordSend(channel: .email, outcome: "sent")
            OutreachMetrics.recordSafetyCheck(check: "daily_limit", outcome: "defer")
            OutreachMetrics.recordProviderLatency(channel: .whatsapp, .milliseconds(42))
            try await f.application().test(.router) { client in
                try await client.execute(uri: "/metrics", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                    let text = response.body.text
                    for name in [OutreachMetrics.Name.sends, OutreachMetrics.Name.safetyChecks, OutreachMetrics.Name.providerLatency,
                                 OutreachMetrics.Name.webhookEvents, OutreachMetrics.Name.queueDepth,
                                 OutreachMetrics.Name.oldestDueJobAge, OutreachMetrics.Name.unsubscribes] {
                        #expect(text.contains(name), "missing \(name)")
                    }
                    #expect(text.contains(#"outreach_queue_depth{state="queued"} 2"#))
                    #expect(text.contains(#"outreach_queue_depth{state="dead"} 1"#))
                    #expect(text.contains(#"outreach_queue_depth{state="running"} 0"#))
                    #expect(text.contains(#"outreach_safety_checks_total{check="daily_limit",outcome="defer"}"#))
                    #expect(text.contains(#"outreach_provider_latency_seconds_bucket{channel="whatsapp""#))
                    let age = text.split(separator: "\n").first { $0.hasPrefix("outreach_queue_oldest_due_age_seconds ") }
                        .flatMap { Double($0.split(separator: " ").last ?? "") }
                    #expect((age ?? 0) >= 90 && (age ?? 0) < 600)
                }
            }
        }
    }

    @Test func metricsApplicationForTheWorker() async throws {
        let app = OutreachHTTPServer.metricsApplication(port: 0)
        try await app.test(.live) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.body.text.contains(OutreachMetrics.Name.sends))
            }
            try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
        }
    }
}
