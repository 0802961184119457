import Foundation
import Hummingbird
import HummingbirdTesting
import Sandbox
import Testing

@Suite("WhatsApp POST /{version}/{phone_number_id}/messages")
struct WhatsAppTests {
    @Test func textMessageHasMetaShape() async throws {
        try await makeSandbox().test(.live) { client in
            let response = try await client.post("/v21.0/1234567890/messages", json: whatsAppText, bearer: "EAAtest")
            #expect(response.status == .ok)
            let body = response.json
            #expect(body["messaging_product"] == "whatsapp")
            #expect(body["contacts"] == [["input": "393331234567", "wa_id": "393331234567"]])
            let id = try #require(body["messages"]?.arrayValue?.first?["id"]?.stringValue)
            #expect(id.hasPrefix("wamid."))
            let message = try #require(try await client.sandboxMessages().first)
            #expect(message["channel"] == "whatsapp")
            #expect(message["text"] == "Ciao")
            #expect(message["account"] == "1234567890")
            #expect(message["id"]?.stringValue == id)
        }
    }

    @Test func templateMessageIsAcceptedAndRecordedByName() async throws {
        let template = #"""
            {"messaging_product":"whatsapp","to":"+393331234567","type":"template",
             "template":{"name":"followup_v1","language":{"code":"it"},"components":[{"type":"body","parameters":[{"type":"text","text":"Ana"}]}]}}
            """#
        try await makeSandbox().test(.live) { client in
            let response = try await client.post("/v21.0/1234567890/messages", json: template, bearer: "EAAtest")
            #expect(response.status == .ok)
            #expect(response.json["contacts"] == [["input": "+393331234567", "wa_id": "393331234567"]])
            let message = try #require(try await client.sandboxMessages().first)
            #expect(message["text"] == "followup_v1")
            #expect(message["type"] == "template")
            #expect(message["template"]?["language"]?["code"] == "it")
        }
    }

    @Test func missingOrInvalidTokenIs401WithCode190() async throws {
        try await makeSandbox().test(.live) { client in
            for bearer in [nil, "invalid"] {
                let response = try await client.post("/v21.0/1234567890/messages", json: whatsAppText, bearer: bearer)
                #expect(response.status == .unauthorized)
                #expect(response.json["error"]?["code"] == 190)
                #expect(response.json["error"]?["type"] == "OAuthException")
                #expect(response.json["error"]?["fbtrace_id"]?.stringValue != nil)
            }
        }
    }

    @Test func invalidInputAndFixturesUseGraphErrors() async throws {
        try await makeSandbox().test(.live) { client in
            let badTo = whatsAppText.replacingOccurrences(of: "393331234567", with: "call-me")
            let invalid = try await client.post("/v21.0/1234567890/messages", json: badTo, bearer: "EAAtest")
            #expect(invalid.status == .badRequest)
            #expect(invalid.json["error"]?["code"] == 100)

            let outsideWindow = whatsAppText.replacingOccurrences(of: "393331234567", with: "39333131047")
            let reEngagement = try await client.post("/v21.0/1234567890/messages", json: outsideWindow, bearer: "EAAtest")
            #expect(reEngagement.status == .badRequest)
            #expect(reEngagement.json["error"]?["code"] == 131047)
            #expect(reEngagement.json["error"]?["error_data"]?["messaging_product"] == "whatsapp")

            let empty = #"{"messaging_product":"whatsapp","to":"393331234567","type":"text","text":{"body":""}}"#
            #expect(try await client.post("/v21.0/1234567890/messages", json: empty, bearer: "EAAtest").status == .badRequest)
            #expect(try await client.sandboxMessages().isEmpty)
        }
    }
}
