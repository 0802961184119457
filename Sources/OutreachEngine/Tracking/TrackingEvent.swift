import Foundation
import OutreachCore

/// A delivery status report for one message we sent.
public struct StatusEvent: Sendable, Equatable {
    /// The provider's dedupe key: the `svix-id` for Resend, `<wamid>:<status>` for WhatsApp.
    public var dedupeKey: String
    public var provider: WebhookProvider
    public var channel: Channel
    /// The provider's message id (`outreach_executions.provider_message_id`).
    public var providerMessageID: String
    /// The status the event reports, or nil for events that are only noted on the timeline
    /// (Resend `email.delivery_delayed`).
    public var status: ExecutionStatus?
    /// The provider's event name when ``status`` is nil (e.g. `delivery_delayed`).
    public var note: String?
    public var occurredAt: Date
    /// Provider error code and message (WhatsApp `errors[0]`, a bounce's type).
    public var errorCode: String?
    public var errorMessage: String?
    /// For bounces and complaints: whether the address must be suppressed and consent revoked.
    public var suppression: Suppression?
    /// The recipient address the event is about (lower-cased email), when the payload says.
    public var recipient: String?

    /// Why an address is suppressed after this event.
    public enum Suppression: String, Sendable, Equatable {
        case hardBounce = "hard_bounce"
        case complaint
    }

    public init(
        dedupeKey: String, provider: WebhookProvider, channel: Channel, providerMessageID: String,
        status: ExecutionStatus?, note: String? = nil, occurredAt: Date, errorCode: String? = nil,
        errorMessage: String? = nil, suppression: Suppression? = nil, recipient: String? = nil
    ) {
        self.dedupeKey = dedupeKey
        self.provider = provider
        self.channel = channel
        self.providerMessageID = providerMessageID
        self.status = status
        self.note = note
        self.occurredAt = occurredAt
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.suppression = suppression
        self.recipient = recipient
    }
}

/// A message a contact sent us: a reply.
public struct InboundMessage: Sendable, Equatable {
    /// The provider's dedupe key: the message id (WhatsApp), `update_id` (Telegram), `svix-id` (Resend).
    public var dedupeKey: String
    public var provider: WebhookProvider
    public var channel: Channel
    /// The sender, normalised: phone digits, Telegram chat id, lower-cased email address.
    public var sender: String
    /// The account it was sent to: the WhatsApp `phone_number_id`, or the email address written to.
    public var receivingAccount: String?
    public var occurredAt: Date

    public init(
        dedupeKey: String, provider: WebhookProvider, channel: Channel, sender: String,
        receivingAccount: String?, occurredAt: Date
    ) {
        self.dedupeKey = dedupeKey
        self.provider = provider
        self.channel = channel
        self.sender = sender
        self.receivingAccount = receivingAccount
        self.occurredAt = occurredAt
    }
}

/// One event decoded from a verified webhook.
public enum TrackingEvent: Sendable, Equatable {
    case status(StatusEvent)
    case inbound(InboundMessage)

    /// The provider the event came from.
    public var provider: WebhookProvider {
        switch self {
        case .status(let event): event.provider
        case .inbound(let message): message.provider
        }
    }
}

/// A webhook body decoded into events; `ignored` counts parts this system does not act on.
public struct DecodedWebhook: Sendable, Equatable {
    public var events: [TrackingEvent]
    public var ignored: Int

    public init(events: [TrackingEvent] = [], ignored: Int = 0) {
        self.events = events
        self.ignored = ignored
    }
}
