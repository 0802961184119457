import Foundation
import OutreachStore
import Postgres
import Testing
import TestSupport

/// A session scoped to workspace A reads, changes and creates none of workspace B's rows, in
/// every table that has a `workspace_id` column (found from the catalog, so a new table without
/// a fixture here fails the test instead of escaping it).
@Suite struct RowLevelSecurityTests {
    static let a = UUID(uuidString: "00000000-0000-0000-0000-0000000000aa")!
    static let b = UUID(uuidString: "00000000-0000-0000-0000-0000000000bb")!

    @Test func tenantSeesAndTouchesOnlyItsOwnWorkspace() async throws {
        try await withMigratedDatabase { db in
            for ws in [Self.a, Self.b] { try await seed(ws, on: db) }

            let tables = try await db.query("""
                SELECT c.relname AS t FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
                WHERE a.attname = 'workspace_id' AND c.relkind IN ('r', 'p') AND c.relnamespace = 'public'::regnamespace
                ORDER BY 1
                """).map { try $0.decode("t", as: String.self) }
            #expect(tables.count >= 15)

            for table in tables {
                // Table names come from the catalog, not input; quote_ident makes them safe anyway.
                let seeded = try await db.query("SELECT count(*)::int AS n FROM \(table) WHERE workspace_id = $1", [Self.b])
                #expect(try seeded[0].decode("n", as: Int.self) >= 1, "no fixture row for \(table)")

                let (visible, own) = try await TenantScope.run(workspace: Self.a, on: db) { tx in
                    let other = try await tx.query("SELECT count(*)::int AS n FROM \(table) WHERE workspace_id = $1", [Self.b])
                    let mine = try await tx.query("SELECT count(*)::int AS n FROM \(table) WHERE workspace_id = $1", [Self.a])
                    return (try other[0].decode("n", as: Int.self), try mine[0].decode("n", as: Int.self))
                }
                #expect(visible == 0, "\(table): tenant A sees B's rows")
                #expect(own >= 1, "\(table): tenant A does not see its own rows")

                let updated = try await TenantScope.run(workspace: Self.a, on: db) { tx in
                    try await tx.execute("UPDATE \(table) SET workspace_id = workspace_id WHERE workspace_id = $1", [Self.b])
                }
                #expect(updated == 0, "\(table): tenant A updated B's rows")
                let deleted = try await TenantScope.run(workspace: Self.a, on: db) { tx in
                    try await tx.execute("DELETE FROM \(table) WHERE workspace_id = $1", [Self.b])
                }
                #expect(deleted == 0, "\(table): tenant A deleted B's rows")
                let after = try await db.query("SELECT count(*)::int AS n FROM \(table) WHERE workspace_id = $1", [Self.b])
                #expect(try after[0].decode("n", as: Int.self) == (try seeded[0].decode("n", as: Int.self)))
            }

            // Moving its own row into B, or writing a row for B, is refused by the policy's CHECK.
            await #expect(throws: PostgresError.self) {
                try await TenantScope.run(workspace: Self.a, on: db) { tx in
                    try await tx.execute("UPDATE outreach_contacts SET workspace_id = $1 WHERE workspace_id = $2", [Self.b, Self.a])
                }
            }
            await #expect(throws: PostgresError.self) {
                try await TenantScope.run(workspace: Self.a, on: db) { tx in
                    try await tx.execute("""
                        INSERT INTO outreach_contacts (workspace_id, entity_type, entity_id) VALUES ($1, 'lead', 'intruder')
                        """, [Self.b])
                }
            }
            // Other workspaces are invisible even in the workspace list.
            let names = try await TenantScope.run(workspace: Self.a, on: db) { tx in
                try await tx.query("SELECT id FROM outreach_workspaces").map { try $0.decode("id", as: UUID.self) }
            }
            #expect(names == [Self.a])
        }
    }

    /// One row in every workspace-scoped table.
    private func seed(_ ws: UUID, on db: PostgresConnection) async throws {
        try await db.transaction { tx in
            try await tx.query("INSERT INTO outreach_workspaces (id, name) VALUES ($1, $2)", [ws, "ws-\(ws.uuidString)"])
            let contact: Int64 = try await tx.query("""
                INSERT INTO outreach_contacts (workspace_id, entity_type, entity_id, name, email)
                VALUES ($1, 'lead', '1', 'Ana', 'ana@example.com') RETURNING id
                """, [ws])[0].decode("id")
            try await tx.query("INSERT INTO outreach_channel_config (workspace_id, channel, enabled) VALUES ($1, 'email', true)", [ws])
            try await tx.query("INSERT INTO outreach_templates (workspace_id, name, channel, subject, body) VALUES ($1, 't', 'email', 's', 'b')", [ws])
            let sequence: Int64 = try await tx.query("INSERT INTO outreach_sequences (workspace_id, name) VALUES ($1, 'seq') RETURNING id", [ws])[0].decode("id")
            try await tx.query("INSERT INTO outreach_sequence_steps (workspace_id, sequence_id, position, channel, template_name) VALUES ($1, $2, 1, 'email', 't')", [ws, sequence])
            let enrollment: Int64 = try await tx.query("""
                INSERT INTO outreach_enrollments (workspace_id, sequence_id, contact_id, entity_type, entity_id, next_run_at)
                VALUES ($1, $2, $3, 'lead', '1', now()) RETURNING id
                """, [ws, sequence, contact])[0].decode("id")
            let execution: Int64 = try await tx.query("""
                INSERT INTO outreach_executions (workspace_id, enrollment_id, contact_id, entity_type, entity_id, channel, idempotency_key,
                                                 status, provider_message_id)
                VALUES ($1, $2, $3, 'lead', '1', 'email', $4, 'sent', $4) RETURNING id
                """, [ws, enrollment, contact, "k-\(ws.uuidString)"])[0].decode("id")
            try await tx.query("INSERT INTO outreach_execution_events (workspace_id, execution_id, status) VALUES ($1, $2, 'sent')", [ws, execution])
            try await tx.query("INSERT INTO outreach_consent (workspace_id, entity_type, entity_id, channel, status) VALUES ($1, 'lead', '1', 'email', 'granted')", [ws])
            try await tx.query("INSERT INTO outreach_consent_history (workspace_id, entity_type, entity_id, channel, action, actor) VALUES ($1, 'lead', '1', 'email', 'grant', 'test')", [ws])
            try await tx.query("INSERT INTO outreach_jobs (workspace_id, kind) VALUES ($1, 'noop')", [ws])
            try await tx.query("INSERT INTO outreach_queue_workspaces (workspace_id) VALUES ($1)", [ws])
            try await tx.query("INSERT INTO outreach_daily_counters (workspace_id, channel, day, sent) VALUES ($1, 'email', current_date, 1)", [ws])
            try await tx.query("INSERT INTO outreach_cooldowns (workspace_id, entity_type, entity_id, channel, last_sent_at) VALUES ($1, 'lead', '1', 'email', now())", [ws])
            try await tx.query("INSERT INTO outreach_suppressions (workspace_id, channel, address, reason) VALUES ($1, 'email', 'x@example.com', 'manual')", [ws])
            try await tx.query("INSERT INTO outreach_webhook_events (provider, event_id, workspace_id) VALUES ('resend', $2, $1)", [ws, "evt-\(ws.uuidString)"])
            try await tx.query("INSERT INTO outreach_api_tokens (workspace_id, token_hash) VALUES ($1, $2)", [ws, "h-\(ws.uuidString)"])
        }
    }
}
