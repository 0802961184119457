import OutreachCore

/// An email as Resend takes it, already rendered.
public struct EmailMessage: Sendable, Equatable {
    public var from: String
    public var to: String
    public var subject: String
    public var html: String
    public var text: String
    /// The one-click unsubscribe URL (RFC 8058); becomes `List-Unsubscribe` + `List-Unsubscribe-Post`.
    public var unsubscribeURL: String?
    /// Correlation tags (`execution`, `workspace`, …); values are sanitised to Resend's alphabet.
    public var tags: [String: String]

    public init(from: String, to: String, subject: String, html: String, text: String,
                unsubscribeURL: String? = nil, tags: [String: String] = [:]) {
        self.from = from
        self.to = to
        self.subject = subject
        self.html = html
        self.text = text
        self.unsubscribeURL = unsubscribeURL
        self.tags = tags
    }
}

/// A WhatsApp message: free text inside the 24 h window, an approved template outside it.
public struct WhatsAppMessage: Sendable, Equatable {
    public enum Content: Sendable, Equatable {
        case text(String)
        /// An approved template with its language code and body parameters, in order.
        case template(name: String, language: String, parameters: [String])
    }

    /// Sender: the business phone number id.
    public var phoneNumberID: String
    /// Recipient in international format, digits with an optional leading `+`.
    public var to: String
    public var content: Content

    public init(phoneNumberID: String, to: String, content: Content) {
        self.phoneNumberID = phoneNumberID
        self.to = to
        self.content = content
    }
}

/// A Telegram `sendMessage`.
public struct TelegramMessage: Sendable, Equatable {
    public enum ParseMode: String, Sendable { case html = "HTML", markdownV2 = "MarkdownV2" }

    public var chatID: String
    /// Already escaped for `parseMode` by the template renderer.
    public var text: String
    public var parseMode: ParseMode

    public init(chatID: String, text: String, parseMode: ParseMode = .html) {
        self.chatID = chatID
        self.text = text
        self.parseMode = parseMode
    }
}

/// Any message the engine can send.
public enum OutboundMessage: Sendable, Equatable {
    case email(EmailMessage)
    case whatsapp(WhatsAppMessage)
    case telegram(TelegramMessage)

    public var channel: Channel {
        switch self {
        case .email: .email
        case .whatsapp: .whatsapp
        case .telegram: .telegram
        }
    }
}

/// What a provider returned for an accepted message.
public struct SendReceipt: Sendable, Equatable {
    /// Resend email id, WhatsApp `wamid.…`, or Telegram `message_id`.
    public var providerMessageID: String

    public init(providerMessageID: String) {
        self.providerMessageID = providerMessageID
    }
}
