import Channels
import HTTPClient
import OutreachCore
import Testing

/// `ChannelBatch`: three providers' messages in one batch against the sandbox, each outcome in
/// its item's slot, read by its own client.
@Suite struct ChannelBatchTests {
    @Test func aMixedBatchSendsEachMessageOnceAndKeepsItsOrder() async throws {
        let sandbox = try await LiveSandbox.start()
        defer { sandbox.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let resend = ResendClient(apiKey: "re_test", baseURL: sandbox.url, http: http)
        let whatsapp = WhatsAppClient(accessToken: "EAAtest", phoneNumberID: "1234567890", apiVersion: "v21.0",
                                      baseURL: sandbox.url, http: http)
        let telegram = TelegramClient(botToken: "1:test", baseURL: sandbox.url, http: http)
        var items: [ChannelBatch.Item] = []
        for i in 0..<30 {
            switch i % 3 {
            case 0:
                items.append(.init(client: resend, message: .email(EmailMessage(
                    from: "Acme <hi@acme.test>", to: "p\(i)@example.com", subject: "Hi \(i)", html: "<p>\(i)</p>", text: "\(i)")),
                    idempotencyKey: "batch:\(i)"))
            case 1:
                items.append(.init(client: whatsapp, message: .whatsapp(WhatsAppMessage(
                    phoneNumberID: "1234567890", to: "+39333000\(1000 + i)", content: .text("Ciao \(i)"))), idempotencyKey: "batch:\(i)"))
            default:
                items.append(.init(client: telegram, message: .telegram(TelegramMessage(chatID: "\(5000 + i)", text: "Hi \(i)")),
                                   idempotencyKey: "batch:\(i)"))
            }
        }
        // A message its client cannot carry fails in its own slot, before any exchange.
        items.append(.init(client: telegram, message: items[0].message, idempotencyKey: "batch:wrong"))

        let outcomes = await ChannelBatch.send(items)
        #expect(outcomes.count == 31)
        for (i, outcome) in outcomes.prefix(30).enumerated() {
            let receipt = try outcome.result.get()
            switch i % 3 {
            case 0: #expect(!receipt.providerMessageID.hasPrefix("wamid."))
            case 1: #expect(receipt.providerMessageID.hasPrefix("wamid."))
            default: #expect(Int(receipt.providerMessageID) != nil)
            }
            #expect(outcome.elapsed != nil)
        }
        guard case .failure(let wrong) = outcomes[30].result else {
            Issue.record("an email went out through Telegram")
            return
        }
        #expect(wrong.disposition == .permanent)
        #expect(outcomes[30].elapsed == nil)
        let messages = try await sandbox.messages()
        #expect(messages.count == 30, "each message exactly once")
        #expect(Set(messages.compactMap { $0["channel"] as? String }) == ["email", "whatsapp", "telegram"])
        #expect(http.stats.responses == 30)
    }

    /// Clients on different HTTP clients: each client's exchanges go through its own, at once,
    /// and the outcomes still come back in the items' order.
    @Test func itemsOnSeveralHTTPClientsKeepTheirOrder() async throws {
        let sandbox = try await LiveSandbox.start()
        defer { sandbox.stop() }
        let (first, second) = (HTTPClient(), HTTPClient())
        defer { first.shutdown(); second.shutdown() }
        let telegrams = [first, second].map { TelegramClient(botToken: "1:test", baseURL: sandbox.url, http: $0) }
        let items = (0..<10).map { i in
            ChannelBatch.Item(client: telegrams[i % 3 == 0 ? 0 : 1], message: .telegram(TelegramMessage(chatID: "\(7000 + i)", text: "m\(i)")),
                              idempotencyKey: "several:\(i)")
        }
        let outcomes = await ChannelBatch.send(items)
        let ids = try outcomes.map { try $0.result.get().providerMessageID }
        #expect(Set(ids).count == 10)
        #expect(first.stats.responses == 4 && second.stats.responses == 6)
        let messages = try await sandbox.messages()
        // Each outcome is its own item's: the sandbox's id for chat 7000 + i is in slot i.
        var idByChat: [String: String] = [:]
        for message in messages {
            if let to = message["to"] as? String, let id = message["id"] as? String { idByChat[to] = id }
        }
        #expect(messages.count == 10)
        #expect((0..<10).allSatisfy { idByChat["\(7000 + $0)"] == ids[$0] })
    }

    /// A worker stopped mid-send cancels its batch: the request may already be at the
    /// provider, so WhatsApp and Telegram must not send it again (SPEC §4, never twice), while
    /// Resend may, under the same Idempotency-Key.
    @Test func aCancelledBatchLeavesWhatsAppAndTelegramUnknownAndResendRetryable() async throws {
        let sandbox = try await LiveSandbox.start { $0.latency = .seconds(10) }
        defer { sandbox.stop() }
        let http = HTTPClient()
        defer { http.shutdown() }
        let items: [ChannelBatch.Item] = [
            .init(client: ResendClient(apiKey: "re_test", baseURL: sandbox.url, http: http),
                  message: .email(EmailMessage(from: "a@acme.test", to: "p@example.com", subject: "s", html: "h", text: "t")),
                  idempotencyKey: "cancel:1"),
            .init(client: WhatsAppClient(accessToken: "EAAtest", phoneNumberID: "1234567890", apiVersion: "v21.0",
                                         baseURL: sandbox.url, http: http),
                  message: .whatsapp(WhatsAppMessage(phoneNumberID: "1234567890", to: "+393330001111", content: .text("Ciao"))),
                  idempotencyKey: "cancel:2"),
            .init(client: TelegramClient(botToken: "1:test", baseURL: sandbox.url, http: http),
                  message: .telegram(TelegramMessage(chatID: "42", text: "Hi")), idempotencyKey: "cancel:3"),
        ]
        let task = Task { await ChannelBatch.send(items) }
        try await Task.sleep(for: .milliseconds(300))
        task.cancel()
        let outcomes = await task.value
        let dispositions = outcomes.map { outcome -> ChannelError.Disposition? in
            if case .failure(let error) = outcome.result { return error.disposition }
            return nil
        }
        #expect(dispositions == [.retryable(retryAfter: nil), .unknownOutcome, .unknownOutcome])
    }

    @Test func aFailedExchangeIsClassifiedLikeASingleSend() async throws {
        let http = HTTPClient(configuration: .init(connectTimeout: .seconds(2)))
        defer { http.shutdown() }
        // Nothing listens on port 1: the request never reached a provider, so it may be retried.
        let whatsapp = WhatsAppClient(accessToken: "EAAtest", phoneNumberID: "1", apiVersion: "v21.0",
                                      baseURL: "http://127.0.0.1:1", http: http)
        let outcomes = await ChannelBatch.send([.init(client: whatsapp, message: .whatsapp(WhatsAppMessage(
            phoneNumberID: "1", to: "+393330001111", content: .text("Ciao"))), idempotencyKey: "k")])
        guard case .failure(let error) = outcomes[0].result else {
            Issue.record("port 1 answered")
            return
        }
        #expect(error.disposition == .retryable(retryAfter: nil))
    }
}
