import Foundation
import OutreachCore

/// Decodes WhatsApp Cloud API webhook bodies (`object: whatsapp_business_account`): every
/// `entry[].changes[].value` may carry `statuses` (sent, delivered, read, failed, with `errors`)
/// and `messages` (inbound, from a contact), plus `metadata.phone_number_id`, the business
/// number they concern.
public enum WhatsAppWebhook {
    /// - Throws: `OutreachError.badInput` for a body that is not a WhatsApp webhook.
    public static func decode(_ body: some Collection<UInt8>, now: Date = Date()) throws -> DecodedWebhook {
        let json = try PayloadJSON.parseObject(body)
        guard json["object"].string == "whatsapp_business_account" else {
            throw OutreachError.badInput("not a whatsapp_business_account webhook")
        }
        var decoded = DecodedWebhook()
        for entry in json["entry"].array {
            for change in entry["changes"].array {
                let field = change["field"].string
                guard field == nil || field == "messages" else {
                    decoded.ignored += 1
                    continue
                }
                let value = change["value"]
                let phoneNumberID = value["metadata"]["phone_number_id"].string
                for status in value["statuses"].array {
                    if let event = statusEvent(status, now: now) { decoded.events.append(.status(event)) } else { decoded.ignored += 1 }
                }
                for message in value["messages"].array {
                    guard let id = message["id"].string, !id.isEmpty, id.count <= 256,
                        let sender = message["from"].string.flatMap(WebhookAddress.phoneDigits)
                    else {
                        decoded.ignored += 1
                        continue
                    }
                    decoded.events.append(.inbound(InboundMessage(
                        dedupeKey: id, provider: .whatsapp, channel: .whatsapp, sender: sender,
                        receivingAccount: phoneNumberID, occurredAt: WebhookTime.unixSeconds(message["timestamp"]) ?? now)))
                }
            }
        }
        return decoded
    }

    static func statusEvent(_ status: PayloadJSON, now: Date) -> StatusEvent? {
        guard let wamid = status["id"].string, !wamid.isEmpty, wamid.count <= 256, let name = status["status"].string else { return nil }
        let mapped: ExecutionStatus
        switch name {
        case "sent": mapped = .sent
        case "delivered": mapped = .delivered
        case "read": mapped = .read
        case "failed": mapped = .failed
        default: return nil  // e.g. "deleted", "warning"
        }
        let error = status["errors"].array.first ?? .null
        let details = error["error_data"]["details"].string ?? error["message"].string ?? error["title"].string
        return StatusEvent(
            dedupeKey: "\(wamid):\(name)", provider: .whatsapp, channel: .whatsapp, providerMessageID: wamid,
            status: mapped, occurredAt: WebhookTime.unixSeconds(status["timestamp"]) ?? now,
            errorCode: error["code"].string, errorMessage: details.map { String($0.prefix(500)) },
            recipient: status["recipient_id"].string.flatMap(WebhookAddress.phoneDigits))
    }
}
