import Hummingbird
import HummingbirdTesting
import Sandbox
import Testing

@Suite("/_sandbox control endpoints")
struct ControlRoutesTests {
    @Test func messagesRoundTrip() async throws {
        try await makeSandbox().test(.router) { client in
            _ = try await client.post("/emails", json: emailBody, bearer: "re_test", idempotencyKey: "step/1")
            _ = try await client.post("/v21.0/1234567890/messages", json: whatsAppText, bearer: "EAAtest")
            _ = try await client.post("/bot123:ABC/sendMessage", json: #"{"chat_id":987654,"text":"<b>Ciao</b>","parse_mode":"HTML"}"#)

            let all = try await client.sandboxMessages()
            #expect(all.map { $0["channel"] } == ["email", "whatsapp", "telegram"])
            for message in all {
                for field in ["id", "channel", "to", "idempotency_key", "received_at", "account", "from", "headers", "tags",
                              "html", "parse_mode", "text", "subject"] {
                    #expect(message[field] != nil, "missing \(field) in \(message)")
                }
                let receivedAt = try #require(message["received_at"]?.stringValue)
                #expect(receivedAt.hasSuffix("Z") && receivedAt.contains("T"))
            }
            #expect(all[0]["subject"] == "Ciao")
            #expect(all[0]["idempotency_key"] == "step/1")
            #expect(all[0]["from"] == "Acme <hi@acme.test>")
            #expect(all[1]["text"] == "Ciao")
            #expect(all[2]["text"] == "Ciao")

            let emails = try await client.sandboxMessages("?channel=email")
            #expect(emails.count == 1)
            #expect(try await client.execute(uri: "/_sandbox/messages?channel=fax", method: .get).status == .badRequest)

            let stats = try await client.execute(uri: "/_sandbox/stats", method: .get).json
            #expect(stats["email"]?["accepted"] == 1)
            #expect(stats["total"]?["accepted"] == 3)

            let deleted = try await client.execute(uri: "/_sandbox/messages", method: .delete)
            #expect(deleted.status == .ok)
            #expect(deleted.json["deleted"] == 3)
            #expect(try await client.sandboxMessages().isEmpty)

            // DELETE also forgets idempotency keys: the same key is a new message.
            let again = try await client.post("/emails", json: emailBody, bearer: "re_test", idempotencyKey: "step/1")
            #expect(again.json["id"] != all[0]["id"])
            #expect(try await client.sandboxMessages().count == 1)
        }
    }

    @Test func servesOverTCP() async throws {
        try await makeSandbox().test(.live) { client in
            let response = try await client.post("/bot123:ABC/sendMessage", json: #"{"chat_id":7,"text":"hi"}"#)
            #expect(response.status == .ok)
            #expect(try await client.sandboxMessages().count == 1)
        }
    }
}
