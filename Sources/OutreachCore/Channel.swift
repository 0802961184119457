/// A delivery channel the engine can send an outreach step through.
///
/// The raw values are the names stored in the database (`outreach_channel_config.channel`,
/// `outreach_sequence_steps.channel`, …) and used on the command line, so they must stay stable.
public enum Channel: String, Sendable, Hashable, CaseIterable, Codable {
    /// Email sent through Resend.
    case email
    /// WhatsApp Cloud API messages.
    case whatsapp
    /// Telegram Bot API messages.
    case telegram
}
