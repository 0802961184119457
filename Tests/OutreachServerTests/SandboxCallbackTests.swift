import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Sandbox
import Testing

/// `outreach sandbox --webhooks` against the real `outreach serve` routes: every callback must
/// pass the server's signature checks and drive the database.
@Suite struct SandboxCallbackTests {
    func sandbox(serving port: Int, configure: (inout SandboxWebhookOptions) -> Void) -> some ApplicationProtocol {
        var configuration = SandboxConfiguration()
        configuration.port = 0
        configuration.latency = .zero
        configuration.webhooksURL = "http://127.0.0.1:\(port)"
        configuration.webhookOptions = SandboxWebhookOptions(environment: [
            "RESEND_WEBHOOK_SECRET": ServerFixture.resendSecret, "WHATSAPP_APP_SECRET": ServerFixture.appSecret,
            "TELEGRAM_WEBHOOK_SECRET": ServerFixture.telegramSecret,
        ])
        configuration.webhookOptions.delay = .milliseconds(400)
        configure(&configuration.webhookOptions)
        return Sandbox(configuration: configuration).makeApplication()
    }

    func send(_ client: some TestClientProtocol, uri: String, bearer: String, body: String) async throws -> String {
        var headers: HTTPFields = [.contentType: "application/json"]
        headers[.authorization] = "Bearer \(bearer)"
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        #expect(response.status == .ok, "\(String(buffer: response.body))")
        // {"id":"…"} for Resend; {"messages":[{"id":"wamid…"}]} for WhatsApp.
        let json = try #require(try JSONSerialization.jsonObject(with: Data(String(buffer: response.body).utf8)) as? [String: Any])
        if let id = json["id"] as? String { return id }
        let messages = try #require(json["messages"] as? [[String: Any]])
        return try #require(messages.first?["id"] as? String)
    }

    func waitFor(_ what: String, _ condition: () async throws -> Bool) async throws {
        for _ in 0..<100 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("timed out waiting for \(what)")
    }

    @Test func deliveriesOpensAndRepliesFlowBackSigned() async throws {
        try await ServerFixture.with { f in
            var configuration = f.configuration
            configuration.now = { Date() }  // the sandbox signs with the real clock
            try await f.application(configuration: configuration).test(.live) { serve in
                try await sandbox(serving: serve.port!) { options in
                    options.openRate = 1
                    options.replyRate = 1
                    options.bounceRate = 0
                }.test(.live) { provider in
                    let emailID = try await send(provider, uri: "/emails", bearer: "re_test",
                        body: #"{"from":"Acme <hello@acme.test>","to":["ada@example.com"],"subject":"Hi","html":"<p>Hi</p>"}"#)
                    try await f.db.execute("UPDATE outreach_executions SET provider_message_id = $1 WHERE id = $2", [emailID, f.emailExecution])
                    let wamid = try await send(provider, uri: "/v21.0/\(ServerFixture.phoneNumberID)/messages", bearer: "EAAtest",
                        body: #"{"messaging_product":"whatsapp","to":"+16315551181","type":"text","text":{"body":"Ciao"}}"#)
                    try await f.db.execute("UPDATE outreach_executions SET provider_message_id = $1 WHERE id = $2", [wamid, f.whatsappExecution])

                    try await waitFor("both executions replied") {
                        let email = try await f.executionStatus(f.emailExecution)
                        let whatsapp = try await f.executionStatus(f.whatsappExecution)
                        return email == "replied" && whatsapp == "replied"
                    }
                    #expect(try await f.enrollmentState() == "replied 2")
                    // Every step of the ladder was recorded from a verified callback.
                    for status in ["sent", "delivered", "opened", "replied"] {
                        #expect(try await f.count("outreach_execution_events", "execution_id = $1 AND status = $2", [f.emailExecution, status]) == 1)
                    }
                    for status in ["sent", "delivered", "read", "replied"] {
                        #expect(try await f.count("outreach_execution_events", "execution_id = $1 AND status = $2", [f.whatsappExecution, status]) == 1)
                    }
                    #expect(try await f.count("outreach_contacts", "id = $1 AND whatsapp_last_inbound_at IS NOT NULL", [f.contact]) == 1)
                }
            }
        }
    }

    @Test func bouncesFlowBackSigned() async throws {
        try await ServerFixture.with { f in
            var configuration = f.configuration
            configuration.now = { Date() }
            try await f.application(configuration: configuration).test(.live) { serve in
                try await sandbox(serving: serve.port!) { options in
                    options.openRate = 0
                    options.replyRate = 0
                    options.bounceRate = 0
                }.test(.live) { provider in
                    let emailID = try await send(provider, uri: "/emails", bearer: "re_test",
                        body: #"{"from":"Acme <hello@acme.test>","to":["bounce@example.com"],"subject":"Hi","html":"<p>Hi</p>"}"#)
                    try await f.db.execute("UPDATE outreach_executions SET provider_message_id = $1 WHERE id = $2", [emailID, f.emailExecution])
                    try await waitFor("the bounce") { try await f.executionStatus(f.emailExecution) == "bounced" }
                    #expect(try await f.count("outreach_suppressions", "address = 'bounce@example.com' AND reason = 'hard_bounce'") == 1)
                    #expect(try await f.count("outreach_consent_history", "actor = 'webhook:resend'") == 1)
                    #expect(try await f.enrollmentState() == "active 1")
                }
            }
        }
    }
}
