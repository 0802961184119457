import Foundation
import OutreachCrypto
@testable import Sandbox
import Testing

/// What the sandbox calls back for an accepted message, and how it signs it.
@Suite struct WebhookCallbackTests {
    var options: SandboxWebhookOptions {
        var options = SandboxWebhookOptions(environment: [
            "RESEND_WEBHOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "WHATSAPP_APP_SECRET": "app-secret",
            "TELEGRAM_WEBHOOK_SECRET": "tg-secret",
        ])
        options.openRate = 0.5
        options.replyRate = 0.2
        options.bounceRate = 0.1
        return options
    }

    func message(_ channel: ProviderChannel, to: String) -> SandboxMessage {
        SandboxMessage(id: "m1", channel: channel, account: "123456123", to: to, recipients: channel == .email ? [to] : nil,
                       from: "Acme <hello@acme.test>", subject: "Hi", receivedAt: Date())
    }

    @Test func planFollowsTheRolls() {
        let email = message(.email, to: "ada@example.com")
        let none = CallbackPlan.Rolls(bounce: 0.9, open: 0.9, reply: 0.9)
        #expect(CallbackPlan.events(for: email, options: options, rolls: none) == [.resend("email.sent"), .resend("email.delivered")])
        #expect(CallbackPlan.events(for: email, options: options, rolls: .init(bounce: 0.9, open: 0.1, reply: 0.9))
                == [.resend("email.sent"), .resend("email.delivered"), .resend("email.opened")])
        #expect(CallbackPlan.events(for: email, options: options, rolls: .init(bounce: 0.9, open: 0.9, reply: 0.1))
                == [.resend("email.sent"), .resend("email.delivered"), .resend("email.opened"), .resendReply])
        #expect(CallbackPlan.events(for: email, options: options, rolls: .init(bounce: 0.05, open: 0.1, reply: 0.1))
                == [.resend("email.sent"), .resend("email.bounced")])
        #expect(CallbackPlan.events(for: message(.email, to: "bounce+1@example.com"), options: options, rolls: none)
                == [.resend("email.sent"), .resend("email.bounced")])

        let whatsapp = message(.whatsapp, to: "+39 333 1234567")
        #expect(CallbackPlan.events(for: whatsapp, options: options, rolls: .init(bounce: 0.9, open: 0.9, reply: 0.1)) == [
            .whatsappStatus("sent", errorCode: nil), .whatsappStatus("delivered", errorCode: nil),
            .whatsappStatus("read", errorCode: nil), .whatsappReply,
        ])
        #expect(CallbackPlan.events(for: whatsapp, options: options, rolls: .init(bounce: 0.0, open: 0.1, reply: 0.1))
                == [.whatsappStatus("sent", errorCode: nil), .whatsappStatus("failed", errorCode: 131026)])

        #expect(CallbackPlan.events(for: message(.telegram, to: "777"), options: options, rolls: none) == [])
        #expect(CallbackPlan.events(for: message(.telegram, to: "777"), options: options, rolls: .init(bounce: 0, open: 0, reply: 0.1)) == [.telegramReply])
        #expect(CallbackPlan.events(for: message(.telegram, to: "@channel"), options: options, rolls: .init(bounce: 0, open: 0, reply: 0.1)) == [])
    }

    @Test func requestsAreSignedAsTheProvidersSignThem() throws {
        let payloads = CallbackPayloads(options: options)
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let email = try #require(payloads.request(for: .resend("email.delivered"), message: message(.email, to: "ada@example.com"),
                                                  eventID: "abc", updateID: 1, now: now))
        #expect(email.path == "resend")
        let header = { (name: String, request: CallbackRequest) in request.headers.first { $0.name == name }?.value }
        let key = try #require(Base64.decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"))
        let signed = "\(header("svix-id", email)!).\(header("svix-timestamp", email)!).\(email.body)"
        #expect(header("svix-signature", email) == "v1," + Base64.encode(HMAC.sha256(key: key, message: Array(signed.utf8))))
        #expect(header("svix-timestamp", email) == "1750000000")
        #expect(email.body.contains(#""email_id":"m1""#))

        let whatsapp = try #require(payloads.request(for: .whatsappReply, message: message(.whatsapp, to: "+39 333 1234567"),
                                                     eventID: "x", updateID: 2, now: now))
        #expect(header("X-Hub-Signature-256", whatsapp)
                == "sha256=" + Hex.encode(HMAC.sha256(key: Array("app-secret".utf8), message: Array(whatsapp.body.utf8))))
        #expect(whatsapp.body.contains(#""from":"393331234567""#))
        #expect(whatsapp.body.contains(#""phone_number_id":"123456123""#))

        let telegram = try #require(payloads.request(for: .telegramReply, message: message(.telegram, to: "777"),
                                                     eventID: "y", updateID: 42, now: now))
        #expect(header("X-Telegram-Bot-Api-Secret-Token", telegram) == "tg-secret")
        #expect(telegram.body.contains(#""update_id":42"#))

        // No secret, no callback.
        let unsigned = CallbackPayloads(options: SandboxWebhookOptions(environment: [:]))
        #expect(unsigned.request(for: .resend("email.sent"), message: message(.email, to: "a@b.c"), eventID: "z", updateID: 3, now: now) == nil)
    }
}
