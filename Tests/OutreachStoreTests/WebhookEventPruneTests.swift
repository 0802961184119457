import OutreachStore
import Postgres
import Testing

/// Webhook event ids are kept for dedupe for the retention, then forgotten in bounded batches.
@Suite struct WebhookEventPruneTests {
    @Test func forgetsOnlyIdsOlderThanTheRetentionAtMostLimitAtATime() async throws {
        try await withMigratedDatabase { db in
            try await db.execute("""
                INSERT INTO outreach_webhook_events (provider, event_id, received_at)
                SELECT 'resend', 'old-' || g, now() - interval '31 days' - g * interval '1 minute' FROM generate_series(1, 5) g
                UNION ALL
                SELECT 'meta', 'recent-' || g, now() - interval '7 days' FROM generate_series(1, 3) g
                """)
            let store = WebhookEventStore()
            // Oldest first, at most the limit.
            #expect(try await store.prune(olderThan: WebhookEventStore.defaultRetention, limit: 2, on: db) == 2)
            let left: [String] = try await db.query("SELECT event_id FROM outreach_webhook_events ORDER BY event_id")
                .map { try $0.decode("event_id") }
            #expect(left == ["old-1", "old-2", "old-3", "recent-1", "recent-2", "recent-3"])
            #expect(try await store.prune(olderThan: WebhookEventStore.defaultRetention, on: db) == 3)
            #expect(try await store.prune(olderThan: WebhookEventStore.defaultRetention, on: db) == 0)
            // A claim after pruning is a first delivery again; within the retention a duplicate.
            let (forgotten, remembered) = try await db.transaction { tx in
                (try await store.claim(provider: "resend", eventID: "old-1", on: tx),
                 try await store.claim(provider: "meta", eventID: "recent-1", on: tx))
            }
            #expect(forgotten)
            #expect(!remembered)
        }
    }
}
