import Foundation
import OutreachCore

/// Decodes Resend webhook bodies (one event per request, identified by its `svix-id`).
///
/// `email.sent|delivered|opened|clicked|bounced|complained` update the execution whose
/// provider message id is `data.email_id`; `email.delivery_delayed` (also the documented
/// misspelling `email.delivered_delayed`) is noted on its timeline; `email.received` (inbound
/// mail) is a reply from `data.from`. Other event types are ignored.
public enum ResendWebhook {
    /// - Parameters:
    ///   - body: the raw, already verified body.
    ///   - svixID: the `svix-id` header, the event's dedupe key.
    ///   - now: the time used when the payload has no `created_at`.
    /// - Throws: `OutreachError.badInput` for a body that is not a Resend event.
    public static func decode(_ body: some Collection<UInt8>, svixID: String, now: Date = Date()) throws -> DecodedWebhook {
        let json = try PayloadJSON.parseObject(body)
        guard let type = json["type"].string else { throw OutreachError.badInput("the event has no type") }
        let data = json["data"]
        let occurredAt = WebhookTime.iso8601(json["created_at"]) ?? WebhookTime.iso8601(data["created_at"]) ?? now
        let recipient = data["to"].strings.first.flatMap(WebhookAddress.email)

        if type == "email.received" {
            guard let sender = data["from"].string.flatMap(WebhookAddress.email) else {
                throw OutreachError.badInput("an email.received event needs data.from")
            }
            return DecodedWebhook(events: [.inbound(InboundMessage(
                dedupeKey: svixID, provider: .resend, channel: .email, sender: sender,
                receivingAccount: recipient, occurredAt: occurredAt))])
        }

        let status: ExecutionStatus?
        var note: String?
        var suppression: StatusEvent.Suppression?
        var errorCode: String?
        var errorMessage: String?
        switch type {
        case "email.sent": status = .sent
        case "email.delivered": status = .delivered
        case "email.delivery_delayed", "email.delivered_delayed":
            status = nil
            note = "delivery_delayed"
        case "email.opened": status = .opened
        case "email.clicked": status = .clicked
        case "email.bounced":
            status = .bounced
            let bounceType = data["bounce"]["type"].string
            errorCode = ["bounce", bounceType, data["bounce"]["subType"].string].compactMap { $0 }.joined(separator: ":")
            errorMessage = data["bounce"]["message"].string.map { String($0.prefix(500)) }
            // Only a permanent bounce says the address is bad; a transient one may recover.
            if bounceType?.lowercased() == "permanent" { suppression = .hardBounce }
        case "email.complained":
            status = .complained
            suppression = .complaint
        default:
            return DecodedWebhook(ignored: 1)
        }
        guard let emailID = data["email_id"].string, !emailID.isEmpty, emailID.count <= 256 else {
            throw OutreachError.badInput("a \(type) event needs data.email_id")
        }
        return DecodedWebhook(events: [.status(StatusEvent(
            dedupeKey: svixID, provider: .resend, channel: .email, providerMessageID: emailID, status: status,
            note: note, occurredAt: occurredAt, errorCode: errorCode, errorMessage: errorMessage,
            suppression: suppression, recipient: recipient))])
    }
}
