import Foundation
import HTTPClient

/// The HTTP round trip every channel client shares: JSON in, status/headers/JSON out, and the
/// classification of transport failures by whether the provider may have received the request.
struct ProviderTransport: Sendable {
    let http: HTTPClient
    let timeout: Duration
    /// Whether the provider dedupes repeated requests (Resend's Idempotency-Key): then a request
    /// that may have arrived is still safe to repeat.
    let idempotent: Bool

    struct Reply: @unchecked Sendable {
        // `json` is a JSONSerialization tree, immutable after parsing and never shared
        // across tasks; Sendable only so it can cross the await that produced it.
        var status: Int
        var response: HTTPResponse
        var json: [String: Any]?
    }

    func post(url: String, headers: [(name: String, value: String)], json body: Data) async throws(ChannelError) -> Reply {
        var allHeaders = headers
        allHeaders.append((name: "Content-Type", value: "application/json"))
        allHeaders.append((name: "Accept", value: "application/json"))
        allHeaders.append((name: "User-Agent", value: "outreach/1"))
        let request = HTTPRequest(method: "POST", url: url, headers: allHeaders, body: Array(body), timeout: timeout)
        let response: HTTPResponse
        do {
            response = try await http.execute(request)
        } catch let error as HTTPClientError {
            throw classify(error)
        } catch {
            throw ChannelError(.network, .retryable(retryAfter: nil), message: "request not completed: \(error)")
        }
        let json = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any]
        return Reply(status: response.status, response: response, json: json)
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

    static func encode(_ object: [String: Any]) -> Data {
        // Only dictionaries of JSON-compatible values are built by the clients, so this cannot throw.
        (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])) ?? Data("{}".utf8)
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

extension Dictionary where Key == String, Value == Any {
    func string(_ key: String) -> String? {
        switch self[key] {
        case let s as String: s
        case let n as NSNumber: n.stringValue
        default: nil
        }
    }

    func int(_ key: String) -> Int? {
        switch self[key] {
        case let n as NSNumber: n.intValue
        case let s as String: Int(s)
        default: nil
        }
    }

    func object(_ key: String) -> [String: Any]? { self[key] as? [String: Any] }
}
