import Channels
import Foundation
import HTTPClient
import OutreachCore
import Postgres
import Testing
import TestSupport

/// Each channel client against the sandbox: the request the sandbox recorded has the
/// provider's shape, and success returns the provider's message id.
@Suite struct ChannelClientTests {
    let http = HTTPClient()

    @Test func resendSendsTheDocumentedRequestAndDedupesByKey() async throws {
        let sandbox = try await LiveSandbox.start()
        defer { sandbox.stop() }
        let client = ResendClient(apiKey: "re_test", baseURL: sandbox.url, http: http)
        let email = OutboundMessage.email(EmailMessage(
            from: "Acme <hi@acme.test>", to: "ana@example.com", subject: "Ciao Ana", html: "<p>Ciao</p>", text: "Ciao",
            unsubscribeURL: "https://o.test/unsubscribe/tok", tags: ["execution": "42"]))
        let first = try await client.send(email, idempotencyKey: "step:1:1")
        let again = try await client.send(email, idempotencyKey: "step:1:1")
        #expect(first == again)
        let messages = try await sandbox.messages()
        #expect(messages.count == 1)
        let m = try #require(messages.first)
        #expect(m["channel"] as? String == "email")
        #expect(m["to"] as? String == "ana@example.com")
        #expect(m["subject"] as? String == "Ciao Ana")
        #expect(m["idempotency_key"] as? String == "step:1:1")
        #expect(m["id"] as? String == first.providerMessageID)
        let headers = m["headers"] as? [String: String]
        #expect(headers?["List-Unsubscribe"] == "<https://o.test/unsubscribe/tok>")
        #expect(headers?["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
        // The same key with another payload is refused, permanently.
        await #expect(throws: ChannelError.self) {
            _ = try await client.send(.email(EmailMessage(from: "a@acme.test", to: "x@example.com", subject: "other", html: "x", text: "x")),
                                      idempotencyKey: "step:1:1")
        }
        http.shutdown()
    }

    @Test func whatsappTextAndTemplate() async throws {
        let sandbox = try await LiveSandbox.start()
        defer { sandbox.stop() }
        let client = WhatsAppClient(accessToken: "EAAtest", phoneNumberID: "1234567890", apiVersion: "v21.0", baseURL: sandbox.url, http: http)
        let text = try await client.send(.whatsapp(WhatsAppMessage(phoneNumberID: "1234567890", to: "+393331234567", content: .text("Ciao"))),
                                         idempotencyKey: "k1")
        #expect(text.providerMessageID.hasPrefix("wamid."))
        let template = try await client.send(.whatsapp(WhatsAppMessage(
            phoneNumberID: "1234567890", to: "+393331234567", content: .template(name: "followup_v1", language: "it", parameters: ["Ana"]))),
            idempotencyKey: "k2")
        #expect(template.providerMessageID.hasPrefix("wamid."))
        let messages = try await sandbox.messages()
        #expect(messages.map { $0["channel"] as? String } == ["whatsapp", "whatsapp"])
        #expect(messages[0]["text"] as? String == "Ciao")
        #expect(messages.allSatisfy { ($0["to"] as? String)?.contains("393331234567") == true })
        // A bad token is a configuration error: the engine pauses the channel instead of failing jobs.
        let bad = WhatsAppClient(accessToken: "", phoneNumberID: "1", apiVersion: "v21.0", baseURL: sandbox.url, http: http)
        do {
            _ = try await bad.send(.whatsapp(WhatsAppMessage(phoneNumberID: "1", to: "+39333", content: .text("x"))), idempotencyKey: "k3")
            Issue.record("an empty token was accepted")
        } catch {
            #expect(error.disposition == .configuration)
        }
        http.shutdown()
    }

    @Test func telegramHTMLAndBlockedUser() async throws {
        let sandbox = try await LiveSandbox.start()
        defer { sandbox.stop() }
        let client = TelegramClient(botToken: "123:ABC", baseURL: sandbox.url, http: http)
        let ok = try await client.send(.telegram(TelegramMessage(chatID: "987654", text: "Ciao <b>Ana &amp; Bob</b>")), idempotencyKey: "k")
        #expect(Int(ok.providerMessageID) != nil)
        let m = try #require(try await sandbox.messages().first)
        #expect(m["parse_mode"] as? String == "HTML")
        #expect(m["to"] as? String == "987654")
        do {
            _ = try await client.send(.telegram(TelegramMessage(chatID: "403403", text: "hi")), idempotencyKey: "k")
            Issue.record("a blocked user was accepted")
        } catch {
            #expect(error.code == .blockedByUser)
            #expect(error.disposition == .permanent)
            #expect(error.suppressesRecipient)
        }
        http.shutdown()
    }

    /// SPEC §4: a WhatsApp or Telegram send goes out at most once. A reused keep-alive
    /// connection that dies before the answer would make libcurl send the request again by
    /// itself; the clients forbid that, so the provider sees one call and the step is unknown.
    @Test func aDroppedReusedConnectionIsUnknownAndNeverSentAgain() async throws {
        let sandbox = try await LiveSandbox.start { $0.failRate = 1; $0.faultKinds = [.droppedConnection] }
        defer { sandbox.stop() }
        let clients: [(any ChannelClient, OutboundMessage)] = [
            (WhatsAppClient(accessToken: "EAAtest", phoneNumberID: "1234567890", apiVersion: "v21.0", baseURL: sandbox.url, http: http),
             .whatsapp(WhatsAppMessage(phoneNumberID: "1234567890", to: "+393331234567", content: .text("Ciao")))),
            (TelegramClient(botToken: "1:x", baseURL: sandbox.url, http: http), .telegram(TelegramMessage(chatID: "7", text: "Ciao"))),
        ]
        for (client, message) in clients {
            // A control request (no faults there) leaves a keep-alive connection for the send to reuse.
            _ = try await http.execute(HTTPRequest(url: sandbox.url + "/_sandbox/health"))
            do {
                _ = try await client.send(message, idempotencyKey: "k")
                Issue.record("the sandbox drops every send")
            } catch {
                #expect(error.disposition == .unknownOutcome)
            }
        }
        let stats = try await http.execute(HTTPRequest(url: sandbox.url + "/_sandbox/stats"))
        let total = (try JSONSerialization.jsonObject(with: Data(stats.body)) as? [String: Any])?["total"] as? [String: Any]
        #expect(total?["faults"] as? Int == 2, "each send reached the provider once: \(String(decoding: stats.body, as: UTF8.self))")
        http.shutdown()
    }

    @Test func refusedConnectionIsRetryableAndTimeoutIsUnknownWithoutIdempotency() async throws {
        let client = TelegramClient(botToken: "1:x", baseURL: "http://127.0.0.1:1", http: http)
        do {
            _ = try await client.send(.telegram(TelegramMessage(chatID: "1", text: "x")), idempotencyKey: "k")
            Issue.record("sent to a closed port")
        } catch {
            #expect(error.disposition == .retryable(retryAfter: nil))
        }
        // A provider that takes longer than our timeout may have sent it: unknown, not retried.
        let sandbox = try await LiveSandbox.start { $0.latency = .seconds(3) }
        defer { sandbox.stop() }
        let slow = TelegramClient(botToken: "1:x", baseURL: sandbox.url, http: http, timeout: .milliseconds(300))
        do {
            _ = try await slow.send(.telegram(TelegramMessage(chatID: "1", text: "x")), idempotencyKey: "k")
            Issue.record("no timeout")
        } catch {
            #expect(error.code == .timeout)
            #expect(error.disposition == .unknownOutcome)
        }
        let resend = ResendClient(apiKey: "re_test", baseURL: sandbox.url, http: http, timeout: .milliseconds(300))
        do {
            _ = try await resend.send(.email(EmailMessage(from: "a@b.test", to: "c@d.test", subject: "s", html: "h", text: "h")),
                                      idempotencyKey: "k")
            Issue.record("no timeout")
        } catch {
            #expect(error.disposition == .retryable(retryAfter: nil), "Resend dedupes by key: a timeout is safe to retry")
        }
        http.shutdown()
    }

    /// Four senders on separate database connections share one 20/s bucket for 5 s: the
    /// sandbox accepts no more than the rate allows (plus one burst) and rejects nothing.
    @Test func sharedBucketHoldsAcrossConnections() async throws {
        try await TestDatabase.withDatabase { url in
            let setup = try await PostgresConnection.connect(url)
            _ = try await OutreachStoreMigrate.run(setup)
            setup.close()
            let sandbox = try await LiveSandbox.start { $0.rateLimitPerSecond = 45 }
            defer { sandbox.stop() }
            let client = TelegramClient(botToken: "77:shared", baseURL: sandbox.url, http: http)
            let limiter = ProviderRateLimiter(account: client.rateLimitAccount, ratePerSecond: 20)
            let deadline = ContinuousClock.now + .seconds(5)
            let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
                for sender in 0..<4 {
                    group.addTask {
                        let db = try await PostgresConnection.connect(url)
                        defer { db.close() }
                        try await limiter.register(on: db)
                        var ok = 0, limited = 0
                        while ContinuousClock.now < deadline {
                            let (granted, wait) = try await limiter.tryAcquire(1, on: db)
                            if granted == 0 {
                                try await Task.sleep(for: max(wait, .milliseconds(5)))
                                continue
                            }
                            do {
                                _ = try await client.send(.telegram(TelegramMessage(chatID: "\(sender)", text: "x")), idempotencyKey: "k")
                                ok += 1
                            } catch {
                                if (error as? ChannelError)?.code == .rateLimited { limited += 1 }
                            }
                        }
                        return (ok, limited)
                    }
                }
                var total = (0, 0)
                for try await r in group { total.0 += r.0; total.1 += r.1 }
                return total
            }
            let accepted = try await sandbox.messages().count
            #expect(results.1 == 0, "the sandbox answered 429")
            #expect(accepted == results.0)
            #expect(accepted <= 5 * 20 + 20 + 2, "accepted \(accepted) in 5 s from a 20/s bucket")
            // Liveness only (a loaded CI machine sends slower than the bucket allows).
            #expect(accepted >= 50, "the bucket starved the senders: \(accepted)")
            http.shutdown()
        }
    }
}
