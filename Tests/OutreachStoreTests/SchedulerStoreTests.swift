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
            let ws: UUID = try await db.query("INSERT INTO outreach_workspaces (name) VALUES ('t') RETURNING id")[0].decode("id")
            let seq: Int64 = try await db.query("INSERT INTO outreach_sequences (workspace_id, name) VALUES ($1, 's') RETURNING id",
                                                [ws])[0].decode("id")
            try await db.query("INSERT INTO outreach_contacts (workspace_id, entity_type, entity_id) SELECT $1, 'lead', g::text FROM generate_series(1, 60) g",
                               [ws])
            try await db.query("""
                INSERT INTO outreach_enrollments (workspace_id, sequence_id, contact_id, entity_type, entity_id, next_run_at)
                SELECT workspace_id, $2, id, entity_type, entity_id,
                       CASE WHEN entity_id::int <= 50 THEN now() - interval '1 minute' ELSE now() + interval '1 day' END
                FROM outreach_contacts WHERE workspace_id = $1
                """, [ws, seq] as [any PostgresEncodable])

            #expect(try await SchedulerStore().tick(batchSize: 7, on: db) == 50)
            let jobs = try await db.query("SELECT count(*)::int AS n, count(DISTINCT dedupe_key)::int AS keys FROM outreach_jobs")[0]
            #expect(try jobs.decode("n", as: Int.self) == 50 && jobs.decode("keys", as: Int.self) == 50)
            let left: Int = try await db.query("SELECT count(*)::int AS n FROM outreach_due")[0].decode("n")
            #expect(left == 10, "the steps due tomorrow stay in the due set")
            #expect(try await SchedulerStore().tick(batchSize: 7, on: db) == 0)
        }
    }
}
