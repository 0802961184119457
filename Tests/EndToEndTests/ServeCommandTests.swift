import Foundation
import HTTPClient
import OutreachCrypto
import Postgres
import Testing
import TestSupport

/// `outreach serve` as a process: answers health checks, applies a signed webhook, and exits 0
/// on SIGTERM after draining.
@Suite struct ServeCommandTests {
    static let secret = "whsec_" + Base64.encode(Array("end-to-end webhook secret".utf8))

    @Test func servesVerifiedWebhooksAndStopsGracefullyOnSIGTERM() async throws {
        try await TestDatabase.withDatabase { url in
            let migrate = try await OutreachProcess.run(["migrate"], environment: ["DATABASE_URL": url])
            #expect(migrate.status == 0, "\(migrate.stderr)")
            let db = try await PostgresConnection.connect(url)
            defer { db.close() }
            let workspace: UUID = try await db.query("INSERT INTO outreach_workspaces (name) VALUES ('e2e') RETURNING id")[0].decode("id")
            try await db.execute("""
                INSERT INTO outreach_executions (workspace_id, entity_type, entity_id, channel, idempotency_key, status, provider_message_id)
                VALUES ($1, 'lead', '1', 'email', 'send:1', 'sent', 'email-e2e-1')
                """, [workspace])

            let port = Int.random(in: 20_000..<60_000)
            let process = try OutreachProcess.start(
                ["serve", "--port", String(port)], environment: ["DATABASE_URL": url, "RESEND_WEBHOOK_SECRET": Self.secret])
            let client = HTTPClient()
            defer { client.shutdown() }
            let base = "http://127.0.0.1:\(port)"

            var ready = false
            for _ in 0..<100 where !ready {
                if let response = try? await client.execute(HTTPRequest(url: base + "/readyz")), response.status == 200 {
                    ready = true
                } else {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            #expect(ready, "outreach serve did not become ready")

            let body = #"{"type":"email.delivered","created_at":"2025-01-01T00:00:00Z","data":{"email_id":"email-e2e-1"}}"#
            let timestamp = String(Int64(Date().timeIntervalSince1970))
            let key = Base64.decode(String(Self.secret.dropFirst(6)))!
            let signature = "v1," + Base64.encode(HMAC.sha256(key: key, message: Array("msg_e2e.\(timestamp).\(body)".utf8)))
            let response = try await client.execute(HTTPRequest(
                method: "POST", url: base + "/webhooks/resend",
                headers: [("Content-Type", "application/json"), ("svix-id", "msg_e2e"), ("svix-timestamp", timestamp),
                          ("svix-signature", signature)],
                body: Array(body.utf8)))
            #expect(response.status == 200, "\(response.bodyText)")
            let status: String = try await db.query("SELECT status FROM outreach_executions WHERE provider_message_id = 'email-e2e-1'")[0].decode("status")
            #expect(status == "delivered")
            let metrics = try await client.execute(HTTPRequest(url: base + "/metrics"))
            #expect(metrics.bodyText.contains(#"outreach_webhook_events_total{provider="resend",result="applied"} 1"#))

            process.terminate()  // SIGTERM
            let result = try await OutreachProcess.wait(process)
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("\"message\":\"stopped\""))
            #expect(!result.stderr.contains(Self.secret))
        }
    }
}
