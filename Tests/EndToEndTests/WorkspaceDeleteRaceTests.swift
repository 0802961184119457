import Foundation
import OutreachCore
import OutreachStore
import Postgres
import Testing
import TestSupport

/// Executions and cool-downs have no foreign key to their workspace (migration 0010): the send
/// path holds the workspace row for the batch instead. A workspace deleted after a worker read
/// its jobs' contexts, but before that worker wrote anything, gets nothing written and nothing
/// sent. One-off sends show it: a sequence step would also be stopped by its enrollment's lock.
@Suite(.serialized) struct WorkspaceDeleteRaceTests {
    @Test func aWorkspaceDeletedBeforeTheBatchIsPreparedGetsNothingWrittenOrSent() async throws {
        let f = try await EngineFixture.start()
        let ws = try await f.seedWorkspace(contacts: 3)
        // One-off sends: no enrollment whose lock would stop them, only the workspace's.
        let sends = try (1...3).map { i in
            NewJob(workspaceID: ws, kind: .send, payload: try PostgresJSON(SendJobPayload(
                entity: EntityRef(type: .lead, id: "\(i)"), channel: .email, template: "mail", key: "once-\(i)")))
        }
        try await JobQueue().enqueue(sends, notify: false, on: f.db)
        let jobs = try await JobQueue().claim(limit: 10, worker: "holder", lease: .seconds(60), pilotWorkspaces: nil, on: f.db)
        #expect(jobs.count == 3)
        #expect(try await SendContextStore().load(jobs, on: f.db).count == 3, "each job has its context")

        // The delete has run but not committed: the worker still reads the workspace's contexts,
        // then waits on the workspace row when it holds it to write.
        let deleter = try await PostgresConnection.connect(f.url)
        defer { deleter.close() }
        try await deleter.query("BEGIN")
        #expect(try await deleter.execute("DELETE FROM outreach_workspaces WHERE id = $1", [ws]) == 1)

        async let processed: Void = f.process(jobs, as: "holder")
        let waiting = try await f.db.lockWaits(statementPrefix: "SELECT id FROM outreach_workspaces")
        #expect(waiting == 1, "the batch waits on the workspace row the delete holds")
        try await deleter.query("COMMIT")
        try await processed

        #expect(try await f.messages().isEmpty)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_executions") == 0)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_cooldowns") == 0)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_jobs") == 0, "the batch's jobs are finished")
        await f.stop()
    }
}
