import Foundation

/// What `outreach serve` needs besides the database: webhook secrets (from the environment of
/// SPEC §11), the clock (injectable for signature-tolerance tests) and the body-size limit.
public struct ServerConfiguration: Sendable {
    /// `RESEND_WEBHOOK_SECRET` (`whsec_…`); nil means Resend webhooks are refused.
    public var resendWebhookSecret: String?
    /// `WHATSAPP_APP_SECRET`, the key of `X-Hub-Signature-256`.
    public var whatsappAppSecret: String?
    /// `WHATSAPP_VERIFY_TOKEN`, checked in the subscription handshake.
    public var whatsappVerifyToken: String?
    /// `TELEGRAM_WEBHOOK_SECRET`, expected in `X-Telegram-Bot-Api-Secret-Token`.
    public var telegramWebhookSecret: String?
    /// The largest webhook body accepted (larger gets 413 before anything is read further).
    public var maxWebhookBodyBytes: Int
    /// The current time, for the Svix timestamp tolerance.
    public var now: @Sendable () -> Date
    /// `OUTREACH_ADMIN_TOKEN`: the assistant API's operator token; nil allows per-workspace tokens only.
    public var adminToken: String?
    /// The environment the assistant reads provider credentials and the kill switch from.
    public var environment: [String: String]

    public init(
        resendWebhookSecret: String? = nil, whatsappAppSecret: String? = nil, whatsappVerifyToken: String? = nil,
        telegramWebhookSecret: String? = nil, maxWebhookBodyBytes: Int = 1 << 20,
        now: @escaping @Sendable () -> Date = { Date() }, adminToken: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.adminToken = adminToken
        self.environment = environment
        self.resendWebhookSecret = resendWebhookSecret
        self.whatsappAppSecret = whatsappAppSecret
        self.whatsappVerifyToken = whatsappVerifyToken
        self.telegramWebhookSecret = telegramWebhookSecret
        self.maxWebhookBodyBytes = maxWebhookBodyBytes
        self.now = now
    }

    /// Reads the secrets from the environment; empty values count as unset.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> Self {
        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !raw.isEmpty else { return nil }
            return raw
        }
        return Self(
            resendWebhookSecret: value("RESEND_WEBHOOK_SECRET"), whatsappAppSecret: value("WHATSAPP_APP_SECRET"),
            whatsappVerifyToken: value("WHATSAPP_VERIFY_TOKEN"), telegramWebhookSecret: value("TELEGRAM_WEBHOOK_SECRET"),
            adminToken: value("OUTREACH_ADMIN_TOKEN"), environment: environment)
    }
}
