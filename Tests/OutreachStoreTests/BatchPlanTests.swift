import Foundation
import OutreachCore
@testable import OutreachStore
import Postgres
import Testing
import TestSupport

/// The worker's batch statements read about the batch, whatever the planner believes about the
/// tables they look into: a plan that hashes a whole table costs every batch its full size.
@Suite struct BatchPlanTests {
    /// One workspace with a one-step email sequence and `count` contacts, each consenting and
    /// enrolled; analysed, so the planner knows the tables are compact and mid-sized.
    func seed(_ db: PostgresConnection, count: Int = 20_000) async throws {
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
                SELECT $1, 'lead', g::text, 'p' || g || '@example.com' FROM generate_series(1, $3::int) g
                RETURNING id, workspace_id, entity_type, entity_id
            ), k AS (
                INSERT INTO outreach_consent (workspace_id, entity_type, entity_id, channel, status)
                SELECT workspace_id, entity_type, entity_id, 'email', 'granted' FROM c
            )
            INSERT INTO outreach_enrollments (workspace_id, sequence_id, contact_id, entity_type, entity_id, next_run_at)
            SELECT workspace_id, $2, id, entity_type, entity_id, now() FROM c
            """, [ws, sequence, count] as [any PostgresEncodable])
        try await db.query("VACUUM ANALYZE")
    }

    /// Rows of each table that `sql` read, from EXPLAIN ANALYZE in JSON.
    func rowsRead(_ sql: String, _ binds: [any PostgresEncodable], tables: [String], on db: PostgresConnection)
        async throws -> (read: [String: Int], plan: String) {
        let plan: String = try await db.query("EXPLAIN (ANALYZE, FORMAT JSON) " + sql, binds)[0].decode(0)
        let json = try JSONSerialization.jsonObject(with: Data(plan.utf8))
        return (Dictionary(uniqueKeysWithValues: tables.map { ($0, ClaimPlanTests.rowsRead(from: $0, in: json)) }), plan)
    }

    /// With the costs of a disk-bound server (`random_page_cost = 8`; a bloated index does the
    /// same at the default 4) the join form of the context query hashed whole tables for
    /// every batch rather than probe 200 keys.
    @Test("loading 200 jobs reads 200 enrollments, contacts and consents, not the tables")
    func loadProbesTheBatch() async throws {
        try await withMigratedDatabase { db in
            try await seed(db)
            try await db.query("SET random_page_cost = 8")
            _ = try await SchedulerStore().tick(on: db)
            let jobs = try await JobQueue().claim(limit: 200, worker: "plan-test", lease: .seconds(60), pilotWorkspaces: nil, on: db)
            #expect(jobs.count == 200)

            let tables = ["outreach_enrollments", "outreach_contacts", "outreach_consent"]
            let (read, plan) = try await rowsRead(SendContextStore.load, SendContextStore.binds(jobs), tables: tables, on: db)
            for table in tables {
                #expect(read[table] == 200, "the load read \(read[table] ?? 0) rows of \(table) for 200 jobs: \(plan)")
            }
            #expect(try await SendContextStore().load(jobs, on: db).filter { $0.consent == .granted && $0.email != nil }.count == 200)
        }
    }

    /// At default costs, the advance joined to itself (to compute each row's position once)
    /// was planned as a hash join over the whole enrollments table.
    @Test("advancing 200 enrollments reads those 200, not the table")
    func advanceProbesTheBatch() async throws {
        try await withMigratedDatabase { db in
            try await seed(db)
            let ids: [Int64] = try await db.query("SELECT id FROM outreach_enrollments ORDER BY id LIMIT 200 OFFSET 5000")
                .map { try $0.decode("id") }
            let items = ids.map { SendLedger.Advance(enrollmentID: $0, version: 1, step: 1, nextDelay: nil) }
            try await db.query("BEGIN")
            let (read, plan) = try await rowsRead(SendLedger.advance, SendLedger.binds(items), tables: ["outreach_enrollments"], on: db)
            try await db.query("ROLLBACK")
            let enrollments = read["outreach_enrollments"] ?? 0
            #expect(enrollments <= 400, "the advance read \(enrollments) enrollments for 200: \(plan)")

            try await SendLedger().advance(items, on: db)
            let completed: Int = try await db.query("SELECT count(*)::int AS n FROM outreach_enrollments WHERE status = 'completed'")[0]
                .decode("n")
            #expect(completed == 200)
        }
    }

    /// Joined to the batch's keys, the cool-down lookups hashed (or scanned) the whole table of
    /// slots, one per contact and channel ever sent to.
    @Test("the cool-down ends and refunds of 200 keys read those 200 slots, not the table")
    func cooldownStatementsProbeTheBatch() async throws {
        try await withMigratedDatabase { db in
            try await seed(db)
            let ws: UUID = try await db.query("SELECT id FROM outreach_workspaces")[0].decode("id")
            let taken = Date(timeIntervalSince1970: 2_000_000_000)
            try await db.query("""
                INSERT INTO outreach_cooldowns (workspace_id, entity_type, entity_id, channel, last_sent_at)
                SELECT workspace_id, entity_type, entity_id, 'email', $1 FROM outreach_contacts
                """, [taken])
            try await db.query("VACUUM ANALYZE outreach_cooldowns")
            let keys = (5_001...5_200).map {
                SendLedger.CooldownKey(workspaceID: ws, entity: EntityRef(type: .lead, id: String($0)), channel: .email)
            }.sorted()

            let (ends, endsPlan) = try await rowsRead(SendLedger.cooldownEnds, SendLedger.binds(keys),
                                                      tables: ["outreach_cooldowns"], on: db)
            #expect(ends["outreach_cooldowns"] == 200, "the cool-down ends read \(ends["outreach_cooldowns"] ?? 0) slots: \(endsPlan)")

            try await db.query("BEGIN")
            let (refunds, refundPlan) = try await rowsRead(SendLedger.refundCooldown, SendLedger.binds(keys) + [taken],
                                                           tables: ["outreach_cooldowns"], on: db)
            try await db.query("ROLLBACK")
            let read = refunds["outreach_cooldowns"] ?? 0
            #expect(read <= 400, "the refund read \(read) slots for 200: \(refundPlan)")

            let blocked = try await SendLedger().reserveCooldowns(keys, at: taken.addingTimeInterval(3_600), on: db)
            #expect(blocked.granted.isEmpty && blocked.blockedUntil.count == 200)
            try await SendLedger().refundCooldowns(keys, reservedAt: taken, on: db)
            let left: Int = try await db.query("SELECT count(*)::int AS n FROM outreach_cooldowns")[0].decode("n")
            #expect(left == 19_800)
        }
    }
}
