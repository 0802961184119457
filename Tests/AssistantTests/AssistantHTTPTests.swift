import Foundation
import Hummingbird
import HummingbirdTesting
import OutreachCore
import OutreachEngine
import OutreachServer
import OutreachStore
import Postgres
import TestSupport
import Testing

/// `POST /v1/assistant` through the Hummingbird router, and `outreach ask` through the binary.
@Suite("Assistant: HTTP and CLI")
struct AssistantHTTPTests {
    static let adminToken = "admin-secret-token"

    func withApp(_ f: AssistantFixture, _ body: @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let pool = PostgresPool(conninfo: f.url, maxConnections: 4)
        let configuration = ServerConfiguration(adminToken: Self.adminToken, environment: AssistantFixture.providers)
        let app = Application(router: OutreachHTTPServer.router(configuration: configuration, pool: pool))
        do {
            try await app.test(.router, body)
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
    }

    static func post(_ client: any TestClientProtocol, token: String?, _ json: String) async throws -> (HTTPResponse.Status, String) {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: "/v1/assistant", method: .post, headers: headers,
                                        body: ByteBuffer(string: json)) { response in
            (response.status, String(buffer: response.body))
        }
    }

    @Test func resellerTokenIsConfinedToItsWorkspace() async throws {
        try await AssistantFixture.with { f in
            let token = "reseller-token-acme"
            try await AssistantStore().createToken(token, workspace: f.workspace.id, role: .reseller, label: "t", on: f.db)
            let stored: String = try await f.db.query("SELECT token_hash FROM outreach_api_tokens")[0].decode(0)
            #expect(stored != token && stored.count == 64)
            try await withApp(f) { client in
                // Naming another workspace: 403 and nothing of it.
                var (status, body) = try await Self.post(client, token: token,
                                                         #"{"message": "Stato outreach Ottica Verdi?", "workspace": "other"}"#)
                #expect(status == .forbidden)
                #expect(!body.contains("Olga") && !body.contains("lead:9"))
                // Asking about the other workspace's contact from its own: nothing of it.
                (status, body) = try await Self.post(client, token: token, #"{"message": "Stato outreach Ottica Verdi?"}"#)
                #expect(status == .ok)
                #expect(!body.contains("Olga") && !body.contains("lead:9"))
                // Its own contact works.
                (status, body) = try await Self.post(client, token: token, #"{"message": "Stato outreach Farmacia Rossi?", "workspace": "acme"}"#)
                #expect(status == .ok)
                #expect(body.contains(#""intent":"check_status""#))
                #expect(body.contains("lead:1"))
                // Bad or missing tokens, bad bodies.
                (status, _) = try await Self.post(client, token: "nope", #"{"message": "Metriche outreach"}"#)
                #expect(status == .unauthorized)
                (status, _) = try await Self.post(client, token: nil, #"{"message": "Metriche outreach"}"#)
                #expect(status == .unauthorized)
                (status, _) = try await Self.post(client, token: token, "not json")
                #expect(status == .badRequest)
            }
            try await f.db.execute("UPDATE outreach_api_tokens SET revoked_at = now()")
            try await withApp(f) { client in
                let (status, _) = try await Self.post(client, token: token, #"{"message": "Metriche outreach"}"#)
                #expect(status == .unauthorized)
            }
        }
    }

    @Test func adminTokenActsOnTheNamedWorkspace() async throws {
        try await AssistantFixture.with { f in
            try await withApp(f) { client in
                var (status, body) = try await Self.post(client, token: Self.adminToken,
                                                         #"{"message": "Stato outreach Ottica Verdi?", "workspace": "other"}"#)
                #expect(status == .ok)
                #expect(body.contains("lead:9"))
                (status, _) = try await Self.post(client, token: Self.adminToken, #"{"message": "Metriche outreach"}"#)
                #expect(status == .badRequest)
                (status, body) = try await Self.post(client, token: Self.adminToken, #"{"message": "Attiva email", "workspace": "acme"}"#)
                #expect(status == .ok)
                #expect(body.contains(#""action":"channels_changed""#))
            }
            #expect(try await f.count("SELECT count(*) FROM outreach_channel_config WHERE enabled") == 1)
        }
    }

    @Test func badInputGetsAPoliteAnswerOrA4xxAndNoAction() async throws {
        try await AssistantFixture.with { f in
            let before = try await f.snapshot()
            try await withApp(f) { client in
                let long = String(repeating: "manda ", count: 17_000)
                for message in ["", long, "\\u0000\\u0007 ctrl", "'; DELETE FROM outreach_contacts; --", "Robert'); DROP TABLE x;--"] {
                    let (status, body) = try await Self.post(client, token: Self.adminToken,
                                                             #"{"message": "\#(message)", "workspace": "acme"}"#)
                    #expect(status == .ok, "\(message.prefix(40))")
                    #expect(body.contains(#""action":null"#) || !body.contains(#""action""#), "\(message.prefix(40))")
                }
                let huge = String(repeating: "x", count: 300_000)
                let (status, _) = try await Self.post(client, token: Self.adminToken, #"{"message": "\#(huge)", "workspace": "acme"}"#)
                #expect(status == .badRequest || status == .contentTooLarge)
                let (missing, _) = try await Self.post(client, token: Self.adminToken, #"{"workspace": "acme"}"#)
                #expect(missing == .badRequest)
            }
            #expect(try await f.snapshot() == before)
            #expect(try await f.count("SELECT count(*) FROM outreach_contacts") == 5)
        }
    }

    @Test func askThroughTheBinary() async throws {
        try await AssistantFixture.with { f in
            var env = AssistantFixture.providers
            env["DATABASE_URL"] = f.url
            let result = try await OutreachProcess.run(["ask", "--workspace", "acme", "--json", "Quali template ho?"], environment: env)
            #expect(result.status == 0, "\(result.stderr)")
            let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            #expect(json?["intent"] as? String == "list_templates")
            #expect((json?["reply"] as? String)?.contains("followup-wa") == true)
            let other = try await OutreachProcess.run(["ask", "--json", "--workspace", "acme", "Che tempo fa?"], environment: env)
            let parsed = try JSONSerialization.jsonObject(with: Data(other.stdout.utf8)) as? [String: Any]
            #expect(parsed?["intent"] is NSNull)
            // Two workspaces and no --workspace: it asks which.
            let which = try await OutreachProcess.run(["ask", "Metriche outreach"], environment: env)
            #expect(which.stdout.contains("acme") && which.stdout.contains("other"))
            let metrics = try await OutreachProcess.run(["metrics", "--workspace", "acme", "--since", "7d", "--json"], environment: env)
            #expect(metrics.status == 0, "\(metrics.stderr)")
            #expect(metrics.stdout.contains("\"channels\""))
            let token = try await OutreachProcess.run(["workspace", "token", "create", "--workspace", "acme"], environment: env)
            #expect(token.status == 0, "\(token.stderr)")
            let plain = token.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            #expect(try await AssistantStore().lookupToken(plain, on: f.db)?.workspace == f.workspace.id)
            #expect(try await f.count("SELECT count(*) FROM outreach_api_tokens WHERE token_hash = '\(plain)'") == 0)
        }
    }
}

/// Metrics per channel, per sequence step and blocked per reason, from one statement.
@Suite("Assistant: metrics store")
struct MetricsStoreTests {
    @Test func perChannelStepAndReason() async throws {
        try await AssistantFixture.with { f in
            let sequence: Int64 = try await f.db.query("SELECT id FROM outreach_sequences WHERE name = 'intro'")[0].decode(0)
            try await f.db.execute("""
                INSERT INTO outreach_executions (workspace_id, sequence_id, step_position, entity_type, entity_id, channel,
                                                 idempotency_key, status, reason, sent_at, delivered_at, opened_at, clicked_at, replied_at)
                VALUES ($1, $2, 1, 'lead', '1', 'email', 'a', 'replied', NULL, now(), now(), now(), now(), now()),
                       ($1, $2, 1, 'lead', '3', 'email', 'b', 'bounced', NULL, now(), NULL, NULL, NULL, NULL),
                       ($1, $2, 2, 'lead', '1', 'whatsapp', 'c', 'blocked', 'no_consent', NULL, NULL, NULL, NULL, NULL),
                       ($1, $2, 2, 'lead', '3', 'whatsapp', 'd', 'blocked', 'channel_disabled', NULL, NULL, NULL, NULL, NULL),
                       ($1, NULL, NULL, 'lead', '4', 'email', 'e', 'deferred', 'send_window', NULL, NULL, NULL, NULL, NULL)
                """, [f.workspace.id, sequence])
            let now = Date()
            let report = try await MetricsStore().report(workspace: f.workspace.id, since: now.addingTimeInterval(-86_400),
                                                         until: now.addingTimeInterval(60), on: f.db)
            let email = try #require(report.channels.first { $0.channel == .email }).counts
            #expect(email.sent == 2 && email.delivered == 1 && email.opened == 1 && email.clicked == 1 && email.replied == 1)
            #expect(email.bounced == 1 && email.deferred == 1 && email.replyRate == 50)
            let whatsapp = try #require(report.channels.first { $0.channel == .whatsapp }).counts
            #expect(whatsapp.blocked == 2 && whatsapp.sent == 0 && whatsapp.deliveryRate == nil)
            #expect(report.blockedByReason.map(\.reason) == ["channel_disabled", "no_consent"])
            #expect(report.steps.count == 3)
            #expect(report.steps.first { $0.sequence == "intro" && $0.step == 1 }?.counts.sent == 2)
            #expect(report.steps.first { $0.sequence == nil }?.counts.deferred == 1)
            #expect(report.sequenceChannels.first { $0.sequence == "intro" && $0.channel == .email }?.counts.sent == 2)
            #expect(report.sequenceChannels.first { $0.sequence == nil && $0.channel == .email }?.counts.deferred == 1)
            #expect(report.sequenceChannels.count == 3)
            // The assistant's sequence metrics use them.
            let r = try await f.ask("Metriche della sequenza intro degli ultimi 7 giorni")
            #expect(r.intent == "outreach_metrics")
            #expect(r.reply.contains("inviati 2"))
            #expect(!r.reply.contains("rinviati 1"))
            let empty = try await MetricsStore().report(workspace: f.workspace.id, since: now.addingTimeInterval(-86_400 * 30),
                                                        until: now.addingTimeInterval(-86_400 * 2), on: f.db)
            #expect(empty.channels.isEmpty)
        }
    }
}
