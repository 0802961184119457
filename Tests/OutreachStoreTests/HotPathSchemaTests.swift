import Foundation
import OutreachStore
import Postgres
import Testing
import TestSupport

/// The denormalised pieces of migration 0003 stay equal to what they mirror, whoever writes.
@Suite struct HotPathSchemaTests {
    static let providerRows = """
        SELECT coalesce(string_agg(channel || ':' || provider_message_id, ',' ORDER BY provider_message_id), '') AS ids
        FROM outreach_provider_messages
        """

    @Test("provider message ids follow every insert, update and delete of an execution")
    func providerIDsFollowExecutions() async throws {
        try await withMigratedDatabase { db in
            let ws: UUID = try await db.query("INSERT INTO outreach_workspaces (name) VALUES ('p') RETURNING id")[0].decode("id")
            let insert = """
                INSERT INTO outreach_executions (workspace_id, entity_type, entity_id, channel, idempotency_key, status, provider_message_id)
                VALUES ($1, 'lead', $2, 'email', $2, $3, $4) RETURNING id
                """
            let sent: Int64 = try await db.query(insert, [ws, "a", "sent", "re_1"] as [any PostgresEncodable])[0].decode("id")
            let sending: Int64 = try await db.query(insert, [ws, "b", "sending", String?.none] as [any PostgresEncodable])[0].decode("id")
            #expect(try await db.query(Self.providerRows)[0].decode("ids", as: String.self) == "email:re_1")

            // The worker's outcome sets the id later, through an upsert.
            try await db.query("UPDATE outreach_executions SET status = 'sent', provider_message_id = 're_2' WHERE id = $1", [sending])
            #expect(try await db.query(Self.providerRows)[0].decode("ids", as: String.self) == "email:re_1,email:re_2")
            let found = try await db.query("""
                SELECT e.id FROM outreach_provider_messages p JOIN outreach_executions e ON e.id = p.execution_id
                WHERE p.channel = 'email' AND p.provider_message_id = 're_2'
                """)
            #expect(try found.map { try $0.decode("id", as: Int64.self) } == [sending])

            try await db.query("DELETE FROM outreach_executions WHERE id = $1", [sent])
            #expect(try await db.query(Self.providerRows)[0].decode("ids", as: String.self) == "email:re_2")
        }
    }

    /// Migration 0007: identifiers compare as bytes. Columns that queries compare with one
    /// another must share one collation, or PostgreSQL refuses the comparison; so every text
    /// column with an identifier's name is "C", in tables added later as well.
    @Test("identifier columns use the C collation, all of them")
    func identifiersCompareAsBytes() async throws {
        try await withMigratedDatabase { db in
            let rows = try await db.query("""
                SELECT table_name || '.' || column_name AS name, coalesce(collation_name, 'default') AS collation
                  FROM information_schema.columns
                 WHERE table_schema = current_schema() AND table_name LIKE 'outreach\\_%' AND data_type = 'text'
                   AND (column_name IN ('entity_type', 'entity_id', 'channel', 'template_name', 'idempotency_key',
                                        'dedupe_key', 'provider_message_id', 'account')
                        OR (table_name = 'outreach_templates' AND column_name = 'name'))
                 ORDER BY 1
                """)
            let collations = try rows.map { (try $0.decode("name", as: String.self), try $0.decode("collation", as: String.self)) }
            #expect(collations.count >= 25)
            #expect(collations.filter { $0.1 != "C" }.map(\.0) == [])
            // A join across tables on identifiers plans and runs (a mixed collation would not).
            _ = try await db.query("""
                SELECT 1 FROM outreach_sequence_steps st
                JOIN outreach_templates t ON t.name = st.template_name AND t.channel = st.channel
                JOIN outreach_consent c ON c.channel = st.channel
                JOIN outreach_cooldowns d ON d.entity_type = c.entity_type AND d.entity_id = c.entity_id AND d.channel = c.channel
                JOIN outreach_executions x ON x.channel = d.channel AND x.template_name = t.name
                """)
        }
    }

    @Test("the due set follows enrollment updates: advanced, paused, resumed, completed")
    func dueSetFollowsEnrollments() async throws {
        try await withMigratedDatabase { db in
            let (ws, seq) = try await insertWorkspaceAndSequence("d", on: db)
            let contact: Int64 = try await db.query("""
                INSERT INTO outreach_contacts (workspace_id, entity_type, entity_id, name) VALUES ($1, 'lead', '1', 'A') RETURNING id
                """, [ws])[0].decode("id")
            let enrollment: Int64 = try await db.query("""
                INSERT INTO outreach_enrollments (workspace_id, sequence_id, contact_id, entity_type, entity_id, next_run_at)
                VALUES ($1, $2, $3, 'lead', '1', now()) RETURNING id
                """, [ws, seq, contact] as [any PostgresEncodable])[0].decode("id")
            func due() async throws -> String {
                try await db.query("""
                    SELECT coalesce(string_agg(step::text, ','), '-') AS s FROM outreach_due WHERE enrollment_id = $1
                    """, [enrollment])[0].decode("s")
            }
            #expect(try await due() == "1")
            try await db.query("UPDATE outreach_enrollments SET current_step = 2, next_run_at = now() + interval '1 day' WHERE id = $1",
                               [enrollment])
            #expect(try await due() == "2")
            try await db.query("UPDATE outreach_enrollments SET status = 'paused' WHERE id = $1", [enrollment])
            #expect(try await due() == "-")
            try await db.query("UPDATE outreach_enrollments SET status = 'active' WHERE id = $1", [enrollment])
            #expect(try await due() == "2")
            try await db.query("UPDATE outreach_enrollments SET status = 'completed', next_run_at = NULL WHERE id = $1", [enrollment])
            #expect(try await due() == "-")
        }
    }
}
