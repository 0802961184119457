import Foundation
import HTTPClient
import Postgres
import Testing
import TestSupport

/// The whole fleet as processes — sandbox (calling back), serve, scheduler, worker: a reply to
/// step 1 stops the sequence, so step 2 never reaches the sandbox; a contact who did not get
/// step 1 (no email consent) does get step 2, which shows the worker would have sent it.
@Suite struct ReplyStopsSequenceTests {
    @Test func aReplyStopsTheEnrollmentBeforeItsNextStep() async throws {
        try await TestDatabase.withDatabase { url in
            #expect(try await OutreachProcess.run(["migrate"], environment: ["DATABASE_URL": url]).status == 0)
            let db = try await PostgresConnection.connect(url)
            defer { db.close() }
            let ws: UUID = try await db.query("INSERT INTO outreach_workspaces (name) VALUES ('e2e-reply') RETURNING id")[0].decode("id")
            try await db.execute("""
                INSERT INTO outreach_channel_config (workspace_id, channel, enabled, sender)
                VALUES ($1, 'email', true, '{"from": "Acme <hello@acme.test>"}'), ($1, 'telegram', true, '{}')
                """, [ws])
            try await db.execute("""
                INSERT INTO outreach_contacts (workspace_id, entity_type, entity_id, name, email, telegram_chat_id)
                VALUES ($1, 'lead', 'replier', 'Ada', 'ada@example.com', '7001'), ($1, 'lead', 'control', 'Bob', 'bob@example.com', '7002')
                """, [ws])
            try await db.execute("""
                INSERT INTO outreach_consent (workspace_id, entity_type, entity_id, channel, status, source, granted_at)
                VALUES ($1, 'lead', 'replier', 'email', 'granted', 'test', now()), ($1, 'lead', 'replier', 'telegram', 'granted', 'test', now()),
                       ($1, 'lead', 'control', 'telegram', 'granted', 'test', now())
                """, [ws])
            try await db.execute("""
                INSERT INTO outreach_templates (workspace_id, name, channel, subject, body)
                VALUES ($1, 'intro', 'email', 'Hello', '<p>Hello {{name}}</p>'), ($1, 'nudge', 'telegram', NULL, 'Ping {{name}}')
                """, [ws])
            let sequence: Int64 = try await db.query(
                "INSERT INTO outreach_sequences (workspace_id, name) VALUES ($1, 'intro') RETURNING id", [ws])[0].decode("id")
            try await db.execute("""
                INSERT INTO outreach_sequence_steps (workspace_id, sequence_id, position, channel, template_name, delay, condition)
                VALUES ($1, $2, 1, 'email', 'intro', '0', 'always'), ($1, $2, 2, 'telegram', 'nudge', '5 seconds', 'always')
                """, [ws, sequence])
            try await db.execute("""
                INSERT INTO outreach_enrollments (workspace_id, sequence_id, contact_id, entity_type, entity_id, next_run_at)
                SELECT $1, $2, id, entity_type, entity_id, now() FROM outreach_contacts WHERE workspace_id = $1
                """, [ws, sequence])

            let sandboxPort = Int.random(in: 20_000..<40_000)
            let servePort = Int.random(in: 40_000..<60_000)
            let sandboxURL = "http://127.0.0.1:\(sandboxPort)"
            let env = [
                "DATABASE_URL": url, "OUTREACH_LOG_LEVEL": "warning",
                "RESEND_API_KEY": "re_e2e", "RESEND_BASE_URL": sandboxURL, "RESEND_FROM": "Acme <hello@acme.test>",
                "RESEND_WEBHOOK_SECRET": "whsec_" + "ZTJlLXJlcGx5LXRlc3Qtc2VjcmV0",
                "TELEGRAM_BOT_TOKEN": "123456:e2e", "TELEGRAM_BASE_URL": sandboxURL, "TELEGRAM_WEBHOOK_SECRET": "e2e-telegram",
                "OUTREACH_PUBLIC_URL": "http://127.0.0.1:\(servePort)", "OUTREACH_POLL_MS": "200",
            ]
            var children: [Process] = []
            defer { for child in children where child.isRunning { child.terminate() } }
            children.append(try OutreachProcess.start(
                ["sandbox", "--port", "\(sandboxPort)", "--latency-ms", "0", "--webhooks", "http://127.0.0.1:\(servePort)",
                 "--reply-rate", "1", "--open-rate", "1", "--bounce-rate", "0", "--webhook-delay-ms", "300"], environment: env))
            children.append(try OutreachProcess.start(["serve", "--port", "\(servePort)"], environment: env))
            let client = HTTPClient()
            defer { client.shutdown() }
            for port in [sandboxPort, servePort] {
                var up = false
                for _ in 0..<100 where !up {
                    up = (try? await client.execute(HTTPRequest(url: "http://127.0.0.1:\(port)/\(port == servePort ? "healthz" : "_sandbox/messages")")))?.status == 200
                    if !up { try await Task.sleep(for: .milliseconds(100)) }
                }
                #expect(up, "port \(port) never answered")
            }
            children.append(try OutreachProcess.start(["scheduler", "--every", "1"], environment: env))
            children.append(try OutreachProcess.start(["worker", "--name", "e2e"], environment: env))

            func enrollment(_ entity: String) async throws -> String {
                try await db.query("SELECT status FROM outreach_enrollments WHERE entity_id = $1", [entity])[0].decode("status")
            }
            func sandboxMessages() async throws -> [[String: Any]] {
                let response = try await client.execute(HTTPRequest(url: sandboxURL + "/_sandbox/messages"))
                return (try JSONSerialization.jsonObject(with: Data(response.body)) as? [[String: Any]]) ?? []
            }
            // The replier answers step 1 (via the sandbox's signed email.received callback) …
            var replied = false
            for _ in 0..<150 where !replied {
                replied = try await enrollment("replier") == "replied"
                if !replied { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(replied, "the reply never stopped the enrollment")
            // … and the control contact gets step 2 once its delay is over.
            var controlGotStep2 = false
            for _ in 0..<200 where !controlGotStep2 {
                controlGotStep2 = try await sandboxMessages().contains { ($0["channel"] as? String) == "telegram" && ($0["to"] as? String) == "7002" }
                if !controlGotStep2 { try await Task.sleep(for: .milliseconds(100)) }
            }
            #expect(controlGotStep2, "the worker never sent step 2 to the control contact")
            try await Task.sleep(for: .seconds(2))
            let messages = try await sandboxMessages()
            #expect(messages.filter { ($0["to"] as? String) == "7001" }.isEmpty, "step 2 reached the replier: \(messages)")
            #expect(messages.filter { ($0["channel"] as? String) == "email" }.count == 1)
            #expect(try await enrollment("replier") == "replied")
            let step2: Int = try await db.query("""
                SELECT count(*)::int AS n FROM outreach_executions WHERE entity_id = 'replier' AND step_position = 2
                  AND status NOT IN ('skipped', 'blocked')
                """)[0].decode("n")
            #expect(step2 == 0)
            for child in children { child.terminate() }
            for child in children { _ = try await OutreachProcess.wait(child) }
        }
    }
}
