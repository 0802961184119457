/// Who sent a webhook; the raw value is the `outreach_webhook_events.provider` and metric label.
public enum WebhookProvider: String, Sendable, Hashable, CaseIterable {
    case resend
    case whatsapp
    case telegram
}

/// What became of one webhook event (the `result` label of `outreach_webhook_events_total`).
public enum WebhookResult: String, Sendable, Hashable, CaseIterable {
    /// Processed: it matched an execution or a contact and its effect was recorded.
    case applied
    /// Seen before (same provider event id); nothing changed.
    case duplicate
    /// It names a message or contact we do not know; acknowledged so the provider stops retrying.
    case unknown
    /// A kind of event this system does not act on (other Resend event types, bot messages, …).
    case ignored
    /// The request failed signature or token verification.
    case rejected
    /// The request was verified but its body was not a valid payload.
    case invalid
}
