import Foundation
import JSON
import Testing
@testable import Channels

/// Each provider's documented error bodies (PROVIDERS.md) map to the disposition the engine needs.
@Suite struct ErrorClassificationTests {
    static func json(_ text: String) -> JSONValue? {
        JSONValue.parse(text)
    }

    // MARK: Resend

    @Test func resendRateLimitHonoursRetryAfter() {
        let e = ResendErrorClassifier.classify(
            status: 429, json: Self.json(#"{"statusCode":429,"name":"rate_limit_exceeded","message":"Too many requests"}"#),
            retryAfter: "3")
        #expect(e.code == .rateLimited)
        #expect(e.disposition == .retryable(retryAfter: .seconds(3)))
        #expect(e.providerCode == "rate_limit_exceeded")
    }

    @Test func resendRetryAfterAsHTTPDate() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        let date = "Tue, 14 Nov 2023 22:13:40 GMT"  // now + 20 s
        #expect(RetryAfter.parse(date, now: now) == .seconds(20))
        #expect(RetryAfter.parse("garbage") == nil)
        #expect(RetryAfter.parse("1.5") == .milliseconds(1500))
    }

    @Test func resendConcurrentIdempotentRequestIsRetryable() {
        let e = ResendErrorClassifier.classify(
            status: 409, json: Self.json(#"{"statusCode":409,"name":"concurrent_idempotent_requests","message":"in progress"}"#),
            retryAfter: nil)
        #expect(e.code == .concurrentIdempotentRequest)
        guard case .retryable = e.disposition else { Issue.record("not retryable: \(e)"); return }
    }

    @Test func resendInvalidIdempotentRequestIsPermanent() {
        let e = ResendErrorClassifier.classify(
            status: 409, json: Self.json(#"{"statusCode":409,"name":"invalid_idempotent_request","message":"other payload"}"#),
            retryAfter: nil)
        #expect(e.disposition == .permanent)
    }

    @Test func resendBadKeyIsConfiguration() {
        for (status, name) in [(401, "missing_api_key"), (403, "invalid_api_key"), (401, "restricted_api_key")] {
            let e = ResendErrorClassifier.classify(
                status: status, json: Self.json(#"{"statusCode":\#(status),"name":"\#(name)","message":"API key is invalid"}"#),
                retryAfter: nil)
            #expect(e.disposition == .configuration, "\(name)")
            #expect(e.code == .badCredentials)
        }
    }

    @Test func resendValidationErrorIsPermanentAndServerErrorRetryable() {
        let v = ResendErrorClassifier.classify(
            status: 422, json: Self.json(#"{"statusCode":422,"name":"validation_error","message":"Invalid `to` field."}"#),
            retryAfter: nil)
        #expect(v.disposition == .permanent)
        let s = ResendErrorClassifier.classify(status: 500, json: Self.json(#"{"statusCode":500,"name":"application_error","message":"x"}"#), retryAfter: nil)
        #expect(s.disposition == .retryable(retryAfter: nil))
        // Garbage from the provider is still classified.
        let g = ResendErrorClassifier.classify(status: 502, json: nil, retryAfter: nil)
        #expect(g.code == .providerError)
    }

    // MARK: WhatsApp

    @Test func whatsappThroughputLimitIsRetryable() {
        let e = WhatsAppErrorClassifier.classify(status: 400, json: Self.json("""
            {"error":{"message":"(#130429) Rate limit hit","type":"OAuthException","code":130429,
             "error_data":{"messaging_product":"whatsapp","details":"Message failed to send because there were too many messages"},
             "error_subcode":2494055,"fbtrace_id":"Az8or2yhqkZfEZ-_4Qn_Bam"}}
            """), retryAfter: nil)
        #expect(e.code == .rateLimited)
        guard case .retryable(let after) = e.disposition else { Issue.record("\(e)"); return }
        #expect(after != nil)
    }

    @Test func whatsappOutsideWindowIsPermanent() {
        let e = WhatsAppErrorClassifier.classify(status: 400, json: Self.json("""
            {"error":{"message":"(#131047) Re-engagement message","type":"OAuthException","code":131047,
             "error_data":{"messaging_product":"whatsapp","details":"More than 24 hours have passed since the recipient last replied to the sender number."},
             "fbtrace_id":"x"}}
            """), retryAfter: nil)
        #expect(e.code == .outsideWindow)
        #expect(e.disposition == .permanent)
        #expect(e.message.contains("24 hours"))
    }

    @Test func whatsappExpiredTokenIsConfiguration() {
        let e = WhatsAppErrorClassifier.classify(status: 401, json: Self.json("""
            {"error":{"message":"Error validating access token: Session has expired","type":"OAuthException","code":190,"error_subcode":463,"fbtrace_id":"x"}}
            """), retryAfter: nil)
        #expect(e.disposition == .configuration)
    }

    @Test func whatsappInvalidRecipientIsPermanent() {
        let e = WhatsAppErrorClassifier.classify(status: 400, json: Self.json("""
            {"error":{"message":"(#131026) Message undeliverable","type":"OAuthException","code":131026,"fbtrace_id":"x"}}
            """), retryAfter: nil)
        #expect(e.code == .invalidRecipient)
        #expect(e.disposition == .permanent)
    }

    // MARK: Telegram

    @Test func telegramRetryAfterFromParameters() {
        let e = TelegramErrorClassifier.classify(status: 429, json: Self.json("""
            {"ok":false,"error_code":429,"description":"Too Many Requests: retry after 35","parameters":{"retry_after":35}}
            """), retryAfter: nil)
        #expect(e.disposition == .retryable(retryAfter: .seconds(35)))
    }

    @Test func telegramBlockedUserIsPermanentAndSuppresses() {
        let e = TelegramErrorClassifier.classify(status: 403, json: Self.json("""
            {"ok":false,"error_code":403,"description":"Forbidden: bot was blocked by the user"}
            """), retryAfter: nil)
        #expect(e.code == .blockedByUser)
        #expect(e.disposition == .permanent)
        #expect(e.suppressesRecipient)
    }

    @Test func telegramChatNotFoundAndUnauthorized() {
        let notFound = TelegramErrorClassifier.classify(status: 400, json: Self.json("""
            {"ok":false,"error_code":400,"description":"Bad Request: chat not found"}
            """), retryAfter: nil)
        #expect(notFound.code == .invalidRecipient)
        let unauthorized = TelegramErrorClassifier.classify(status: 401, json: Self.json("""
            {"ok":false,"error_code":401,"description":"Unauthorized"}
            """), retryAfter: nil)
        #expect(unauthorized.disposition == .configuration)
    }

    // MARK: Request bodies

    @Test func resendTagsAreSanitised() {
        #expect(ResendClient.sanitizeTag("exec:42/é") == "exec_42__")
        #expect(ResendClient.sanitizeTag("step_3-email") == "step_3-email")
        #expect(ResendClient.sanitizeTag("e\u{301}🙂 x") == "e___x", "one _ per Unicode scalar, combining marks included")
        #expect(ResendClient.sanitizeTag(String(repeating: "a", count: 300)) == String(repeating: "a", count: 256))
        #expect(ResendClient.sanitizeTag(String(repeating: "é", count: 300)) == String(repeating: "_", count: 256))
        let body = ResendClient.body(EmailMessage(from: "A <a@x.test>", to: "b@y.test", subject: "s", html: "<p>h</p>", text: "h",
                                                  unsubscribeURL: "https://o.test/unsubscribe/tok", tags: ["execution": "42"]))
        #expect(body["headers"]?["List-Unsubscribe"] == "<https://o.test/unsubscribe/tok>")
        #expect(body["headers"]?["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
        #expect(body["to"] == ["b@y.test"])
        #expect(body["tags"] == [["name": "execution", "value": "42"]])
    }
}
