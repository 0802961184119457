import OutreachCore

/// Sends one rendered message through one provider account.
public protocol ChannelClient: Sendable {
    var channel: Channel { get }
    /// The rate-limit bucket this client draws from (one per provider account).
    var rateLimitAccount: String { get }
    /// Sends `message`. `idempotencyKey` is the execution's key: Resend dedupes on it; the other
    /// providers have no such mechanism, which the error's disposition reflects.
    func send(_ message: OutboundMessage, idempotencyKey: String) async throws(ChannelError) -> SendReceipt
}
