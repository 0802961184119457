import Foundation
import Hummingbird
import HummingbirdTesting
import Postgres
import Testing

/// WhatsApp and Telegram webhooks over real HTTP, with Meta's and Telegram's published payload shapes.
@Suite struct WhatsAppTelegramWebhookTests {
    func statusBatch(_ f: ServerFixture, unknownFailed: String = "wamid.UNKNOWN") -> String {
        """
        {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"value":{"messaging_product":"whatsapp",\
        "metadata":{"display_phone_number":"15550783881","phone_number_id":"\(ServerFixture.phoneNumberID)"},"statuses":[\
        {"id":"\(f.whatsappMessageID)","status":"read","timestamp":"1750000200","recipient_id":"16315551181"},\
        {"id":"\(f.whatsappMessageID)","status":"delivered","timestamp":"1750000100","recipient_id":"16315551181",\
        "conversation":{"id":"CONVERSATION_ID","expiration_timestamp":"1750086400","origin":{"type":"marketing"}},\
        "pricing":{"billable":true,"pricing_model":"CBP","category":"marketing"}},\
        {"id":"\(unknownFailed)","status":"failed","timestamp":"1750000300","recipient_id":"16315551182",\
        "errors":[{"code":131047,"title":"Re-engagement message","message":"Re-engagement message",\
        "error_data":{"details":"More than 24 hours have passed since the recipient last replied to the sender number."},\
        "href":"https://developers.facebook.com/docs/whatsapp/cloud-api/support/error-codes/"}]}]},"field":"messages"}]}]}
        """
    }

    static let inbound = """
        {"object":"whatsapp_business_account","entry":[{"id":"0","changes":[{"field":"messages","value":{"messaging_product":"whatsapp",\
        "metadata":{"display_phone_number":"16505551111","phone_number_id":"123456123"},"contacts":[{"profile":{"name":"test user name"},\
        "wa_id":"16315551181"}],"messages":[{"from":"16315551181","id":"ABGGFlA5Fpa","timestamp":"1504902988","type":"text",\
        "text":{"body":"this is a text message"}}]}}]}]}
        """

    @Test func handshake() async throws {
        try await ServerFixture.with { f in
            try await f.application().test(.live) { client in
                try await client.execute(
                    uri: "/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=\(ServerFixture.verifyToken)",
                    method: .get
                ) { response in
                    #expect(response.status == .ok)
                    #expect(response.body.text == "1158201444")
                    #expect(response.headers[.contentType]?.hasPrefix("text/plain") == true)
                }
                try await client.execute(uri: "/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token=wrong", method: .get) {
                    #expect($0.status == .forbidden)
                    #expect(!$0.body.text.contains("1158201444"))
                }
            }
        }
    }

