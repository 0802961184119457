import Foundation
import OutreachEngine
import Postgres
import Testing

@Suite struct DemoReportTests {
    /// The running count of the demo's progress line only goes up: a message the provider
    /// accepted stays counted when a webhook later reports it failed. The final table shows
    /// where each message ended.
    @Test func progressCountsAcceptedMessagesWhateverTheyBecame() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        try await f.db.query("""
            INSERT INTO outreach_executions (workspace_id, entity_type, entity_id, channel, idempotency_key, status, reason, sent_at)
            SELECT $1, 'lead', k, c, k, s, r, CASE WHEN a THEN now() END
              FROM (VALUES ('k1', 'whatsapp', 'sent', NULL, true), ('k2', 'whatsapp', 'failed', NULL, true),
                           ('k3', 'whatsapp', 'failed', NULL, false), ('k4', 'email', 'delivered', NULL, true),
                           ('k5', 'email', 'blocked', 'no_consent', false), ('k6', 'telegram', 'deferred', 'daily_limit', false))
                   AS v(k, c, s, r, a)
            """, [f.workspace.id])

        let progress = try await DemoReport.progress(workspace: f.workspace.id, on: f.db)
        #expect(progress["sent"] == 3)
        #expect(progress["stopped"] == 1)
        #expect(progress["deferred"] == 1)

        let rows = try await DemoReport.load(workspace: f.workspace.id, on: f.db).rows
        let whatsapp = try #require(rows.first { $0.channel == "whatsapp" })
        #expect(whatsapp.counts["sent"] == 1 && whatsapp.counts["failed"] == 2)
        let email = try #require(rows.first { $0.channel == "email" })
        #expect(email.counts["sent"] == 1 && email.counts["delivered"] == 1 && email.blockedByReason == ["no_consent": 1])
    }
}
