import Foundation
import OutreachStore
import Postgres
import Testing
import TestSupport

/// Executions and cool-downs name their workspace without a foreign key (migration 0010): the
/// worker holds the workspace row once per batch instead, and deleting a workspace erases them.
@Suite struct WorkspaceGuardTests {
    static let insertExecution = """
        INSERT INTO outreach_executions (workspace_id, entity_type, entity_id, channel, idempotency_key, status, provider_message_id)
        VALUES ($1, 'lead', '1', 'email', $2, 'sent', $2)
        """
    static let insertCooldown = """
        INSERT INTO outreach_cooldowns (workspace_id, entity_type, entity_id, channel, last_sent_at) VALUES ($1, 'lead', '1', 'email', now())
        """
    static let rows = """
        SELECT (SELECT count(*) FROM outreach_executions)::int AS executions, (SELECT count(*) FROM outreach_cooldowns)::int AS cooldowns,
               (SELECT count(*) FROM outreach_provider_messages)::int AS provider_ids,
               (SELECT count(*) FROM outreach_execution_events)::int AS events
        """

    func counts(_ db: PostgresConnection) async throws -> [Int] {
        let row = try await db.query(Self.rows)[0]
        return try ["executions", "cooldowns", "provider_ids", "events"].map { try row.decode($0, as: Int.self) }
    }

    @Test("deleting a workspace erases its executions, their provider ids and events, and its cool-downs; others stay")
    func deletingAWorkspaceErasesItsSendRows() async throws {
        try await withMigratedDatabase { db in
            var workspaces: [UUID] = []
            for name in ["gone", "kept"] {
                let ws: UUID = try await db.query("INSERT INTO outreach_workspaces (name) VALUES ($1) RETURNING id", [name])[0].decode("id")
                try await db.query(Self.insertExecution, [ws, "re_\(name)"] as [any PostgresEncodable])
                try await db.query(Self.insertCooldown, [ws])
                try await db.query("""
                    INSERT INTO outreach_execution_events (workspace_id, execution_id, status)
                    SELECT workspace_id, id, 'delivered' FROM outreach_executions WHERE workspace_id = $1
                    """, [ws])
                workspaces.append(ws)
            }
            #expect(try await counts(db) == [2, 2, 2, 2])
            try await db.query("DELETE FROM outreach_workspaces WHERE id = $1", [workspaces[0]])
            #expect(try await counts(db) == [1, 1, 1, 1])
            let left: UUID = try await db.query("SELECT workspace_id FROM outreach_executions")[0].decode("workspace_id")
            #expect(left == workspaces[1])
        }
    }

    @Test("holding workspaces returns those that exist; a delete waits for the holder and then erases what it wrote")
    func aDeleteWaitsForTheBatchHoldingItsWorkspace() async throws {
        try await withMigratedDatabase { db, url in
            let ws: UUID = try await db.query("INSERT INTO outreach_workspaces (name) VALUES ('w') RETURNING id")[0].decode("id")
            let ledger = SendLedger()
            #expect(try await ledger.holdWorkspaces([ws, UUID()], on: db) == [ws], "a workspace that does not exist is not held")

            try await db.query("BEGIN")
            #expect(try await ledger.holdWorkspaces([ws], on: db) == [ws])
            let deleter = try await PostgresConnection.connect(url)
            defer { deleter.close() }
            async let deleted = deleter.execute("DELETE FROM outreach_workspaces WHERE id = $1", [ws])
            let waiting = try await db.lockWaits(statementPrefix: "DELETE FROM outreach_workspaces")
            #expect(waiting == 1, "the delete waits for the transaction holding the workspace")
            // Written while held, as the worker's prepare transaction does.
            try await db.query(Self.insertExecution, [ws, "re_1"] as [any PostgresEncodable])
            try await db.query(Self.insertCooldown, [ws])
            try await db.query("COMMIT")

            #expect(try await deleted == 1)
            #expect(try await counts(db) == [0, 0, 0, 0])
            #expect(try await ledger.holdWorkspaces([ws], on: db).isEmpty)
        }
    }
}
