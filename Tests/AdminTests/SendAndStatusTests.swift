import Foundation
import OutreachCore
import OutreachEngine
import OutreachStore
import Postgres
import Testing
import TestSupport

@Suite struct SendAndStatusTests {
    @Test func sendEnqueuesOneJobWithThePayload() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        try await f.importCSV("\(AdminFixture.header)\nlead,42,Ada,,ada@example.com,,,new,\n")
        try await f.addTemplate("intro-email", .email)

        let listener = try await PostgresConnection.connect(f.url)
        defer { listener.close() }
        try await listener.listen(JobQueue.channel)

        let r = try await f.run(["send", "--workspace", "acme", "--entity", "lead:42", "--channel", "email", "--template", "intro-email",
                                 "--json"])
        #expect(r.status == 0, "\(r.stderr)")
        let receipt = try JSONDecoder().decode(Receipt.self, from: Data(r.stdout.utf8))
        #expect(receipt.idempotencyKey.hasPrefix("send:"))
        #expect(receipt.warnings.count == 2, "no consent and channel disabled are reported: \(receipt.warnings)")

        let jobs = try await f.db.query("SELECT id, kind, state, dedupe_key, payload FROM outreach_jobs")
        #expect(jobs.count == 1)
        #expect(try jobs[0].decode("id", as: Int64.self) == receipt.jobId)
        #expect(try jobs[0].decode("kind", as: String.self) == "send")
        #expect(try jobs[0].decode("dedupe_key", as: String?.self) == nil)
        let payload = try jobs[0].decode("payload", as: PostgresJSON.self).decode(SendJobPayload.self)
        #expect(payload == SendJobPayload(entity: EntityRef(type: .lead, id: "42"), channel: .email, template: "intro-email",
                                          key: receipt.idempotencyKey))
        #expect(try await listener.waitForNotification(timeout: .seconds(5)) != nil, "workers are woken")

        let human = try await f.run(["send", "--workspace", "acme", "--entity", "lead:42", "--channel", "email", "--template", "intro-email"])
        #expect(human.stdout.contains("queued job"))
        #expect(human.stderr.contains("warning: lead:42 has no email consent"))
        #expect(try await f.count("SELECT count(DISTINCT payload->>'key')::int FROM outreach_jobs") == 2)

        for args in [["--entity", "lead:7", "--channel", "email", "--template", "intro-email"],
                     ["--entity", "lead:42", "--channel", "telegram", "--template", "intro-email"]] {
            let bad = try await f.run(["send", "--workspace", "acme"] + args)
            #expect(bad.status == 2, "\(args): \(bad.stderr)")
        }
        #expect(try await f.count("SELECT count(*)::int FROM outreach_jobs") == 2)
    }

    struct Receipt: Decodable {
        var jobId: Int64
        var idempotencyKey: String
        var warnings: [String]

        enum CodingKeys: String, CodingKey {
            case jobId = "job_id"
            case idempotencyKey = "idempotency_key"
            case warnings
        }
    }

    @Test func statusShowsConsentEnrollmentsAndTheTimeline() async throws {
        let f = try await AdminFixture.make()
        defer { Task { await f.close() } }
        try await f.importCSV("\(AdminFixture.header),consent\nlead,42,Ada Lovelace,Analytical,ada@example.com,,,new,,email\n")
        let sequence = try await f.makeSequence("intro")
        _ = try await EnrollmentService().enroll(.entities([EntityRef(type: .lead, id: "42")]), sequence: "intro",
                                                 workspace: f.workspace, on: f.db)
        // What the worker and the webhooks record: step 1 sent then delivered; step 2 blocked.
        let enrollmentID: Int64 = try await f.db.query("SELECT id FROM outreach_enrollments")[0].decode("id")
        let sent: Int64 = try await f.db.query("""
            INSERT INTO outreach_executions (workspace_id, enrollment_id, sequence_id, step_position, entity_type, entity_id,
                                             channel, template_name, idempotency_key, status, provider_message_id, created_at)
            VALUES ($1, $2, $3, 1, 'lead', '42', 'email', 'intro-email', 'step:' || $2::bigint || ':1', 'delivered', 're_123',
                    now() - interval '2 hours')
            RETURNING id
            """, [f.workspace.id, enrollmentID, sequence.id])[0].decode("id")
        try await f.db.execute("""
            INSERT INTO outreach_execution_events (workspace_id, execution_id, status, reason, source, occurred_at) VALUES
                ($1, $2, 'sending', NULL, 'worker', now() - interval '2 hours'),
                ($1, $2, 'sent', NULL, 'worker', now() - interval '119 minutes'),
                ($1, $2, 'delivered', NULL, 'webhook', now() - interval '110 minutes')
            """, [f.workspace.id, sent])
        let blocked: Int64 = try await f.db.query("""
            INSERT INTO outreach_executions (workspace_id, enrollment_id, sequence_id, step_position, entity_type, entity_id,
                                             channel, template_name, idempotency_key, status, reason)
            VALUES ($1, $2, $3, 2, 'lead', '42', 'whatsapp', 'followup-wa', 'step:' || $2::bigint || ':2', 'blocked', 'no_consent')
            RETURNING id
            """, [f.workspace.id, enrollmentID, sequence.id])[0].decode("id")
        try await f.db.execute("INSERT INTO outreach_execution_events (workspace_id, execution_id, status, reason) VALUES ($1, $2, 'blocked', 'no_consent')",
                               [f.workspace.id, blocked])

        let r = try await f.run(["status", "--workspace", "acme", "--entity", "lead:42"])
        #expect(r.status == 0, "\(r.stderr)")
        let out = r.stdout
        #expect(out.contains("lead:42  Ada Lovelace, Analytical  status new"), "\(out)")
        #expect(out.contains("email: granted since"), "\(out)")
        #expect(out.contains("whatsapp: none"), "\(out)")
        #expect(out.contains("intro: active, step 1/2"), "\(out)")
        let timeline = out.components(separatedBy: "timeline:")[1].split(separator: "\n").map(String.init)
        #expect(timeline.count == 4, "\(out)")
        #expect(timeline[0].contains("email  intro step 1  intro-email  sending"))
        #expect(timeline[1].contains("sent"))
        #expect(timeline[2].contains("delivered"))
        #expect(timeline[3].contains("whatsapp  intro step 2  followup-wa  blocked (no_consent)"))

        let json = try await f.run(["status", "--workspace", "acme", "--entity", "lead:42", "--json"])
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let entries = object?["timeline"] as? [[String: Any]]
        #expect(entries?.map { $0["status"] as? String } == ["sending", "sent", "delivered", "blocked"])
        #expect(entries?.last?["reason"] as? String == "no_consent")
        #expect((object?["enrollments"] as? [[String: Any]])?.first?["sequence"] as? String == "intro")

        let unknown = try await f.run(["status", "--workspace", "acme", "--entity", "lead:1"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("no contact lead:1"))
    }
}
