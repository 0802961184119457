import Foundation
import Postgres
import Testing
import TestSupport

/// `outreach scheduler --once` as a process: it also forgets expired webhook event ids.
@Suite struct SchedulerCommandTests {
    @Test func onceForgetsWebhookEventIdsPastTheRetention() async throws {
        try await TestDatabase.withDatabase { url in
            let migrated = try await OutreachProcess.run(["migrate"], environment: ["DATABASE_URL": url])
            #expect(migrated.status == 0, "\(migrated.stderr)")
            let db = try await PostgresConnection.connect(url)
            defer { db.close() }
            try await db.execute("""
                INSERT INTO outreach_webhook_events (provider, event_id, received_at) VALUES
                    ('resend', 'old', now() - interval '10 days'), ('resend', 'new', now() - interval '1 day')
                """)
            let tick = try await OutreachProcess.run(
                ["scheduler", "--once", "--json"], environment: ["DATABASE_URL": url, "OUTREACH_WEBHOOK_RETENTION_DAYS": "8"])
            #expect(tick.status == 0, "\(tick.stderr)")
            #expect(tick.stdout.contains("\"webhook_events_pruned\":1"), "\(tick.stdout)")
            let left: [String] = try await db.query("SELECT event_id FROM outreach_webhook_events").map { try $0.decode("event_id") }
            #expect(left == ["new"])
        }
    }

    @Test func aRetentionShorterThanMetasRedeliveryIsRefused() async throws {
        try await TestDatabase.withDatabase { url in
            let tick = try await OutreachProcess.run(
                ["scheduler", "--once"], environment: ["DATABASE_URL": url, "OUTREACH_WEBHOOK_RETENTION_DAYS": "3"])
            #expect(tick.status == 2)
            #expect(tick.stderr.contains("OUTREACH_WEBHOOK_RETENTION_DAYS"), "\(tick.stderr)")
        }
    }
}
