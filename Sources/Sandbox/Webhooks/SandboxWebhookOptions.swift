#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How `outreach sandbox --webhooks URL` calls back: when, which share of messages gets which
/// events, and the secrets to sign them with (the same variables `outreach serve` verifies with).
public struct SandboxWebhookOptions: Sendable {
    /// Wait between accepting a message and posting its first event (gives the worker time to
    /// record the provider's message id).
    public var delay: Duration = .milliseconds(300)
    /// Share of delivered emails reported opened (WhatsApp: read).
    public var openRate: Double = 0.6
    /// Share of delivered messages that get a reply (an inbound message from the recipient).
    public var replyRate: Double = 0.1
    /// Share of messages that bounce (email: a permanent bounce; WhatsApp: `failed` 131026).
    /// Email recipients whose address starts with `bounce` always bounce.
    public var bounceRate: Double = 0.05
    /// `RESEND_WEBHOOK_SECRET` (`whsec_…`); without it no email events are sent.
    public var resendSecret: String?
    /// `WHATSAPP_APP_SECRET`; without it no WhatsApp events are sent.
    public var whatsappAppSecret: String?
    /// `TELEGRAM_WEBHOOK_SECRET`; without it no Telegram updates are sent.
    public var telegramSecret: String?
    /// Callbacks in flight at once.
    public var concurrency = 64
    /// Callbacks waiting beyond this are dropped (oldest first), so a long benchmark with
    /// webhooks on cannot exhaust memory.
    public var backlog = 100_000

    /// Options with the defaults above and the secrets from `environment`.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
            return raw
        }
        resendSecret = value("RESEND_WEBHOOK_SECRET")
        whatsappAppSecret = value("WHATSAPP_APP_SECRET")
        telegramSecret = value("TELEGRAM_WEBHOOK_SECRET")
    }
}
