import Foundation
import OutreachCore
@testable import OutreachEngine
import OutreachStore
import Postgres
import Testing
import TestSupport

/// A pause that commits while a worker holds the job wins: nothing is sent after it; one that
/// arrives after the step was taken waits for it and leaves the enrollment paused.
@Suite(.serialized) struct PauseRaceTests {
    /// One contact in a two-step email sequence, its first step enqueued and claimed by a
    /// stand-in worker ("holder"), and the context that worker read.
    private func claimedFirstStep() async throws -> (EngineFixture, [Job], SendContext) {
        let f = try await EngineFixture.start()
        let ws = try await f.seedWorkspace(contacts: 1)
        let seq = try await f.seedSequence(ws, name: "e", steps: [("email", "mail", 0), ("email", "mail", 3600)])
        try await f.enrollAll(ws, sequence: seq)
        _ = try await f.run(["scheduler", "--once"])
        let jobs = try await JobQueue().claim(limit: 10, worker: "holder", lease: .seconds(60), pilotWorkspaces: nil, on: f.db)
        #expect(jobs.count == 1)
        return (f, jobs, try await SendContextStore().load(jobs, on: f.db)[0])
    }

    @Test func pauseCommittedAfterTheWorkerReadTheEnrollmentStopsTheSend() async throws {
        // A worker claims the job and reads the enrollment at version v…
        let (f, jobs, read) = try await claimedFirstStep()
        let v = try #require(read.enrollmentVersion)
        #expect(read.enrollmentStatus == .active)

        // …then a user's pause commits, itself an optimistic update on that version.
        let paused = try await f.db.execute("""
            UPDATE outreach_enrollments SET status = 'paused', version = version + 1 WHERE id = $1 AND version = $2
            """, [read.enrollmentID!, v])
        #expect(paused == 1)

        // The worker's own optimistic update on version v finds nothing: the step is not taken.
        let won = try await f.db.transaction { tx in
            try await SendLedger().lockEnrollments([(id: read.enrollmentID!, version: v)], on: tx)
        }
        #expect(won.isEmpty)

        // And the whole send path, run on the job it holds, sends and records nothing.
        try await f.process(jobs, as: "holder")

        #expect(try await f.messages().isEmpty)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_executions") == 0)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_enrollments WHERE status = 'paused' AND current_step = 1") == 1)
        // Resuming re-arms the step and it is sent then.
        try await f.db.query("""
            UPDATE outreach_enrollments SET status = 'active', version = version + 1,
                   next_run_at = coalesce(next_run_at, now()) WHERE id = $1
            """, [read.enrollmentID!])
        _ = try await f.run(["scheduler", "--once"])
        let worker = try f.startWorker("after-resume")
        try await f.waitForQuiet()
        _ = await worker.stopGracefully()
        #expect(try await f.messages().count == 1)
        await f.stop()
    }

    /// The other order: the worker has taken the step (its share lock) when the pause arrives.
    /// The pause waits for the prepare transaction, then commits; the advance after the send
    /// finds the version moved, re-reads, and moves the step on without un-pausing.
    @Test func pauseArrivingWhileTheStepIsTakenWaitsAndStaysPaused() async throws {
        let (f, _, read) = try await claimedFirstStep()
        let id = try #require(read.enrollmentID)
        let v = try #require(read.enrollmentVersion)

        let worker = try await PostgresConnection.connect(f.url)
        defer { worker.close() }
        let user = try await PostgresConnection.connect(f.url)
        defer { user.close() }
        let pause = """
            UPDATE outreach_enrollments SET status = 'paused', version = version + 1 WHERE id = $1 AND version = $2
            """
        let paused = try await worker.transaction { tx -> Task<Int, any Error> in
            let won = try await SendLedger().lockEnrollments([(id: id, version: v)], on: tx)
            #expect(won == [id])
            let pausing = Task { try await user.execute(pause, [id, v]) }
            // The pause is blocked on the share lock until this transaction ends.
            #expect(try await f.db.lockWaits() == 1)
            return pausing
        }
        #expect(try await paused.value == 1)

        // The worker's advance after the send: version v is stale, so it re-reads and advances.
        try await SendLedger().advance([.init(enrollmentID: id, version: v, step: 1, nextDelay: 3600)], on: f.db)
        #expect(try await f.count("""
            SELECT count(*)::int FROM outreach_enrollments
            WHERE id = $1 AND status = 'paused' AND current_step = 2 AND version = $2
            """, [id, v + 2]) == 1)
        // Paused: its next step is not due, whatever next_run_at says.
        #expect(try await f.count("SELECT count(*)::int FROM outreach_due") == 0)
        await f.stop()
    }

    @Test func twoSchedulersRacingEnqueueEachStepOnce() async throws {
        let f = try await EngineFixture.start()
        let ws = try await f.seedWorkspace(contacts: 3000)
        let seq = try await f.seedSequence(ws, name: "e", steps: [("email", "mail", 0)])
        try await f.enrollAll(ws, sequence: seq)
        async let a = f.run(["scheduler", "--once"])
        async let b = f.run(["scheduler", "--once"])
        let (ra, rb) = try await (a, b)
        #expect(ra.status == 0 && rb.status == 0)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_jobs") == 3000)
        #expect(try await f.count("SELECT count(DISTINCT dedupe_key)::int FROM outreach_jobs") == 3000)
        // Nothing is due any more: a third tick enqueues nothing.
        let again = try await f.run(["scheduler", "--once", "--json"])
        #expect(again.stdout.contains("\"enqueued\":0"))
        await f.stop()
    }

    @Test func sigtermDrainsAndExitsZero() async throws {
        let f = try await EngineFixture.start(sandboxArguments: ["--latency-ms", "300"])
        let ws = try await f.seedWorkspace(contacts: 200)
        let seq = try await f.seedSequence(ws, name: "e", steps: [("telegram", "tg", 0)])
        try await f.enrollAll(ws, sequence: seq)
        _ = try await f.run(["scheduler", "--once"])
        let worker = try f.startWorker("drain", extra: ["--concurrency", "20", "--batch", "10"],
                                       environment: ["OUTREACH_GRACE_SECONDS": "10"])
        try await Task.sleep(for: .milliseconds(800))
        let started = ContinuousClock.now
        #expect(await worker.stopGracefully() == 0)
        #expect(ContinuousClock.now - started < .seconds(12))
        // Nothing left half-done: no job held, no execution stuck in `sending`.
        #expect(try await f.count("SELECT count(*)::int FROM outreach_jobs WHERE state = 'running'") == 0)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_executions WHERE status = 'sending'") == 0)
        let sent = try await f.count("SELECT count(*)::int FROM outreach_executions WHERE status = 'sent'")
        #expect(sent > 0 && sent < 200)
        #expect(try await f.messages().count == sent)
        await f.stop()
    }
}
