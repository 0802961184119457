import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Postgres
import Testing

/// `POST /webhooks/resend` over real HTTP against a real database.
@Suite struct ResendWebhookTests {
    @Test func outOfOrderEventsEndAtTheFurthestStatus() async throws {
        try await ServerFixture.with { f in
            try await f.application().test(.live) { client in
                let opened = f.resendEvent("email.opened")
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "msg_open", body: opened),
                                         body: ByteBuffer(string: opened)) { #expect($0.status == .ok) }
                #expect(try await f.executionStatus(f.emailExecution) == "opened")

                // A late `delivered` is recorded on the timeline but does not regress the status.
                let delivered = f.resendEvent("email.delivered")
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "msg_deliv", body: delivered),
                                         body: ByteBuffer(string: delivered)) { #expect($0.status == .ok) }
                #expect(try await f.executionStatus(f.emailExecution) == "opened")
                #expect(try await f.count("outreach_executions", "id = $1 AND delivered_at IS NOT NULL AND opened_at IS NOT NULL", [f.emailExecution]) == 1)
                #expect(try await f.count("outreach_execution_events", "execution_id = $1 AND source = 'webhook'", [f.emailExecution]) == 2)

                // The same event again (same svix-id) changes nothing at all.
                let before = try await f.snapshot()
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "msg_deliv", body: delivered),
                                         body: ByteBuffer(string: delivered)) { #expect($0.status == .ok) }
                #expect(try await f.snapshot() == before)

                // Clicked moves it on; the documented misspelling of delivery_delayed is accepted.
                let clicked = f.resendEvent("email.clicked")
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "msg_click", body: clicked),
                                         body: ByteBuffer(string: clicked)) { #expect($0.status == .ok) }
                let delayed = f.resendEvent("email.delivered_delayed")
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "msg_delay", body: delayed),
                                         body: ByteBuffer(string: delayed)) { #expect($0.status == .ok) }
                #expect(try await f.executionStatus(f.emailExecution) == "clicked")
                #expect(try await f.count("outreach_execution_events", "status = 'delivery_delayed'") == 1)
            }
        }
    }

    @Test func hardBounceSuppressesAndRevokesConsentWithHistory() async throws {
        try await ServerFixture.with { f in
            try await f.application().test(.router) { client in
                let bounce = f.resendEvent("email.bounced", extra: #","bounce":{"message":"Mailbox does not exist","subType":"General","type":"Permanent"}"#)
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "msg_b", body: bounce),
                                         body: ByteBuffer(string: bounce)) { #expect($0.status == .ok) }
                #expect(try await f.executionStatus(f.emailExecution) == "bounced")
                #expect(try await f.count("outreach_executions", "id = $1 AND error_code = 'bounce:Permanent:General'", [f.emailExecution]) == 1)
                #expect(try await f.count("outreach_suppressions", "address = 'ada@example.com' AND reason = 'hard_bounce' AND channel = 'email'") == 1)
                #expect(try await f.count("outreach_consent", "channel = 'email' AND status = 'revoked' AND version = 2 AND revoked_at IS NOT NULL") == 1)
                #expect(try await f.count("outreach_consent", "channel = 'whatsapp' AND status = 'granted'") == 1)
                #expect(try await f.count("outreach_consent_history", "action = 'revoke' AND actor = 'webhook:resend' AND channel = 'email' AND source = 'resend:hard_bounce'") == 1)
                // A later `opened` cannot resurrect a bounced message.
                let opened = f.resendEvent("email.opened")
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "msg_o", body: opened),
                                         body: ByteBuffer(string: opened)) { #expect($0.status == .ok) }
                #expect(try await f.executionStatus(f.emailExecution) == "bounced")
            }
        }
    }

    @Test func complaintSuppressesButTransientBounceDoesNot() async throws {
        try await ServerFixture.with { f in
            try await f.application().test(.router) { client in
                let transient = f.resendEvent("email.bounced", extra: #","bounce":{"message":"Mailbox full","subType":"MailboxFull","type":"Transient"}"#)
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "msg_t", body: transient),
                                         body: ByteBuffer(string: transient)) { #expect($0.status == .ok) }
                #expect(try await f.count("outreach_suppressions") == 0)
                #expect(try await f.count("outreach_consent", "channel = 'email' AND status = 'granted'") == 1)

                let complaint = f.resendEvent("email.complained")
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "msg_c", body: complaint),
                                         body: ByteBuffer(string: complaint)) { #expect($0.status == .ok) }
                #expect(try await f.count("outreach_suppressions", "reason = 'complaint'") == 1)
                #expect(try await f.count("outreach_consent_history", "source = 'resend:complaint'") == 1)
            }
        }
    }

    @Test func unknownMessagesAreAcknowledgedOnce() async throws {
        try await ServerFixture.with { f in
            try await f.application().test(.router) { client in
                let event = f.resendEvent("email.delivered", emailID: "00000000-dead-beef-0000-000000000000")
                for _ in 0..<2 {
                    try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "msg_u", body: event),
                                             body: ByteBuffer(string: event)) { #expect($0.status == .ok) }
                }
                #expect(try await f.count("outreach_execution_events") == 0)
                #expect(try await f.count("outreach_webhook_events", "provider = 'resend' AND event_id = 'msg_u' AND workspace_id IS NULL") == 1)
                // Other event kinds are acknowledged and ignored.
                let contact = #"{"type":"contact.created","created_at":"2025-06-15T15:06:40Z","data":{"id":"c1"}}"#
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "msg_x", body: contact),
                                         body: ByteBuffer(string: contact)) { #expect($0.status == .ok) }
            }
        }
    }

    @Test func failedVerificationIs401AndChangesNothing() async throws {
        try await ServerFixture.with { f in
            try await f.application().test(.live) { client in
                let before = try await f.snapshot()
                let event = f.resendEvent("email.delivered")
                var tampered = f.resendHeaders(id: "msg_1", body: event)
                tampered[HTTPField.Name("svix-id")!] = "msg_2"
                var stale = f.resendHeaders(id: "msg_1", body: event, timestamp: ServerFixture.now - 6 * 60)
                var future = f.resendHeaders(id: "msg_1", body: event, timestamp: ServerFixture.now + 6 * 60)
                var missing = f.resendHeaders(id: "msg_1", body: event)
                missing[HTTPField.Name("svix-signature")!] = nil
                stale[.contentType] = "application/json"
                future[.contentType] = "application/json"
                for headers in [tampered, stale, future, missing] {
                    try await client.execute(uri: "/webhooks/resend", method: .post, headers: headers, body: ByteBuffer(string: event)) { response in
                        #expect(response.status == .unauthorized)
                        #expect(response.body.text == #"{"error":"unauthorized"}"#)
                    }
                }
                // The right signature over a different body.
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "msg_1", body: event),
                                         body: ByteBuffer(string: event + " ")) { #expect($0.status == .unauthorized) }
                #expect(try await f.snapshot() == before)
            }
        }
    }

    @Test func badInputGetsA4xxAndTheServerKeepsServing() async throws {
        try await ServerFixture.with { f in
            try await f.application().test(.live) { client in
                let before = try await f.snapshot()
                let malformed = #"{"type":"email.delivered","data":"#
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "m1", body: malformed),
                                         body: ByteBuffer(string: malformed)) { response in
                    #expect(response.status == .badRequest)
                    #expect(response.body.text.contains("not valid JSON"))
                }
                let noID = #"{"type":"email.delivered","data":{}}"#
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "m2", body: noID),
                                         body: ByteBuffer(string: noID)) { #expect($0.status == .badRequest) }
                let event = f.resendEvent("email.delivered")
                var wrongType = f.resendHeaders(id: "m3", body: event)
                wrongType[.contentType] = "text/plain"
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: wrongType,
                                         body: ByteBuffer(string: event)) { #expect($0.status == .unsupportedMediaType) }
                let huge = String(repeating: "x", count: 10 * 1024 * 1024)
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "m4", body: huge),
                                         body: ByteBuffer(string: huge)) { #expect($0.status == .contentTooLarge) }
                #expect(try await f.snapshot() == before)
                try await client.execute(uri: "/healthz", method: .get) { #expect($0.status == .ok) }
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "m5", body: event),
                                         body: ByteBuffer(string: event)) { #expect($0.status == .ok) }
                #expect(try await f.executionStatus(f.emailExecution) == "delivered")
            }
        }
    }

    @Test func unconfiguredSecretRefusesWith503() async throws {
        try await ServerFixture.with { f in
            var configuration = f.configuration
            configuration.resendWebhookSecret = nil
            try await f.application(configuration: configuration).test(.router) { client in
                let event = f.resendEvent("email.delivered")
                try await client.execute(uri: "/webhooks/resend", method: .post, headers: f.resendHeaders(id: "m", body: event),
                                         body: ByteBuffer(string: event)) { #expect($0.status == .serviceUnavailable) }
                #expect(try await f.executionStatus(f.emailExecution) == "sent")
            }
        }
    }
}
