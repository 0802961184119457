/// The events the sandbox will report for one accepted message, in order.
enum CallbackEvent: Sendable, Equatable {
    /// A Resend event type (`email.sent`, `email.delivered`, `email.opened`, `email.bounced`).
    case resend(String)
    /// An inbound email from the recipient (`email.received`): a reply.
    case resendReply
    /// A WhatsApp status (`sent`, `delivered`, `read`, `failed`), with an error code for `failed`.
    case whatsappStatus(String, errorCode: Int?)
    /// An inbound WhatsApp message from the recipient: a reply.
    case whatsappReply
    /// An inbound Telegram message in the chat: a reply.
    case telegramReply
}

/// Decides what happens to a message from three dice rolls in [0, 1). Pure, so tests can pin
/// every branch.
enum CallbackPlan {
    struct Rolls: Sendable {
        var bounce: Double
        var open: Double
        var reply: Double
    }

    static func events(for message: SandboxMessage, options: SandboxWebhookOptions, rolls: Rolls) -> [CallbackEvent] {
        let bounces = rolls.bounce < options.bounceRate
        let opens = rolls.open < options.openRate
        let replies = rolls.reply < options.replyRate
        switch message.channel {
        case .email:
            let recipients = message.recipients ?? [message.to]
            if bounces || recipients.contains(where: { $0.lowercased().hasPrefix("bounce") }) {
                return [.resend("email.sent"), .resend("email.bounced")]
            }
            var events: [CallbackEvent] = [.resend("email.sent"), .resend("email.delivered")]
            // Replying implies having opened it.
            if opens || replies { events.append(.resend("email.opened")) }
            if replies { events.append(.resendReply) }
            return events
        case .whatsapp:
            if bounces { return [.whatsappStatus("sent", errorCode: nil), .whatsappStatus("failed", errorCode: 131026)] }
            var events: [CallbackEvent] = [.whatsappStatus("sent", errorCode: nil), .whatsappStatus("delivered", errorCode: nil)]
            if opens || replies { events.append(.whatsappStatus("read", errorCode: nil)) }
            if replies { events.append(.whatsappReply) }
            return events
        case .telegram:
            // The Bot API reports no deliveries; only a reply comes back (to a numeric chat).
            return replies && Int64(message.to) != nil ? [.telegramReply] : []
        }
    }
}
