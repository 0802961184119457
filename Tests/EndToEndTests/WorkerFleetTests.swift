import Foundation
import Postgres
import Testing
import TestSupport

/// The engine's promises under concurrency and crashes, with real worker processes racing on
/// one database against the sandbox (SPEC §4).
@Suite(.serialized) struct WorkerFleetTests {
    @Test func fourWorkersSendExactlyOneMessagePerStep() async throws {
        let f = try await EngineFixture.start()
        let ws = try await f.seedWorkspace(contacts: 2000)
        _ = try await f.seedOneStepPerChannel(ws)
        let tick = try await f.run(["scheduler", "--once", "--json"])
        #expect(tick.stdout.contains("2000"), "\(tick.stdout) \(tick.stderr)")
        let workers = try (1...4).map { try f.startWorker("w\($0)", extra: ["--concurrency", "50", "--batch", "20"]) }
        try await f.waitForQuiet()
        for w in workers { #expect(await w.stopGracefully() == 0) }

        let messages = try await f.messages()
        #expect(messages.count == 2000)
        let perRecipient = Dictionary(grouping: messages) { "\($0["channel"] ?? "")/\($0["to"] ?? "")" }
        #expect(perRecipient.count == 2000, "some recipient got two messages")
        #expect(try await f.count("SELECT count(*)::int FROM outreach_executions WHERE status = 'sent'") == 2000)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_enrollments WHERE status = 'completed'") == 2000)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_jobs") == 0)
        await f.stop()
    }

    @Test func sigkilledWorkersNeverDuplicateAndMarkUnknowableSteps() async throws {
        let f = try await EngineFixture.start(sandboxArguments: ["--latency-ms", "200"])
        let ws = try await f.seedWorkspace(contacts: 1000)
        let email = try await f.seedOneStepPerChannel(ws)
        _ = try await f.run(["scheduler", "--once"])
        let env = ["OUTREACH_LEASE_SECONDS": "2", "OUTREACH_RESCUE_SECONDS": "1"]
        // Few sends in flight at 200 ms each, so the whole run spans the kills below.
        var workers = try (1...3).map { try f.startWorker("k\($0)", extra: ["--concurrency", "10", "--batch", "5"], environment: env) }
        var generation = 0
        // Kill a random worker mid-flight every 300–900 ms, and start a replacement.
        for _ in 0..<10 {
            try await Task.sleep(for: .milliseconds(Int64.random(in: 300...900)))
            let victim = Int.random(in: 0..<workers.count)
            workers[victim].kill9()
            generation += 1
            workers[victim] = try f.startWorker("k\(victim)-\(generation)", extra: ["--concurrency", "10", "--batch", "5"],
                                                environment: env)
        }
        try await f.waitForQuiet(timeout: .seconds(180))
        for w in workers { _ = await w.stopGracefully() }

        let messages = try await f.messages()
        let email_ = messages.filter { $0["channel"] as? String == "email" }
        let others = messages.filter { $0["channel"] as? String != "email" }
        // Email: every step exactly once after Resend's Idempotency-Key dedupe.
        let emailSteps = try await f.count("SELECT count(*)::int FROM outreach_enrollments WHERE sequence_id = $1", [email])
        #expect(email_.count == emailSteps)
        #expect(Set(email_.compactMap { $0["idempotency_key"] as? String }).count == emailSteps)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_executions WHERE channel = 'email' AND status = 'sent'") == emailSteps)
        // WhatsApp and Telegram: never twice; what cannot be known is `unknown`, not re-sent.
        let perRecipient = Dictionary(grouping: others) { "\($0["channel"] ?? "")/\($0["to"] ?? "")" }
        #expect(perRecipient.values.allSatisfy { $0.count == 1 }, "a WhatsApp or Telegram message was sent twice")
        let sent = try await f.count("SELECT count(*)::int FROM outreach_executions WHERE channel <> 'email' AND status = 'sent'")
        let unknown = try await f.count("SELECT count(*)::int FROM outreach_executions WHERE channel <> 'email' AND status = 'unknown'")
        let steps = try await f.count("SELECT count(*)::int FROM outreach_enrollments WHERE sequence_id <> $1", [email])
        #expect(sent + unknown == steps)
        #expect(unknown >= 1, "no worker was killed mid-send: the test did not exercise recovery")
        #expect(others.count >= sent && others.count <= sent + unknown)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_executions WHERE status = 'sending'") == 0)
        await f.stop()
    }

    @Test func dailyLimitIsExactAcrossFourWorkers() async throws {
        let f = try await EngineFixture.start()
        let ws = try await f.seedWorkspace(contacts: 300, dailyLimit: 100, timezone: "Pacific/Auckland")
        let seq = try await f.seedSequence(ws, name: "e", steps: [("email", "mail", 0)])
        try await f.enrollAll(ws, sequence: seq)
        _ = try await f.run(["scheduler", "--once"])
        let workers = try (1...4).map { try f.startWorker("d\($0)", extra: ["--concurrency", "30", "--batch", "7"]) }
        try await f.waitForQuiet()
        for w in workers { _ = await w.stopGracefully() }
        #expect(try await f.messages().count == 100)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_executions WHERE status = 'sent'") == 100)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_executions WHERE status = 'deferred' AND reason = 'daily_limit'") == 200)
        #expect(try await f.count("SELECT sum(sent)::int FROM outreach_daily_counters") == 100)
        // Deferred to the next midnight in the workspace's time zone.
        let wrong = try await f.count("""
            SELECT count(*)::int FROM outreach_jobs
            WHERE run_at <> (date_trunc('day', now() AT TIME ZONE 'Pacific/Auckland') + interval '1 day') AT TIME ZONE 'Pacific/Auckland'
            """)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_jobs WHERE state = 'queued'") == 200)
        #expect(wrong == 0)
        await f.stop()
    }

    @Test func coolDownHoldsTheSecondSequenceFor24Hours() async throws {
        let f = try await EngineFixture.start()
        let ws = try await f.seedWorkspace(contacts: 1)
        let a = try await f.seedSequence(ws, name: "a", steps: [("email", "mail", 0)])
        let b = try await f.seedSequence(ws, name: "b", steps: [("email", "mail", 0)])
        try await f.enrollAll(ws, sequence: a)
        try await f.enrollAll(ws, sequence: b)
        _ = try await f.run(["scheduler", "--once"])
        let workers = try (1...2).map { try f.startWorker("c\($0)") }
        try await f.waitForQuiet()
        for w in workers { _ = await w.stopGracefully() }
        #expect(try await f.messages().count == 1)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_executions WHERE status = 'deferred' AND reason = 'cooldown'") == 1)
        let hours = try await f.db.query("SELECT extract(epoch FROM run_at - now()) / 3600 AS h FROM outreach_jobs")[0].decode("h", as: Double.self)
        #expect(hours > 23.9 && hours <= 24.0)
        await f.stop()
    }

    @Test func missingOrRevokedConsentBlocksEvenWhenRevokedAfterEnqueue() async throws {
        let f = try await EngineFixture.start()
        let ws = try await f.seedWorkspace(contacts: 30)
        let seq = try await f.seedSequence(ws, name: "e", steps: [("email", "mail", 0)])
        try await f.enrollAll(ws, sequence: seq)
        try await f.db.query("DELETE FROM outreach_consent WHERE entity_id::int <= 10")
        _ = try await f.run(["scheduler", "--once"])
        // Revoked after the jobs are queued: the worker must still see it.
        try await f.db.query("UPDATE outreach_consent SET status = 'revoked', revoked_at = now() WHERE entity_id::int BETWEEN 11 AND 20")
        let worker = try f.startWorker("consent")
        try await f.waitForQuiet()
        _ = await worker.stopGracefully()
        let sentTo = Set(try await f.messages().compactMap { $0["to"] as? String })
        #expect(sentTo.count == 10)
        #expect(sentTo.allSatisfy { to in (21...30).contains(where: { "c\($0)@example.com" == to }) })
        #expect(try await f.count("SELECT count(*)::int FROM outreach_executions WHERE status = 'blocked' AND reason = 'no_consent'") == 20)
        await f.stop()
    }

    @Test func killSwitchLeavesJobsQueuedAndSendsNothing() async throws {
        let f = try await EngineFixture.start()
        let ws = try await f.seedWorkspace(contacts: 20)
        let seq = try await f.seedSequence(ws, name: "e", steps: [("email", "mail", 0)])
        try await f.enrollAll(ws, sequence: seq)
        try await f.db.query("UPDATE outreach_settings SET value = 'true' WHERE key = 'kill_switch'")
        _ = try await f.run(["scheduler", "--once"])
        let worker = try f.startWorker("ks")
        try await Task.sleep(for: .seconds(2))
        #expect(try await f.messages().isEmpty)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_jobs WHERE state = 'queued' AND attempt = 0") == 20)
        // Off again: the same worker picks the jobs up within a claim cycle, no restart.
        try await f.db.query("UPDATE outreach_settings SET value = 'false' WHERE key = 'kill_switch'")
        try await f.waitForQuiet()
        _ = await worker.stopGracefully()
        #expect(try await f.messages().count == 20)
        await f.stop()
    }
}
