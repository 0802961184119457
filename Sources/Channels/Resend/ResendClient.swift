import Foundation
import HTTPClient
import JSON
import OutreachCore
import OutreachCrypto

/// Resend `POST /emails` with `Idempotency-Key`, RFC 8058 unsubscribe headers and tags.
public struct ResendClient: ChannelClient {
    public let channel = Channel.email
    public let rateLimitAccount: String
    let apiKey: String
    let baseURL: String
    let transport: ProviderTransport

    public init(apiKey: String, baseURL: String, http: HTTPClient, timeout: Duration = .seconds(15)) {
        self.apiKey = apiKey
        self.baseURL = baseURL
        self.transport = ProviderTransport(http: http, timeout: timeout, idempotent: true)
        // The key itself must never land in the database: a digest names the account.
        self.rateLimitAccount = "resend:" + Hex.encode(SHA256.hash(Array(apiKey.utf8)).prefix(8))
    }

    public var http: HTTPClient { transport.http }

    public func request(for message: OutboundMessage, idempotencyKey: String) throws(ChannelError) -> HTTPRequest {
        guard case .email(let email) = message else {
            throw ChannelError(.rejected, .permanent, message: "Resend sends email only, not \(message.channel)")
        }
        return transport.request(
            url: baseURL + "/emails",
            headers: [(name: "Authorization", value: "Bearer " + apiKey), (name: "Idempotency-Key", value: idempotencyKey)],
            json: Self.body(email))
    }

    public func receipt(from outcome: Result<HTTPResponse, HTTPClientError>) throws(ChannelError) -> SendReceipt {
        let reply = try transport.reply(from: outcome)
        if (200..<300).contains(reply.status) {
            guard let id = reply.json?.string("id"), !id.isEmpty else {
                // Safe to repeat: the same key returns the same id once Resend has it.
                throw ChannelError(.badResponse, .retryable(retryAfter: nil), status: reply.status,
                                   message: "success response without an email id")
            }
            return SendReceipt(providerMessageID: id)
        }
        throw ResendErrorClassifier.classify(status: reply.status, json: reply.json,
                                             retryAfter: reply.response.header("retry-after"))
    }

    static func body(_ email: EmailMessage) -> JSONValue {
        var body: [String: JSONValue] = [
            "from": .string(email.from), "to": [.string(email.to)], "subject": .string(email.subject), "html": .string(email.html),
            "text": .string(email.text),
        ]
        if let url = email.unsubscribeURL {
            body["headers"] = ["List-Unsubscribe": .string("<\(url)>"), "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"]
        }
        if !email.tags.isEmpty {
            body["tags"] = .array(email.tags.sorted { $0.key < $1.key }.map {
                ["name": .string(sanitizeTag($0.key)), "value": .string(sanitizeTag($0.value))]
            })
        }
        return .object(body)
    }

    /// Resend accepts only ASCII letters, digits, `_` and `-` in tags, up to 256 characters.
    /// Every other character becomes `_`; a tag that is already clean is returned as it is.
    static func sanitizeTag(_ value: String) -> String {
        func allowed(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "_"), UInt8(ascii: "-"): true
            default: false
            }
        }
        if value.utf8.count <= 256 && value.utf8.allSatisfy(allowed) { return value }
        let bytes = value.unicodeScalars.prefix(256).map { s in s.isASCII && allowed(UInt8(s.value)) ? UInt8(s.value) : UInt8(ascii: "_") }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Resend's documented error bodies (`{"statusCode", "name", "message"}`) to dispositions.
public enum ResendErrorClassifier {
    public static func classify(status: Int, json: JSONValue?, retryAfter: String?) -> ChannelError {
        let name = json?.string("name")
        let message = json?.string("message") ?? "HTTP \(status)"
        switch (status, name) {
        case (409, "concurrent_idempotent_requests"?):
            return ChannelError(.concurrentIdempotentRequest, .retryable(retryAfter: RetryAfter.parse(retryAfter) ?? .seconds(1)),
                                providerCode: name, status: status, message: message)
        case (429, "daily_quota_exceeded"?):
            return ChannelError(.rateLimited, .retryable(retryAfter: RetryAfter.parse(retryAfter) ?? .seconds(3600)),
                                providerCode: name, status: status, message: message)
        case (429, _):
            return ChannelError(.rateLimited, .retryable(retryAfter: RetryAfter.parse(retryAfter) ?? .seconds(1)),
                                providerCode: name, status: status, message: message)
        case (401, _), (403, "invalid_api_key"?), (403, "invalid_api_Key"?), (403, "restricted_api_key"?),
             (403, "invalid_from_address"?):
            return ChannelError(.badCredentials, .configuration, providerCode: name, status: status, message: message)
        case (500..., _):
            return ChannelError(.providerError, .retryable(retryAfter: RetryAfter.parse(retryAfter)),
                                providerCode: name, status: status, message: message)
        case (409, _):
            // invalid_idempotent_request: the key was used with another payload; repeating cannot help.
            return ChannelError(.rejected, .permanent, providerCode: name, status: status, message: message)
        case (403, _), (422, _), (400, _):
            let recipientProblem = message.lowercased().contains("to") || name == "validation_error"
            return ChannelError(recipientProblem ? .invalidRecipient : .rejected, .permanent,
                                providerCode: name, status: status, message: message)
        default:
            return ChannelError(.rejected, .permanent, providerCode: name, status: status, message: message)
        }
    }
}
