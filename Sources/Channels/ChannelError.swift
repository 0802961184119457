import OutreachCore

/// Why a send failed, classified so the engine knows what to do next.
public struct ChannelError: Error, CustomStringConvertible, Sendable, Equatable {
    /// What the engine does with the failure.
    public enum Disposition: Sendable, Equatable {
        /// Nothing was (or could have been) delivered, or the provider dedupes: try again later,
        /// not before `retryAfter` when the provider said so.
        case retryable(retryAfter: Duration?)
        /// This message can never be sent (bad recipient, blocked bot, outside the window).
        case permanent
        /// Our credentials or setup are wrong: pause the channel fleet-wide and alert.
        case configuration
        /// The request may have reached the provider and it has no idempotency key: never re-send,
        /// mark the execution `unknown` for review.
        case unknownOutcome
    }

    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        public var description: String { raw }
        public static let network = Code(raw: "network")
        public static let timeout = Code(raw: "timeout")
        public static let providerError = Code(raw: "provider_error")
        public static let rateLimited = Code(raw: "rate_limited")
        public static let concurrentIdempotentRequest = Code(raw: "concurrent_idempotent_requests")
        public static let invalidRecipient = Code(raw: "invalid_recipient")
        public static let blockedByUser = Code(raw: "blocked_by_user")
        public static let outsideWindow = Code(raw: "outside_window")
        public static let rejected = Code(raw: "rejected")
        public static let badCredentials = Code(raw: "bad_credentials")
        public static let notConfigured = Code(raw: "not_configured")
        public static let badResponse = Code(raw: "bad_response")
    }

    public var code: Code
    public var disposition: Disposition
    /// The provider's own code (`rate_limit_exceeded`, `131047`, `403`, …) when it gave one.
    public var providerCode: String?
    /// HTTP status, when there was a response.
    public var status: Int?
    /// One line, never containing credentials.
    public var message: String

    public init(_ code: Code, _ disposition: Disposition, providerCode: String? = nil, status: Int? = nil, message: String) {
        self.code = code
        self.disposition = disposition
        self.providerCode = providerCode
        self.status = status
        self.message = message
    }

    /// True when the recipient address should go on the suppression list (e.g. a blocked bot).
    public var suppressesRecipient: Bool { code == .blockedByUser }

    public var description: String {
        var parts = ["\(code)"]
        if let status { parts.append("HTTP \(status)") }
        if let providerCode { parts.append(providerCode) }
        return parts.joined(separator: " ") + ": " + message
    }
}
