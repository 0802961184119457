import Foundation
import Hummingbird
import HummingbirdTesting
import Sandbox
import Testing

@Suite("Resend POST /emails")
struct ResendTests {
    @Test func acceptsAndReplaysTheSameIdempotencyKey() async throws {
        try await makeSandbox().test(.live) { client in
            let first = try await client.post("/emails", json: emailBody, bearer: "re_test", idempotencyKey: "step/42")
            #expect(first.status == .ok)
            let id = try #require(first.json["id"]?.stringValue)
            // A lowercase version-4 UUID, as Resend's ids are.
            #expect(id.count == 36 && id == id.lowercased())
            #expect(Array(id)[14] == "4" && "89ab".contains(Array(id)[19]))
            #expect(UUID(uuidString: id) != nil)

            // Same key, same payload with keys in another order: same id, nothing new recorded.
            let reordered = #"{"subject":"Ciao","html":"<p>Ciao Ana</p>","to":["ana@example.com"],"from":"Acme <hi@acme.test>"}"#
            let second = try await client.post("/emails", json: reordered, bearer: "re_test", idempotencyKey: "step/42")
            #expect(second.status == .ok)
            #expect(second.json["id"]?.stringValue == id)
            #expect(try await client.sandboxMessages().count == 1)

            // Keys are scoped per API key.
            let otherAccount = try await client.post("/emails", json: emailBody, bearer: "re_other", idempotencyKey: "step/42")
            #expect(otherAccount.json["id"]?.stringValue != id)
        }
    }

    @Test func sameKeyWithAnotherPayloadIs409() async throws {
        try await makeSandbox().test(.live) { client in
            _ = try await client.post("/emails", json: emailBody, bearer: "re_test", idempotencyKey: "step/42")
            let other = #"{"from":"a@acme.test","to":["x@example.com"],"subject":"other","html":"x"}"#
            let response = try await client.post("/emails", json: other, bearer: "re_test", idempotencyKey: "step/42")
            #expect(response.status == .conflict)
            #expect(response.json == ["statusCode": 409, "name": "invalid_idempotent_request",
                                      "message": response.json["message"] ?? nil])
            #expect(try await client.sandboxMessages().count == 1)
        }
    }

    @Test func concurrentRequestWithTheSameKeyIs409() async throws {
        // Both calls are held for two seconds, so they overlap even on a busy machine; which of
        // them reaches the sandbox first is up to the scheduler, so either may be the one held.
        try await makeSandbox { $0.latency = .seconds(2) }.test(.live) { client in
            // The second request needs a connection of its own: one connection serves its
            // requests one after another.
            let other = SecondConnection(port: try #require(client.port))
            defer { other.shutdown() }
            async let first = client.post("/emails", json: emailBody, bearer: "re_test", idempotencyKey: "k1")
            async let second = other.post("/emails", json: emailBody, bearer: "re_test", idempotencyKey: "k1")
            let (one, two) = try await (first, second)
            let answers = [(status: Int(one.status.code), json: one.json), two]
            let held = try #require(answers.first { $0.status == 200 })
            let refused = try #require(answers.first { $0.status != 200 })
            #expect(refused.status == 409)
            #expect(refused.json["name"] == "concurrent_idempotent_requests")
            #expect(try await client.sandboxMessages().count == 1)
            // Once the held call has finished, a retry replays it.
            let retry = try await client.post("/emails", json: emailBody, bearer: "re_test", idempotencyKey: "k1")
            #expect(retry.json["id"] == held.json["id"])
        }
    }

    @Test func missingOrInvalidKeyIsRejected() async throws {
        try await makeSandbox().test(.live) { client in
            let missing = try await client.post("/emails", json: emailBody)
            #expect(missing.status == .unauthorized)
            #expect(missing.json["statusCode"] == 401)
            #expect(missing.json["name"] == "missing_api_key")
            let invalid = try await client.post("/emails", json: emailBody, bearer: "re_invalid")
            #expect(invalid.status == .forbidden)
            #expect(invalid.json["name"] == "invalid_api_key")
            let quota = try await client.post("/emails", json: emailBody, bearer: "re_quota")
            #expect(quota.status == .tooManyRequests)
            #expect(quota.json["name"] == "daily_quota_exceeded")
            #expect(try await client.sandboxMessages().isEmpty)
        }
    }

    @Test func validationErrorsUseResendShapes() async throws {
        try await makeSandbox().test(.live) { client in
            let noSubject = try await client.post(
                "/emails", json: #"{"from":"a@acme.test","to":"ana@example.com","html":"x"}"#, bearer: "re_test")
            #expect(noSubject.status == .unprocessableContent)
            #expect(noSubject.json["statusCode"] == 422)
            #expect(noSubject.json["name"] == "missing_required_field")
            #expect(noSubject.json["message"]?.stringValue?.contains("subject") == true)

            let badAddress = try await client.post(
                "/emails", json: #"{"from":"a@acme.test","to":["not an address"],"subject":"s"}"#, bearer: "re_test")
            #expect(badAddress.status == .unprocessableContent)
            #expect(badAddress.json["name"] == "validation_error")

            let fiftyOne = (0...50).map { "\"u\($0)@example.com\"" }.joined(separator: ",")
            let tooMany = try await client.post(
                "/emails", json: #"{"from":"a@acme.test","to":[\#(fiftyOne)],"subject":"s"}"#, bearer: "re_test")
            #expect(tooMany.status == .unprocessableContent)

            let longKey = try await client.post(
                "/emails", json: emailBody, bearer: "re_test", idempotencyKey: String(repeating: "k", count: 257))
            #expect(longKey.status == .badRequest)
            #expect(longKey.json["name"] == "invalid_idempotency_key")

            let notJSON = try await client.post("/emails", json: "{nope", bearer: "re_test")
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.json["name"] == "validation_error")
            #expect(try await client.sandboxMessages().isEmpty)
        }
    }

    @Test func recordsHeadersTagsAndBounceRecipients() async throws {
        let body = #"""
            {"from":"Acme <hi@acme.test>","to":"bounce-1@example.com","subject":"Hi","text":"plain","html":"<p>x</p>",
             "headers":{"List-Unsubscribe":"<https://acme.test/unsubscribe/T0K3N>","List-Unsubscribe-Post":"List-Unsubscribe=One-Click"},
             "tags":[{"name":"execution_id","value":"e-42"}]}
            """#
        try await makeSandbox().test(.live) { client in
            let response = try await client.post("/emails", json: body, bearer: "re_test_secret")
            #expect(response.status == .ok)
            let message = try #require(try await client.sandboxMessages().first)
            #expect(message["channel"] == "email")
            #expect(message["to"] == "bounce-1@example.com")
            #expect(message["recipients"] == ["bounce-1@example.com"])
            #expect(message["subject"] == "Hi")
            #expect(message["text"] == "plain")
            #expect(message["html"] == "<p>x</p>")
            #expect(message["headers"]?["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click")
            #expect(message["tags"] == [["name": "execution_id", "value": "e-42"]])
            #expect(message["idempotency_key"] == .null)
            #expect(message["id"] == response.json["id"])
            let account = try #require(message["account"]?.stringValue)
            #expect(!account.contains("re_test_secret"))
        }
    }
}
