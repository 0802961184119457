import Foundation
import HTTPClient
import OutreachStore
import Postgres
import Testing
import TestSupport

/// Queue mechanics (rescuer, fairness) and the remaining gates and conditions.
@Suite(.serialized) struct QueueBehaviourTests {
    @Test func rescuerReturnsExpiredLeasesAndLeavesFinishedJobsAlone() async throws {
        let f = try await EngineFixture.start()
        let ws = try await f.seedWorkspace(contacts: 0)
        let queue = JobQueue()
        try await queue.enqueue((1...3).map { NewJob(workspaceID: ws, kind: .noop, dedupeKey: "n\($0)") }, on: f.db)
        let jobs = try await queue.claim(limit: 3, worker: "dead-worker", lease: .milliseconds(300), pilotWorkspaces: nil, on: f.db)
        #expect(jobs.count == 3)
        // One finishes in time; the other two are abandoned.
        #expect(try await queue.complete([jobs[0].lease], on: f.db) == 1)
        try await Task.sleep(for: .milliseconds(500))
        let rescued = try await queue.rescueExpired(on: f.db)
        #expect(Set(rescued) == Set(jobs[1...].map(\.id)))
        #expect(try await f.count("SELECT count(*)::int FROM outreach_jobs WHERE state = 'queued'") == 2)
        // The abandoned attempt can no longer finish or release what it lost…
        #expect(try await queue.complete([jobs[1].lease], on: f.db) == 0)
        // …and the next claim is a new attempt.
        let again = try await queue.claim(limit: 5, worker: "live", lease: .seconds(30), pilotWorkspaces: nil, on: f.db)
        #expect(again.map(\.attempt).allSatisfy { $0 == 2 })
        #expect(try await queue.complete([jobs[1].lease], on: f.db) == 0)
        #expect(try await queue.complete(again.map(\.lease), on: f.db) == 2)
        await f.stop()
    }

    /// Statements over a batch read each row's own values by a binary search over the ids
    /// (`width_bucket`); the store sorts what it is given, so any order gives each job its value.
    @Test func eachJobOfABatchGetsItsOwnValuesWhateverTheOrder() async throws {
        let f = try await EngineFixture.start()
        let ws = try await f.seedWorkspace(contacts: 0)
        let queue = JobQueue()
        try await queue.enqueue((1...20).map { NewJob(workspaceID: ws, kind: .noop, dedupeKey: "o\($0)") }, on: f.db)
        let jobs = try await queue.claim(limit: 20, worker: "w", lease: .seconds(30), pilotWorkspaces: nil, on: f.db)
        #expect(jobs.count == 20)
        let base = Date(timeIntervalSince1970: 2_000_000_000)
        // Descending ids, each job a run time of its own (its id in seconds after `base`).
        let items = jobs.sorted { $0.id > $1.id }.map {
            JobQueue.Reschedule(lease: $0.lease, runAt: base.addingTimeInterval(Double($0.id)), error: "e\($0.id)", countsAsAttempt: true)
        }
        #expect(try await queue.reschedule(items, on: f.db) == 20)
        let wrong = try await f.count("""
            SELECT count(*)::int FROM outreach_jobs
            WHERE run_at <> to_timestamp(2000000000 + id) OR last_error <> 'e' || id OR state <> 'queued'
            """)
        #expect(wrong == 0)
        await f.stop()
    }

    @Test func smallWorkspaceIsServedWhileALargeOneDrains() async throws {
        let f = try await EngineFixture.start()
        let big = try await f.seedWorkspace(name: "big", contacts: 0)
        let small = try await f.seedWorkspace(name: "small", contacts: 0)
        let queue = JobQueue()
        try await queue.enqueue((1...10_000).map { NewJob(workspaceID: big, kind: .noop, dedupeKey: "b\($0)") }, on: f.db)
        try await queue.enqueue((1...10).map { NewJob(workspaceID: small, kind: .noop, dedupeKey: "s\($0)") }, on: f.db)
        var claimed = 0
        var smallDoneAfter: Int?
        while smallDoneAfter == nil && claimed < 10_010 {
            let jobs = try await queue.claim(limit: 100, worker: "w", lease: .seconds(30), pilotWorkspaces: nil, on: f.db)
            claimed += jobs.count
            try await queue.complete(jobs.map(\.lease), on: f.db)
            if try await f.count("SELECT count(*)::int FROM outreach_jobs WHERE workspace_id = $1", [small]) == 0 {
                smallDoneAfter = claimed
            }
        }
        // The small workspace's 10 jobs are done within the first claim, not after 10 000.
        #expect((smallDoneAfter ?? .max) <= 100)
        await f.stop()
    }

    @Test func pilotWorkspacesAloneSend() async throws {
        let f = try await EngineFixture.start()
        let pilot = try await f.seedWorkspace(name: "pilot", contacts: 5)
        let other = try await f.seedWorkspace(name: "other", contacts: 5)
        for ws in [pilot, other] {
            let seq = try await f.seedSequence(ws, name: "e", steps: [("email", "mail", 0)])
            try await f.enrollAll(ws, sequence: seq)
        }
        _ = try await f.run(["scheduler", "--once"])
        let worker = try f.startWorker("pilot", environment: ["OUTREACH_PILOT_WORKSPACES": "pilot"])
        try await Task.sleep(for: .seconds(2))
        _ = await worker.stopGracefully()
        #expect(try await f.messages().count == 5)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_jobs WHERE workspace_id = $1 AND state = 'queued' AND attempt = 0", [other]) == 5)
        // The environment kill switch stops even the pilot.
        let seq2 = try await f.seedSequence(pilot, name: "e2", steps: [("telegram", "tg", 0)])
        try await f.enrollAll(pilot, sequence: seq2)
        _ = try await f.run(["scheduler", "--once"])
        let stopped = try f.startWorker("ks", environment: ["OUTREACH_PILOT_WORKSPACES": "pilot", "OUTREACH_KILL_SWITCH": "true"])
        try await Task.sleep(for: .seconds(2))
        _ = await stopped.stopGracefully()
        #expect(try await f.messages().count == 5)
        await f.stop()
    }

