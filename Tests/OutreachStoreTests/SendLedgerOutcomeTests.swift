import Foundation
import OutreachCore
import OutreachStore
import Postgres
import Testing
import TestSupport

/// The execution rows of the send path: `sending` taken once per key, and outcomes that land on
/// that row, or make one for a job that never reached `sending`, without overwriting a status a
/// webhook moved on.
@Suite struct SendLedgerOutcomeTests {
    static let executions = """
        SELECT x.idempotency_key AS key, x.status, coalesce(x.provider_message_id, '') AS provider_id, x.sent_at IS NOT NULL AS sent,
               (SELECT count(*) FROM outreach_execution_events v WHERE v.execution_id = x.id)::int AS events
        FROM outreach_executions x ORDER BY x.idempotency_key
        """

    /// Each execution as "key status provider-id sent events".
    func executionRows(_ db: PostgresConnection) async throws -> [String] {
        try await db.query(Self.executions).map { row in
            let sent: Bool = try row.decode("sent"), events: Int = try row.decode("events")
            return "\(try row.decode("key", as: String.self)) \(try row.decode("status", as: String.self)) "
                + "\(try row.decode("provider_id", as: String.self)) \(sent) \(events)"
        }
    }

    /// Three one-off email sends to lead:1, claimed and loaded as the worker does.
    func claimedContexts(_ db: PostgresConnection) async throws -> [SendContext] {
        let ws: UUID = try await db.query("INSERT INTO outreach_workspaces (name) VALUES ('o') RETURNING id")[0].decode("id")
        try await db.query("INSERT INTO outreach_contacts (workspace_id, entity_type, entity_id, email) VALUES ($1, 'lead', '1', 'a@example.com')",
                           [ws])
        let jobs = try ["k1", "k2", "k3"].map { key in
            NewJob(workspaceID: ws, kind: .send, payload: try PostgresJSON(SendJobPayload(
                entity: EntityRef(type: .lead, id: "1"), channel: .email, template: "t", key: key)))
        }
        try await JobQueue().enqueue(jobs, notify: false, on: db)
        let claimed = try await JobQueue().claim(limit: 10, worker: "w", lease: .seconds(60), pilotWorkspaces: nil, on: db)
        return try await SendContextStore().load(claimed, on: db).sorted { $0.idempotencyKey < $1.idempotencyKey }
    }

    @Test("outcomes land on the rows marked sending; a status a webhook moved on stays")
    func outcomesOfSends() async throws {
        try await withMigratedDatabase { db in
            let ledger = SendLedger()
            let contexts = try await claimedContexts(db)
            #expect(try await ledger.markSending(contexts, on: db).keys.sorted() == ["k1", "k2", "k3"])
            // A second worker holding the same keys gets none of them.
            #expect(try await ledger.markSending(contexts, on: db).isEmpty)
            // A delivery webhook got to k3 first.
            try await db.query("UPDATE outreach_executions SET status = 'delivered' WHERE idempotency_key = 'k3'")

            try await ledger.recordOutcomes([
                .init(context: contexts[0], status: .sent, providerMessageID: "re_1"),
                .init(context: contexts[1], status: .failed, reason: "rejected", errorCode: "validation_error", errorMessage: "bad"),
                .init(context: contexts[2], status: .sent, providerMessageID: "re_3"),
            ], on: db)
            let rows = try await executionRows(db)
            #expect(rows == ["k1 sent re_1 true 0", "k2 failed  false 1", "k3 delivered  false 0"])
            let found: Int64 = try await db.query("""
                SELECT execution_id FROM outreach_provider_messages WHERE channel = 'email' AND provider_message_id = 're_1'
                """)[0].decode("execution_id")
            let k1: Int64 = try await db.query("SELECT id FROM outreach_executions WHERE idempotency_key = 'k1'")[0].decode("id")
            #expect(found == k1)
        }
    }

    @Test("outcomes carrying their row's id update that row; a row deleted meanwhile is not made again")
    func outcomesByID() async throws {
        try await withMigratedDatabase { db in
            let ledger = SendLedger()
            let contexts = try await claimedContexts(db)
            let sending = try await ledger.markSending(contexts, on: db)
            let ids = try await db.query("SELECT id, idempotency_key AS key FROM outreach_executions").map {
                (try $0.decode("key", as: String.self), try $0.decode("id", as: Int64.self))
            }
            #expect(sending == Dictionary(uniqueKeysWithValues: ids))
            try await db.query("UPDATE outreach_executions SET status = 'delivered' WHERE idempotency_key = 'k2'")
            try await db.query("DELETE FROM outreach_executions WHERE idempotency_key = 'k3'")

            // Given in descending id order: the statement finds each row's values by its id.
            try await ledger.recordOutcomes([
                .init(context: contexts[2], executionID: sending["k3"], status: .sent, providerMessageID: "re_3"),
                .init(context: contexts[1], executionID: sending["k2"], status: .sent, providerMessageID: "re_2"),
                .init(context: contexts[0], executionID: sending["k1"], status: .failed, reason: "rejected",
                      errorCode: "validation_error", errorMessage: String(repeating: "x", count: 600)),
            ], on: db)
            let rows = try await executionRows(db)
            #expect(rows == ["k1 failed  false 1", "k2 delivered  false 0"])
            let stored: Int = try await db.query(
                "SELECT length(error_message) AS n FROM outreach_executions WHERE idempotency_key = 'k1'")[0].decode("n")
            #expect(stored == 500)

            // A sent outcome by id notes its provider id for webhooks.
            let fresh = try await ledger.markSending([contexts[2]], on: db)
            try await ledger.recordOutcomes(
                [.init(context: contexts[2], executionID: fresh["k3"], status: .sent, providerMessageID: "re_9")], on: db)
            let found: Int64 = try await db.query("""
                SELECT execution_id FROM outreach_provider_messages WHERE channel = 'email' AND provider_message_id = 're_9'
                """)[0].decode("execution_id")
            #expect(found == fresh["k3"])
            #expect(try await executionRows(db) == ["k1 failed  false 1", "k2 delivered  false 0", "k3 sent re_9 true 0"])
        }
    }

    @Test("an outcome without an execution row (blocked before sending) is inserted under its key")
    func outcomesWithoutRowAreInserted() async throws {
        try await withMigratedDatabase { db in
            let contexts = try await claimedContexts(db)
            try await SendLedger().recordOutcomes(contexts.map { .init(context: $0, status: .blocked, reason: "no_consent") }, on: db)
            let rows = try await db.query(Self.executions).map {
                "\(try $0.decode("key", as: String.self)) \(try $0.decode("status", as: String.self)) \(try $0.decode("events", as: Int.self))"
            }
            #expect(rows == ["k1 blocked 1", "k2 blocked 1", "k3 blocked 1"])
        }
    }
}
