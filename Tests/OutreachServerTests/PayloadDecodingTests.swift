import Foundation
import OutreachCore
import OutreachEngine
import Testing

/// Provider payloads decode into events (pure, no database).
@Suite struct PayloadDecodingTests {
    @Test func resendDocumentedBouncePayload() throws {
        let body = #"{"type":"email.bounced","created_at":"2024-11-22T23:41:12.126Z","data":{"broadcast_id":"8b146471-e88e-4322-86af-016cd36fd216","created_at":"2024-11-22T23:41:11.894719+00:00","email_id":"56761188-7520-42d8-8898-ff6fc54ce618","from":"Acme <onboarding@resend.dev>","to":["delivered@resend.dev"],"subject":"Sending this example","template_id":"43f68331-0622-4e15-8202-246a0388854b","bounce":{"message":"The recipient's email address is on the suppression list because it has a recent history of producing hard bounces.","subType":"Suppressed","type":"Permanent"},"tags":{"category":"confirm_email"}}}"#
        let decoded = try ResendWebhook.decode(Array(body.utf8), svixID: "msg_1")
        guard case .status(let event) = decoded.events.first else { Issue.record("no status event"); return }
        #expect(event.providerMessageID == "56761188-7520-42d8-8898-ff6fc54ce618")
        #expect(event.status == .bounced)
        #expect(event.suppression == .hardBounce)
        #expect(event.recipient == "delivered@resend.dev")
        #expect(event.errorCode == "bounce:Permanent:Suppressed")
        #expect(abs(event.occurredAt.timeIntervalSince1970 - 1732318872.126) < 0.01)
    }

    @Test func resendInboundEmailIsAReply() throws {
        let body = #"{"type":"email.received","created_at":"2025-01-01T00:00:00Z","data":{"email_id":"x","from":"Ada <ADA@example.com>","to":["hello@acme.test"]}}"#
        let decoded = try ResendWebhook.decode(Array(body.utf8), svixID: "msg_2")
        #expect(decoded.events == [.inbound(InboundMessage(dedupeKey: "msg_2", provider: .resend, channel: .email, sender: "ada@example.com",
                                                           receivingAccount: "hello@acme.test", occurredAt: Date(timeIntervalSince1970: 1735689600)))])
    }

    @Test func malformedBodiesAreBadInput() {
        for body in ["", "[]", "{\"type\":", #"{"data":{}}"#] {
            #expect(throws: OutreachError.self) { try ResendWebhook.decode(Array(body.utf8), svixID: "m") }
        }
        #expect(throws: OutreachError.self) { try WhatsAppWebhook.decode(Array(#"{"object":"page"}"#.utf8)) }
        #expect(throws: OutreachError.self) { try TelegramUpdate.decode(Array(#"{"message":{}}"#.utf8)) }
    }

    @Test func telegramIgnoresBotsAndOtherUpdates() throws {
        #expect(try TelegramUpdate.decode(Array(#"{"update_id":1,"my_chat_member":{}}"#.utf8)).ignored == 1)
        #expect(try TelegramUpdate.decode(Array(#"{"update_id":2,"message":{"chat":{"id":5},"from":{"is_bot":true},"date":1}}"#.utf8)).ignored == 1)
        let group = try TelegramUpdate.decode(Array(#"{"update_id":3,"message":{"chat":{"id":-1001234567890},"from":{"id":1,"is_bot":false},"date":1,"text":"hi"}}"#.utf8))
        guard case .inbound(let message) = group.events.first else { Issue.record("no inbound"); return }
        #expect(message.sender == "-1001234567890")
        #expect(message.dedupeKey == "3")
    }
}