    @Test func stepConditionsJudgeEarlierExecutions() async throws {
        let f = try await EngineFixture.start()
        let ws = try await f.seedWorkspace(contacts: 4)
        // Step 2 runs only for contacts who opened step 1; step 3 only for those who did not reply.
        let seq = try await f.seedSequence(ws, name: "c", steps: [("email", "mail", 0), ("telegram", "tg", 0), ("whatsapp", "wa", 0)])
        try await f.db.query("UPDATE outreach_sequence_steps SET condition = 'opened' WHERE position = 2")
        try await f.db.query("UPDATE outreach_sequence_steps SET condition = 'no_reply' WHERE position = 3")
        try await f.enrollAll(ws, sequence: seq)
        _ = try await f.run(["scheduler", "--once"])
        let worker = try f.startWorker("cond")
        try await f.waitForQuiet()
        // Webhooks would do this: contacts 1 and 2 opened, contact 2 also replied (by email).
        try await f.db.query("UPDATE outreach_executions SET status = 'opened', opened_at = now() WHERE entity_id IN ('1', '2')")
        try await f.db.query("UPDATE outreach_executions SET status = 'replied', replied_at = now() WHERE entity_id = '2'")
        for _ in 0..<2 {
            _ = try await f.run(["scheduler", "--once"])
            try await Task.sleep(for: .milliseconds(300))
            try await f.waitForQuiet()
        }
        _ = await worker.stopGracefully()
        let tg = try await f.messages().filter { $0["channel"] as? String == "telegram" }.compactMap { $0["to"] as? String }
        #expect(Set(tg) == ["100001", "100002"])
        #expect(try await f.count("SELECT count(*)::int FROM outreach_executions WHERE step_position = 2 AND status = 'skipped'") == 2)
        let wa = try await f.messages().filter { $0["channel"] as? String == "whatsapp" }
        #expect(wa.count == 3)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_executions WHERE step_position = 3 AND status = 'skipped' AND entity_id = '2'") == 1)
        await f.stop()
    }

    /// Bad credentials pause the provider account for the whole fleet and defer the jobs; they
    /// do not burn through the queue as failures (SPEC §5).
    @Test func badCredentialsPauseTheProviderInsteadOfFailingJobs() async throws {
        let f = try await EngineFixture.start()
        let ws = try await f.seedWorkspace(contacts: 10)
        let seq = try await f.seedSequence(ws, name: "e", steps: [("email", "mail", 0)])
        try await f.enrollAll(ws, sequence: seq)
        _ = try await f.run(["scheduler", "--once"])
        let worker = try f.startWorker("badkey", environment: ["RESEND_API_KEY": "re_invalid"])
        try await f.waitForQuiet()
        _ = await worker.stopGracefully()
        #expect(try await f.messages().isEmpty)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_executions WHERE status = 'failed'") == 0)
        #expect(try await f.count("""
            SELECT count(*)::int FROM outreach_executions WHERE status = 'deferred' AND reason = 'provider_configuration'
            """) == 10)
        // Nothing consumed: every job is back in the queue, later, with its attempt not counted.
        #expect(try await f.count("""
            SELECT count(*)::int FROM outreach_jobs WHERE state = 'queued' AND attempt = 0 AND run_at > now() + interval '4 minutes'
            """) == 10)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_rate_buckets WHERE paused_until > now()") == 1)
        #expect(try await f.count("SELECT coalesce(sum(sent), 0)::int FROM outreach_daily_counters") == 0)
        await f.stop()
    }

    /// A provider's 429 defers the sends it refused and pauses that account for `Retry-After`;
    /// they go out on later attempts. With the worker's own bucket far above the provider's
    /// limit (10 a second here), every step is still sent exactly once and none fails.
    @Test func providerRateLimitDefersAndEverythingIsSentOnce() async throws {
        let f = try await EngineFixture.start(sandboxArguments: ["--latency-ms", "0", "--rate-limit", "10"])
        let ws = try await f.seedWorkspace(contacts: 30)
        let seq = try await f.seedSequence(ws, name: "e", steps: [("email", "mail", 0)])
        try await f.enrollAll(ws, sequence: seq)
        _ = try await f.run(["scheduler", "--once"])
        let worker = try f.startWorker("limited", environment: ["OUTREACH_RATE_RESEND": "1000"])
        let deadline = ContinuousClock.now + .seconds(60)
        while try await f.count("SELECT count(*)::int FROM outreach_executions WHERE status = 'sent'") < 30,
              ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        _ = await worker.stopGracefully()
        let messages = try await f.messages()
        #expect(messages.count == 30)
        #expect(Set(messages.compactMap { $0["idempotency_key"] as? String }).count == 30)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_executions WHERE status = 'sent'") == 30)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_executions WHERE status IN ('failed', 'unknown')") == 0)
        // The refusals happened and were recorded as deferrals on the way.
        let stats = try await f.http.execute(HTTPRequest(url: f.sandboxURL + "/_sandbox/stats"))
        let limited = (try JSONSerialization.jsonObject(with: Data(stats.body)) as? [String: Any])
            .flatMap { $0["email"] as? [String: Any] }?["rate_limited"] as? Int ?? 0
        #expect(limited > 0)
        #expect(try await f.count("""
            SELECT count(*)::int FROM outreach_execution_events WHERE status = 'deferred' AND reason = 'rate_limited'
            """) >= limited)
        await f.stop()
    }
}
