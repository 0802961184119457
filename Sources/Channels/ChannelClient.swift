import HTTPClient
import OutreachCore

/// Sends rendered messages through one provider account.
///
/// A send is two pure halves around one HTTP exchange: ``request(for:idempotencyKey:)`` builds
/// the provider's request and ``receipt(from:)`` reads its reply. ``send(_:idempotencyKey:)``
/// joins them for one message; ``ChannelBatch`` runs a whole batch's exchanges at once.
public protocol ChannelClient: Sendable {
    var channel: Channel { get }
    /// The rate-limit bucket this client draws from (one per provider account).
    var rateLimitAccount: String { get }
    /// The HTTP client the exchanges go through.
    var http: HTTPClient { get }
    /// The provider request for `message`. `idempotencyKey` is the execution's key: Resend
    /// dedupes on it; the other providers have no such mechanism, which the error's
    /// disposition reflects. Throws for a message this provider cannot carry.
    func request(for message: OutboundMessage, idempotencyKey: String) throws(ChannelError) -> HTTPRequest
    /// The provider's answer: the message id, or the failure with its disposition.
    func receipt(from outcome: Result<HTTPResponse, HTTPClientError>) throws(ChannelError) -> SendReceipt
}

extension ChannelClient {
    /// Sends `message` and reads the provider's answer.
    public func send(_ message: OutboundMessage, idempotencyKey: String) async throws(ChannelError) -> SendReceipt {
        let request = try request(for: message, idempotencyKey: idempotencyKey)
        let outcome: Result<HTTPResponse, HTTPClientError>
        do {
            outcome = .success(try await http.execute(request))
        } catch let error as HTTPClientError {
            outcome = .failure(error)
        } catch {
            outcome = .failure(HTTPClientError(code: .cancelled, message: "request not completed: \(error)",
                                               method: request.method, url: request.url))
        }
        return try receipt(from: outcome)
    }
}
