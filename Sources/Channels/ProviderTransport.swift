import Foundation
import HTTPClient
import JSON

/// The HTTP round trip every channel client shares: JSON in, status/headers/JSON out, and the
/// classification of transport failures by whether the provider may have received the request.
struct ProviderTransport: Sendable {
    let http: HTTPClient
    let timeout: Duration
    /// Whether the provider dedupes repeated requests (Resend's Idempotency-Key): then a request
    /// that may have arrived is still safe to repeat.
    let idempotent: Bool

    struct Reply: Sendable {
        var status: Int
        var response: HTTPResponse
        /// The body when it is a JSON object.
        var json: JSONValue?
    }

    /// The JSON `POST` every provider call is. Without the provider's dedupe, libcurl must not
    /// send it a second time on its own (see `HTTPRequest.replayable`): a reused connection
    /// that dies before the answer leaves the outcome unknown, never a duplicate.
    func request(url: String, headers: [(name: String, value: String)], json body: JSONValue) -> HTTPRequest {
        var allHeaders = headers
        allHeaders.append((name: "Content-Type", value: "application/json"))
        allHeaders.append((name: "Accept", value: "application/json"))
        allHeaders.append((name: "User-Agent", value: "outreach/1"))
        return HTTPRequest(method: "POST", url: url, headers: allHeaders, body: body.serializedBytes, timeout: timeout,
                           replayable: idempotent)
    }

    /// The reply to read, or the transport failure classified.
    func reply(from outcome: Result<HTTPResponse, HTTPClientError>) throws(ChannelError) -> Reply {
        switch outcome {
        case .success(let response):
            let json = JSONValue.parse(response.body).flatMap { $0.objectValue == nil ? nil : $0 }
            return Reply(status: response.status, response: response, json: json)
        case .failure(let error):
            throw classify(error)
        }
    }

    /// Connection-level failures happen before the provider sees anything; the rest may not.
    func classify(_ error: HTTPClientError) -> ChannelError {
        switch error.code {
        case .resolve, .connect, .invalidURL, .tls:
            return ChannelError(.network, .retryable(retryAfter: nil), message: error.description)
        case .timeout:
            return ChannelError(.timeout, idempotent ? .retryable(retryAfter: nil) : .unknownOutcome, message: error.description)
        default:
            return ChannelError(.network, idempotent ? .retryable(retryAfter: nil) : .unknownOutcome, message: error.description)
        }
    }

}

/// `Retry-After` as delay-seconds or an HTTP-date (RFC 9110 §10.2.3).
enum RetryAfter {
    static func parse(_ value: String?, now: Date = Date()) -> Duration? {
        guard let value = value?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { return nil }
        if let seconds = Double(value), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: value) else { return nil }
        return .milliseconds(Int64(max(0, date.timeIntervalSince(now)) * 1000))
    }
}

/// Lenient reads of provider replies: ids and codes come as strings or numbers.
extension JSONValue {
    func string(_ key: String) -> String? { self[key]?.text }

    func int(_ key: String) -> Int? {
        guard let value = self[key] else { return nil }
        return value.intValue ?? value.stringValue.flatMap { Int($0) }
    }

    func object(_ key: String) -> JSONValue? { self[key].flatMap { $0.objectValue == nil ? nil : $0 } }
}
