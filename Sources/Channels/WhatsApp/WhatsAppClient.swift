import Foundation
import HTTPClient
import JSON
import OutreachCore

/// WhatsApp Cloud API `POST {base}/{version}/{phone_number_id}/messages`.
public struct WhatsAppClient: ChannelClient {
    public let channel = Channel.whatsapp
    public let rateLimitAccount: String
    let accessToken: String
    let baseURL: String
    let apiVersion: String
    let transport: ProviderTransport

    /// Throughput is per business phone number, so that is the bucket.
    public init(accessToken: String, phoneNumberID: String, apiVersion: String, baseURL: String, http: HTTPClient,
                timeout: Duration = .seconds(15)) {
        self.accessToken = accessToken
        self.baseURL = baseURL
        self.apiVersion = apiVersion
        self.rateLimitAccount = "whatsapp:" + phoneNumberID
        self.transport = ProviderTransport(http: http, timeout: timeout, idempotent: false)
    }

    public var http: HTTPClient { transport.http }

    public func request(for message: OutboundMessage, idempotencyKey: String) throws(ChannelError) -> HTTPRequest {
        guard case .whatsapp(let wa) = message else {
            throw ChannelError(.rejected, .permanent, message: "WhatsApp sends WhatsApp messages only, not \(message.channel)")
        }
        return transport.request(
            url: "\(baseURL)/\(apiVersion)/\(wa.phoneNumberID)/messages",
            headers: [(name: "Authorization", value: "Bearer " + accessToken)],
            json: Self.body(wa, correlation: idempotencyKey))
    }

    public func receipt(from outcome: Result<HTTPResponse, HTTPClientError>) throws(ChannelError) -> SendReceipt {
        let reply = try transport.reply(from: outcome)
        if (200..<300).contains(reply.status) {
            guard let id = reply.json?["messages"]?.arrayValue?.first?.string("id") else {
                // Meta accepted something we cannot read back: it may well be delivered.
                throw ChannelError(.badResponse, .unknownOutcome, status: reply.status,
                                   message: "success response without a message id")
            }
            return SendReceipt(providerMessageID: id)
        }
        throw WhatsAppErrorClassifier.classify(status: reply.status, json: reply.json,
                                               retryAfter: reply.response.header("retry-after"))
    }

    static func body(_ wa: WhatsAppMessage, correlation: String) -> JSONValue {
        var body: [String: JSONValue] = [
            "messaging_product": "whatsapp", "recipient_type": "individual", "to": .string(wa.to),
            // Echoed back in status webhooks: ties them to the execution even before the id is stored.
            "biz_opaque_callback_data": .string(correlation),
        ]
        switch wa.content {
        case .text(let text):
            body["type"] = "text"
            body["text"] = ["preview_url": false, "body": .string(text)]
        case .template(let name, let language, let parameters):
            body["type"] = "template"
            var template: [String: JSONValue] = ["name": .string(name), "language": ["code": .string(language)]]
            if !parameters.isEmpty {
                template["components"] = [["type": "body", "parameters": .array(parameters.map { ["type": "text", "text": .string($0)] })]]
            }
            body["template"] = .object(template)
        }
        return .object(body)
    }
}

/// Graph API error bodies (`{"error": {"code", "message", "error_data": {"details"}}}`) to dispositions.
public enum WhatsAppErrorClassifier {
    /// Throughput and pair limits: wait and retry.
    static let rateLimitCodes: Set<Int> = [4, 80007, 130429, 131048, 131056, 131057]
    /// Recipient problems that no retry fixes.
    static let recipientCodes: Set<Int> = [131026, 131021, 131030, 131045, 131049, 131050, 131051, 132000, 132001, 132012]
    /// Our token or permissions (190 expired/invalid token, 10/200 permission, 131031 account locked).
    static let credentialCodes: Set<Int> = [0, 3, 10, 190, 200, 131005, 131031, 133010]

    public static func classify(status: Int, json: JSONValue?, retryAfter: String?) -> ChannelError {
        let error = json?.object("error")
        let code = error?.int("code")
        let details = error?.object("error_data")?.string("details")
        let message = [error?.string("message"), details].compactMap { $0 }.joined(separator: ": ")
        let text = message.isEmpty ? "HTTP \(status)" : message
        let providerCode = code.map(String.init)
        if let code {
            if code == 131047 {
                return ChannelError(.outsideWindow, .permanent, providerCode: providerCode, status: status, message: text)
            }
            if rateLimitCodes.contains(code) {
                return ChannelError(.rateLimited, .retryable(retryAfter: RetryAfter.parse(retryAfter) ?? .seconds(4)),
                                    providerCode: providerCode, status: status, message: text)
            }
            if recipientCodes.contains(code) {
                return ChannelError(.invalidRecipient, .permanent, providerCode: providerCode, status: status, message: text)
            }
            if credentialCodes.contains(code) || status == 401 {
                return ChannelError(.badCredentials, .configuration, providerCode: providerCode, status: status, message: text)
            }
            if code == 131000 || code == 1 || code == 2 || code == 131016 {
                return ChannelError(.providerError, .retryable(retryAfter: RetryAfter.parse(retryAfter)),
                                    providerCode: providerCode, status: status, message: text)
            }
        }
        switch status {
        case 429:
            return ChannelError(.rateLimited, .retryable(retryAfter: RetryAfter.parse(retryAfter) ?? .seconds(4)),
                                providerCode: providerCode, status: status, message: text)
        case 401, 403:
            return ChannelError(.badCredentials, .configuration, providerCode: providerCode, status: status, message: text)
        case 500...:
            return ChannelError(.providerError, .retryable(retryAfter: RetryAfter.parse(retryAfter)),
                                providerCode: providerCode, status: status, message: text)
        default:
            return ChannelError(.rejected, .permanent, providerCode: providerCode, status: status, message: text)
        }
    }
}
