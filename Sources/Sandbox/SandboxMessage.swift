import JSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The provider a call was addressed to, named as `GET /_sandbox/messages` reports it.
public enum ProviderChannel: String, Sendable, Hashable, CaseIterable {
    case email
    case whatsapp
    case telegram
}

/// One message the sandbox accepted, as `GET /_sandbox/messages` lists it.
public struct SandboxMessage: Sendable, Equatable {
    /// The provider's message id (Resend uuid, `wamid.…`, Telegram `message_id`).
    public var id: String
    public var channel: ProviderChannel
    /// Which sender account sent it: a hash of the Resend key, the WhatsApp phone number id,
    /// or `bot<id>` for Telegram — never a whole secret.
    public var account: String
    /// Recipient as given: email addresses joined with ", ", WhatsApp number, Telegram chat id.
    public var to: String
    /// Every email recipient in `to` (email only).
    public var recipients: [String]? = nil
    public var from: String? = nil
    public var subject: String? = nil
    /// Plain text: the email text part, the WhatsApp body or template name, the Telegram text
    /// after entity parsing.
    public var text: String? = nil
    public var html: String? = nil
    /// Email headers as sent (List-Unsubscribe, List-Unsubscribe-Post, …).
    public var headers: JSONValue? = nil
    /// Resend tags as sent.
    public var tags: JSONValue? = nil
    /// Telegram parse mode as sent.
    public var parseMode: String? = nil
    /// Telegram text before entity parsing, or the WhatsApp template object.
    public var raw: JSONValue? = nil
    /// WhatsApp message type (`text`, `template`, …).
    public var type: String? = nil
    public var idempotencyKey: String? = nil
    public var receivedAt: Date

    /// The message as a JSON object for the listing.
    var json: JSONValue {
        var object: [String: JSONValue] = [
            "id": .string(id),
            "channel": .string(channel.rawValue),
            "account": .string(account),
            "to": .string(to),
            "from": .optional(from),
            "subject": .optional(subject),
            "text": .optional(text),
            "html": .optional(html),
            "headers": headers ?? .null,
            "tags": tags ?? .null,
            "parse_mode": .optional(parseMode),
            "idempotency_key": .optional(idempotencyKey),
            "received_at": .string(receivedAt.formatted(Self.timestampStyle)),
        ]
        if let recipients { object["recipients"] = .array(recipients.map(JSONValue.string)) }
        if let type { object["type"] = .string(type) }
        if let raw { object[channel == .whatsapp ? "template" : "raw_text"] = raw }
        return .object(object)
    }

    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
