import Foundation
import OutreachCore

/// Decodes Telegram Bot API updates. A `message` from a person in a chat is a reply from the
/// contact with that chat id; bot senders, other update kinds and `/start` (subscribing to the
/// bot, not answering us) are ignored.
public enum TelegramUpdate {
    /// - Throws: `OutreachError.badInput` for a body that is not an update.
    public static func decode(_ body: some Collection<UInt8>, now: Date = Date()) throws -> DecodedWebhook {
        let json = try PayloadJSON.parseObject(body)
        guard let updateID = json["update_id"].int64 else { throw OutreachError.badInput("the update has no update_id") }
        let message = json["message"]
        guard message.isObject, let chatID = message["chat"]["id"].string else { return DecodedWebhook(ignored: 1) }
        if message["from"]["is_bot"].bool == true { return DecodedWebhook(ignored: 1) }
        if let text = message["text"].string, text == "/start" || text.hasPrefix("/start ") { return DecodedWebhook(ignored: 1) }
        return DecodedWebhook(events: [.inbound(InboundMessage(
            dedupeKey: String(updateID), provider: .telegram, channel: .telegram, sender: chatID,
            receivingAccount: nil, occurredAt: WebhookTime.unixSeconds(message["date"]) ?? now))])
    }
}