    @Test func statusBatchMovesForwardAndRecordsErrors() async throws {
        try await ServerFixture.with { f in
            let failing = try await f.insertExecution(sequence: try await f.db.query("SELECT id FROM outreach_sequences")[0].decode("id"),
                                                      step: 3, channel: "whatsapp", providerID: "wamid.FAILING")
            try await f.application().test(.live) { client in
                let body = statusBatch(f, unknownFailed: "wamid.FAILING")
                try await client.execute(uri: "/webhooks/whatsapp", method: .post, headers: f.whatsappHeaders(body: body),
                                         body: ByteBuffer(string: body)) { #expect($0.status == .ok) }
                // `read` came first in the batch; the late `delivered` does not regress it.
                #expect(try await f.executionStatus(f.whatsappExecution) == "read")
                #expect(try await f.count("outreach_executions", "id = $1 AND delivered_at IS NOT NULL AND opened_at IS NOT NULL", [f.whatsappExecution]) == 1)
                #expect(try await f.executionStatus(failing) == "failed")
                #expect(try await f.count("outreach_executions", "id = $1 AND error_code = '131047' AND error_message LIKE 'More than 24 hours%'", [failing]) == 1)
                #expect(try await f.count("outreach_webhook_events", "provider = 'whatsapp' AND event_id = $1", ["\(f.whatsappMessageID):read"]) == 1)

                let before = try await f.snapshot()
                try await client.execute(uri: "/webhooks/whatsapp", method: .post, headers: f.whatsappHeaders(body: body),
                                         body: ByteBuffer(string: body)) { #expect($0.status == .ok) }
                #expect(try await f.snapshot() == before)
            }
        }
    }

    @Test func badSignatureIs401() async throws {
        try await ServerFixture.with { f in
            try await f.application().test(.router) { client in
                let before = try await f.snapshot()
                let body = statusBatch(f)
                try await client.execute(uri: "/webhooks/whatsapp", method: .post, headers: f.whatsappHeaders(body: body, secret: "other"),
                                         body: ByteBuffer(string: body)) { #expect($0.status == .unauthorized) }
                try await client.execute(uri: "/webhooks/whatsapp", method: .post, headers: [.contentType: "application/json"],
                                         body: ByteBuffer(string: body)) { #expect($0.status == .unauthorized) }
                #expect(try await f.snapshot() == before)
            }
        }
    }

    @Test func inboundMessageIsAReplyAndOpensTheWindow() async throws {
        try await ServerFixture.with { f in
            try await f.application().test(.live) { client in
                try await client.execute(uri: "/webhooks/whatsapp", method: .post, headers: f.whatsappHeaders(body: Self.inbound),
                                         body: ByteBuffer(string: Self.inbound)) { #expect($0.status == .ok) }
                #expect(try await f.enrollmentState() == "replied 2")
                #expect(try await f.executionStatus(f.whatsappExecution) == "replied")
                #expect(try await f.executionStatus(f.emailExecution) == "sent")  // a reply on WhatsApp answers the WhatsApp message
                #expect(try await f.count("outreach_contacts", "id = $1 AND whatsapp_last_inbound_at = to_timestamp(1504902988)", [f.contact]) == 1)
                #expect(try await f.count("outreach_enrollments", "id = $1 AND next_run_at IS NULL", [f.enrollment]) == 1)
                let before = try await f.snapshot()
                try await client.execute(uri: "/webhooks/whatsapp", method: .post, headers: f.whatsappHeaders(body: Self.inbound),
                                         body: ByteBuffer(string: Self.inbound)) { #expect($0.status == .ok) }
                #expect(try await f.snapshot() == before)
            }
        }
    }

    @Test func inboundFromAnotherWorkspacesNumberDoesNotTouchThisOne() async throws {
        try await ServerFixture.with { f in
            let other = try await f.db.query("INSERT INTO outreach_workspaces (name) VALUES ('other') RETURNING id")[0].decode("id", as: UUID.self)
            try await f.db.execute("""
                INSERT INTO outreach_channel_config (workspace_id, channel, enabled, sender)
                VALUES ($1, 'whatsapp', true, '{"phone_number_id": "999"}')
                """, [other])
            try await f.application().test(.router) { client in
                let body = Self.inbound.replacingOccurrences(of: "\"123456123\"", with: "\"999\"")
                try await client.execute(uri: "/webhooks/whatsapp", method: .post, headers: f.whatsappHeaders(body: body),
                                         body: ByteBuffer(string: body)) { #expect($0.status == .ok) }
                #expect(try await f.enrollmentState() == "active 1")
            }
        }
    }

    static let telegramUpdate = """
        {"update_id":10000,"message":{"message_id":1365,"from":{"id":777000111,"is_bot":false,"first_name":"Ada","language_code":"it"},\
        "chat":{"id":777000111,"first_name":"Ada","type":"private"},"date":1750000300,"text":"grazie, mi interessa"}}
        """

    @Test func telegramSecretAndInboundUpdate() async throws {
        try await ServerFixture.with { f in
            try await f.application().test(.live) { client in
                let before = try await f.snapshot()
                try await client.execute(uri: "/webhooks/telegram", method: .post, headers: f.telegramHeaders(secret: "wrong"),
                                         body: ByteBuffer(string: Self.telegramUpdate)) { #expect($0.status == .unauthorized) }
                try await client.execute(uri: "/webhooks/telegram", method: .post, headers: [.contentType: "application/json"],
                                         body: ByteBuffer(string: Self.telegramUpdate)) { #expect($0.status == .unauthorized) }
                #expect(try await f.snapshot() == before)

                let start = Self.telegramUpdate.replacingOccurrences(of: "grazie, mi interessa", with: "/start").replacingOccurrences(of: "10000", with: "9999")
                try await client.execute(uri: "/webhooks/telegram", method: .post, headers: f.telegramHeaders(),
                                         body: ByteBuffer(string: start)) { #expect($0.status == .ok) }
                #expect(try await f.enrollmentState() == "active 1")

                try await client.execute(uri: "/webhooks/telegram", method: .post, headers: f.telegramHeaders(),
                                         body: ByteBuffer(string: Self.telegramUpdate)) { #expect($0.status == .ok) }
                #expect(try await f.enrollmentState() == "replied 2")
                #expect(try await f.count("outreach_webhook_events", "provider = 'telegram' AND event_id = '10000' AND workspace_id IS NOT NULL") == 1)
            }
        }
    }
}
