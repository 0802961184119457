import Foundation
import HTTPClient
import JSON
import OutreachCore

/// Telegram Bot API `POST {base}/bot{token}/sendMessage`.
public struct TelegramClient: ChannelClient {
    public let channel = Channel.telegram
    public let rateLimitAccount: String
    let botToken: String
    let baseURL: String
    let transport: ProviderTransport

    public init(botToken: String, baseURL: String, http: HTTPClient, timeout: Duration = .seconds(15)) {
        self.botToken = botToken
        self.baseURL = baseURL
        // The part before ':' is the bot's public id; the rest is the secret.
        self.rateLimitAccount = "telegram:" + (botToken.split(separator: ":").first.map(String.init) ?? "bot")
        self.transport = ProviderTransport(http: http, timeout: timeout, idempotent: false)
    }

    public var http: HTTPClient { transport.http }

    public func request(for message: OutboundMessage, idempotencyKey: String) throws(ChannelError) -> HTTPRequest {
        guard case .telegram(let tg) = message else {
            throw ChannelError(.rejected, .permanent, message: "Telegram sends Telegram messages only, not \(message.channel)")
        }
        let chat: JSONValue = Int(tg.chatID).map(JSONValue.int) ?? .string(tg.chatID)
        let body: JSONValue = ["text": .string(tg.text), "parse_mode": .string(tg.parseMode.rawValue), "chat_id": chat]
        return transport.request(url: "\(baseURL)/bot\(botToken)/sendMessage", headers: [], json: body)
    }

    public func receipt(from outcome: Result<HTTPResponse, HTTPClientError>) throws(ChannelError) -> SendReceipt {
        let reply = try transport.reply(from: outcome)
        if (200..<300).contains(reply.status), reply.json?["ok"]?.boolValue == true {
            guard let id = reply.json?.object("result")?.string("message_id") else {
                throw ChannelError(.badResponse, .unknownOutcome, status: reply.status, message: "success response without message_id")
            }
            return SendReceipt(providerMessageID: id)
        }
        if (200..<300).contains(reply.status), reply.json == nil {
            throw ChannelError(.badResponse, .unknownOutcome, status: reply.status, message: "unreadable success response")
        }
        throw TelegramErrorClassifier.classify(status: reply.status, json: reply.json,
                                               retryAfter: reply.response.header("retry-after"))
    }
}

/// Bot API error bodies (`{"ok":false,"error_code","description","parameters":{"retry_after"}}`).
public enum TelegramErrorClassifier {
    public static func classify(status: Int, json: JSONValue?, retryAfter: String?) -> ChannelError {
        let code = json?.int("error_code") ?? status
        let description = json?.string("description") ?? "HTTP \(status)"
        let lower = description.lowercased()
        let providerCode = String(code)
        switch code {
        case 429:
            let seconds = json?.object("parameters")?.int("retry_after")
            let delay = seconds.map { Duration.seconds($0) } ?? RetryAfter.parse(retryAfter) ?? .seconds(1)
            return ChannelError(.rateLimited, .retryable(retryAfter: delay), providerCode: providerCode, status: status,
                                message: description)
        case 401,
             404 where lower.contains("not found") && !lower.contains("chat"):
            // 401 Unauthorized, or 404 Not Found for a malformed token path.
            return ChannelError(.badCredentials, .configuration, providerCode: providerCode, status: status, message: description)
        case 403:
            let blocked = lower.contains("blocked") || lower.contains("deactivated") || lower.contains("kicked")
                || lower.contains("can't initiate")
            return ChannelError(blocked ? .blockedByUser : .rejected, .permanent, providerCode: providerCode, status: status,
                                message: description)
        case 400 where lower.contains("chat not found") || lower.contains("user not found") || lower.contains("peer_id_invalid"):
            return ChannelError(.invalidRecipient, .permanent, providerCode: providerCode, status: status, message: description)
        case 500...:
            return ChannelError(.providerError, .retryable(retryAfter: RetryAfter.parse(retryAfter)),
                                providerCode: providerCode, status: status, message: description)
        default:
            return ChannelError(.rejected, .permanent, providerCode: providerCode, status: status, message: description)
        }
    }
}
