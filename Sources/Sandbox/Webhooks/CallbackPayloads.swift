import JSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import OutreachCrypto

/// One signed webhook request, ready to post to `outreach serve`.
struct CallbackRequest: Sendable {
    /// `resend`, `whatsapp` or `telegram`: appended to the webhooks base URL.
    var path: String
    var headers: [(name: String, value: String)]
    var body: String
}

/// Builds the providers' webhook payloads for sandbox messages and signs them exactly as the
/// providers do: Svix for Resend, `X-Hub-Signature-256` for WhatsApp, the secret-token header
/// for Telegram. Pure apart from the ids and times passed in.
struct CallbackPayloads: Sendable {
    let options: SandboxWebhookOptions

    /// The request for `event`, or nil when the provider's secret is not configured.
    /// - Parameters:
    ///   - eventID: a fresh unique id (Svix message id, inbound message id, Telegram update id).
    func request(for event: CallbackEvent, message: SandboxMessage, eventID: String, updateID: Int, now: Date) -> CallbackRequest? {
        switch event {
        case .resend(let type):
            return resend(type: type, message: message, eventID: eventID, now: now)
        case .resendReply:
            return resend(type: "email.received", message: message, eventID: eventID, now: now)
        case .whatsappStatus(let status, let code):
            return whatsapp(value: whatsappStatus(status, code: code, message: message, now: now), message: message)
        case .whatsappReply:
            return whatsapp(value: whatsappInbound(message: message, id: "wamid.IN" + eventID, now: now), message: message)
        case .telegramReply:
            return telegram(message: message, updateID: updateID, now: now)
        }
    }

    // MARK: Resend (Svix)

    func resend(type: String, message: SandboxMessage, eventID: String, now: Date) -> CallbackRequest? {
        guard let secret = options.resendSecret, let key = Self.svixKey(secret) else { return nil }
        let iso = now.formatted(Self.isoStyle)
        let recipients = message.recipients ?? [message.to]
        var data: [String: JSONValue]
        if type == "email.received" {
            data = ["email_id": .string(RandomToken.uuid()), "created_at": .string(iso),
                    "from": .string(recipients.first ?? message.to), "to": .array([.string(message.from ?? "")]),
                    "subject": .string("Re: " + (message.subject ?? ""))]
        } else {
            data = ["email_id": .string(message.id), "created_at": .string(iso), "from": .string(message.from ?? ""),
                    "to": .array(recipients.map(JSONValue.string)), "subject": .string(message.subject ?? "")]
            if type == "email.bounced" {
                data["bounce"] = ["message": "The recipient's mail server permanently rejected the email.",
                                  "subType": "General", "type": "Permanent"]
            }
        }
        let body = JSONValue.object(["type": .string(type), "created_at": .string(iso), "data": .object(data)]).serialized
        let svixID = "msg_" + eventID
        let timestamp = String(Int64(now.timeIntervalSince1970))
        let signature = "v1," + Base64.encode(HMAC.sha256(key: key, message: Array("\(svixID).\(timestamp).\(body)".utf8)))
        return CallbackRequest(path: "resend", headers: [
            ("Content-Type", "application/json"), ("svix-id", svixID), ("svix-timestamp", timestamp), ("svix-signature", signature),
        ], body: body)
    }

    static func svixKey(_ secret: String) -> [UInt8]? {
        let encoded = secret.hasPrefix("whsec_") ? String(secret.dropFirst(6)) : secret
        return Base64.decode(encoded).flatMap { $0.isEmpty ? nil : $0 }
    }

    // MARK: WhatsApp (X-Hub-Signature-256)

    func whatsappStatus(_ status: String, code: Int?, message: SandboxMessage, now: Date) -> JSONValue {
        var entry: [String: JSONValue] = [
            "id": .string(message.id), "status": .string(status), "timestamp": .string(String(Int64(now.timeIntervalSince1970))),
            "recipient_id": .string(Self.digits(message.to)),
        ]
        if let code {
            entry["errors"] = [["code": .int(code), "title": "Message undeliverable", "message": "Message undeliverable",
                                "error_data": ["details": "Message could not be delivered to the recipient."]]]
        } else {
            entry["pricing"] = ["billable": true, "pricing_model": "PMP", "category": "marketing"]
        }
        return ["messaging_product": "whatsapp", "metadata": Self.metadata(message), "statuses": .array([.object(entry)])]
    }

    func whatsappInbound(message: SandboxMessage, id: String, now: Date) -> JSONValue {
        let from = Self.digits(message.to)
        return [
            "messaging_product": "whatsapp", "metadata": Self.metadata(message),
            "contacts": [["profile": ["name": "Sandbox contact"], "wa_id": .string(from)]],
            "messages": [["from": .string(from), "id": .string(id), "timestamp": .string(String(Int64(now.timeIntervalSince1970))),
                          "type": "text", "text": ["body": "Thanks, tell me more"]]],
        ]
    }

    func whatsapp(value: JSONValue, message: SandboxMessage) -> CallbackRequest? {
        guard let secret = options.whatsappAppSecret else { return nil }
        let body = JSONValue.object([
            "object": "whatsapp_business_account",
            "entry": [["id": "sandbox-waba", "changes": [["field": "messages", "value": value]]]],
        ]).serialized
        let signature = "sha256=" + Hex.encode(HMAC.sha256(key: Array(secret.utf8), message: Array(body.utf8)))
        return CallbackRequest(path: "whatsapp", headers: [("Content-Type", "application/json"), ("X-Hub-Signature-256", signature)],
                               body: body)
    }

    static func metadata(_ message: SandboxMessage) -> JSONValue {
        ["display_phone_number": "15550000000", "phone_number_id": .string(message.account)]
    }

    static func digits(_ text: String) -> String {
        String(text.filter { $0.isASCIIDigit })
    }

    // MARK: Telegram (secret token header)

    func telegram(message: SandboxMessage, updateID: Int, now: Date) -> CallbackRequest? {
        guard let secret = options.telegramSecret, let chat = Int(message.to) else { return nil }
        let body = JSONValue.object([
            "update_id": .int(updateID),
            "message": [
                "message_id": .int(updateID % 1_000_000_000), "date": .int(Int(now.timeIntervalSince1970)),
                "from": ["id": .int(chat), "is_bot": false, "first_name": "Sandbox"],
                "chat": ["id": .int(chat), "type": "private", "first_name": "Sandbox"],
                "text": "Thanks, tell me more",
            ],
        ]).serialized
        return CallbackRequest(path: "telegram", headers: [
            ("Content-Type", "application/json"), ("X-Telegram-Bot-Api-Secret-Token", secret),
        ], body: body)
    }

    static let isoStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
