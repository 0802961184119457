import Foundation
@testable import OutreachStore
import Postgres
import Testing
import TestSupport

/// The context query reads about the batch it loads, whatever the planner believes about the
/// tables it looks into.
@Suite struct SendContextPlanTests {
    /// 20 000 enrollments, contacts and consents, and the planner's costs of a disk-bound
    /// server (`random_page_cost = 8`; a bloated index does the same at the default 4): the
    /// join form of the query hashed whole tables for every batch rather than probe 200 keys.
    @Test("loading 200 jobs reads about 200 enrollments, contacts and consents, not the tables")
    func loadProbesTheBatch() async throws {
        try await withMigratedDatabase { db in
            let ws: UUID = try await db.query("INSERT INTO outreach_workspaces (name) VALUES ('plan') RETURNING id")[0].decode("id")
            let sequence: Int64 = try await db.query("INSERT INTO outreach_sequences (workspace_id, name) VALUES ($1, 's') RETURNING id",
                                                     [ws])[0].decode("id")
            try await db.query("""
                INSERT INTO outreach_sequence_steps (workspace_id, sequence_id, position, channel, template_name)
                VALUES ($1, $2, 1, 'email', 'm')
                """, [ws, sequence] as [any PostgresEncodable])
            try await db.query("""
                WITH c AS (
                    INSERT INTO outreach_contacts (workspace_id, entity_type, entity_id, email)
                    SELECT $1, 'lead', g::text, 'p' || g || '@example.com' FROM generate_series(1, 20000) g
                    RETURNING id, workspace_id, entity_type, entity_id
                ), k AS (
                    INSERT INTO outreach_consent (workspace_id, entity_type, entity_id, channel, status)
                    SELECT workspace_id, entity_type, entity_id, 'email', 'granted' FROM c
                )
                INSERT INTO outreach_enrollments (workspace_id, sequence_id, contact_id, entity_type, entity_id, next_run_at)
                SELECT workspace_id, $2, id, entity_type, entity_id, now() FROM c
                """, [ws, sequence] as [any PostgresEncodable])
            try await db.query("VACUUM ANALYZE")
            try await db.query("SET random_page_cost = 8")
            _ = try await SchedulerStore().tick(on: db)
            let jobs = try await JobQueue().claim(limit: 200, worker: "plan-test", lease: .seconds(60), pilotWorkspaces: nil, on: db)
            #expect(jobs.count == 200)

            let plan: String = try await db.query("EXPLAIN (ANALYZE, FORMAT JSON) " + SendContextStore.load,
                                                  SendContextStore.binds(jobs))[0].decode(0)
            let json = try JSONSerialization.jsonObject(with: Data(plan.utf8))
            for table in ["outreach_enrollments", "outreach_contacts", "outreach_consent"] {
                let read = ClaimPlanTests.rowsRead(from: table, in: json)
                #expect(read == 200, "the load read \(read) rows of \(table) for 200 jobs: \(plan)")
            }
            #expect(try await SendContextStore().load(jobs, on: db).filter { $0.consent == .granted && $0.email != nil }.count == 200)
        }
    }
}
