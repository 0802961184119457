import JSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `POST|GET /bot{token}/sendMessage` (and `getMe`), the Bot API. Parameters come as JSON,
/// as a form (`application/x-www-form-urlencoded`) or in the query string, as Telegram allows.
///
/// Fixtures: token `invalid` → 401 Unauthorized; chat ids `0`, other non-positive ids except
/// `-100…` (supergroups and channels) and `@usernames` that start with `@unknown` → 400 chat
/// not found; chat `403403` → 403 bot was blocked by the user; `403404` → 403 bot can't
/// initiate conversation; `403405` → 403 user is deactivated.
struct TelegramRoutes: Sendable {
    let services: SandboxServices

    /// `GET|POST /bot{token}/{method}`. Tokens contain ':' (`123:ABC`), which is fine inside
    /// one path component.
    func call(_ request: SandboxRequest, token: String, method: String) -> SandboxReply {
        guard !token.isEmpty else { return .respond(TelegramError.notFound.response()) }
        let verdict: ProviderVerdict
        switch method.lowercased() {
        case "sendmessage":
            verdict = decideSend(request, token: token)
        case "getme":
            verdict = token == "invalid"
                ? .rejected(TelegramError.unauthorized.response())
                : .answered(SandboxResponse.json(.ok, ["ok": true, "result": Self.botUser(token: token)]))
        default:
            verdict = .rejected(TelegramError.notFound.response())
        }
        return .provider(ProviderCall(channel: .telegram, verdict: verdict))
    }

    private func decideSend(_ request: SandboxRequest, token: String) -> ProviderVerdict {
        if token == "invalid" { return .rejected(TelegramError.unauthorized.response()) }
        let account = Self.accountLabel(token)
        if let decision = services.rateLimit(.telegram, account: account), !decision.allowed {
            return .rateLimited(TelegramError.tooManyRequests(retryAfter: decision.resetSeconds).response())
        }
        let parameters = Self.parameters(of: request)

        guard let chatValue = parameters["chat_id"], !chatValue.isNull, chatValue.stringValue != "" else {
            return .rejected(TelegramError.chatIDEmpty.response())
        }
        let chat: JSONValue
        switch Self.chat(for: chatValue) {
        case .success(let value): chat = value
        case .failure(let error): return .rejected(error.response())
        }

        guard let raw = parameters["text"]?.stringValue ?? parameters["text"]?.intValue.map(String.init), !raw.isEmpty else {
            return .rejected(TelegramError.textEmpty.response())
        }
        let parseMode = parameters["parse_mode"]?.stringValue ?? ""
        let text: String
        do throws(TelegramParseError) {
            switch parseMode.lowercased() {
            case "": text = raw
            case "html": text = try TelegramHTMLChecker.plainText(of: raw)
            case "markdownv2": text = try TelegramMarkdownChecker.plainText(of: raw)
            case "markdown": text = raw  // Legacy mode: accepted as is; nothing new should use it.
            default: return .rejected(TelegramError.unsupportedParseMode.response())
            }
        } catch {
            return .rejected(TelegramError.cannotParseEntities(error).response())
        }
        // Telegram counts UTF-16 code units after entity parsing.
        if text.allSatisfy(\.isWhitespace) { return .rejected(TelegramError.textEmpty.response()) }
        if text.utf16.count > 4096 { return .rejected(TelegramError.textTooLong.response()) }

        let store = services.store
        let to = chatValue.stringValue ?? chatValue.intValue.map(String.init) ?? ""
        let from = Self.botUser(token: token)
        return .accepted(
            commit: {
                let now = Date()
                let message = store.recordTelegram { messageID in
                    SandboxMessage(
                        id: String(messageID), channel: .telegram, account: account, to: to, text: text,
                        parseMode: parseMode.isEmpty ? nil : parseMode, raw: parseMode.isEmpty ? nil : .string(raw),
                        receivedAt: now)
                }
                let result: JSONValue = [
                    "message_id": .int(Int(message.id) ?? 0),
                    "from": from,
                    "chat": chat,
                    "date": .int(Int(now.timeIntervalSince1970)),
                    "text": .string(text),
                ]
                return SandboxResponse.json(.ok, ["ok": true, "result": result])
            },
            abandon: {})
    }

    /// The `chat` object Telegram returns for `chat_id`, or the fixture error for it.
    private static func chat(for value: JSONValue) -> Result<JSONValue, TelegramError> {
        if let name = value.stringValue, name.hasPrefix("@") {
            if name.hasPrefix("@unknown") || name.count < 2 { return .failure(.chatNotFound) }
            let username = String(name.dropFirst())
            return .success(["id": -1_001_000_000_001, "title": .string(username), "username": .string(username), "type": "channel"])
        }
        guard let id = value.intValue ?? value.stringValue.flatMap({ Int($0) }) else { return .failure(.chatNotFound) }
        switch id {
        case 403403: return .failure(.botBlocked)
        case 403404: return .failure(.cannotInitiate)
        case 403405: return .failure(.userDeactivated)
        case ...(-1_000_000_000_000):
            return .success(["id": .int(id), "title": "Sandbox Group", "type": "supergroup"])
        case ...0: return .failure(.chatNotFound)
        default: return .success(["id": .int(id), "first_name": "Sandbox", "type": "private"])
        }
    }

    /// The bot as `getMe` and a message's `from` describe it.
    private static func botUser(token: String) -> JSONValue {
        let botID = Int(token.prefix { $0 != ":" }) ?? 1
        return ["id": .int(botID), "is_bot": true, "first_name": "Sandbox Bot", "username": "sandbox_bot"]
    }

    /// `bot<id>`: the public part of a token (the bot id), never the secret after `:`.
    static func accountLabel(_ token: String) -> String {
        "bot" + token.prefix { $0 != ":" }
    }

    /// Query parameters overlaid with the body's, which Telegram gives precedence.
    private static func parameters(of request: SandboxRequest) -> [String: JSONValue] {
        var parameters: [String: JSONValue] = [:]
        if let query = request.query {
            for (key, value) in FormDecoding.decode(Array(query.utf8)) { parameters[key] = .string(value) }
        }
        let body = request.body
        guard !body.isEmpty else { return parameters }
        let contentType = request.header("content-type")?.lowercased() ?? ""
        if contentType.hasBytes("application/json") || (contentType.isEmpty && body.first == UInt8(ascii: "{")) {
            for (key, value) in JSONValue.parse(body)?.objectValue ?? [:] { parameters[key] = value }
        } else if contentType.hasBytes("application/x-www-form-urlencoded") {
            for (key, value) in FormDecoding.decode(body) { parameters[key] = .string(value) }
        }
        return parameters
    }
}

/// `application/x-www-form-urlencoded` decoding (also used for query strings).
enum FormDecoding {
    /// Pairs in order of appearance; `+` is a space, `%XX` a byte; later keys win.
    static func decode(_ bytes: [UInt8]) -> [String: String] {
        var result: [String: String] = [:]
        for pair in bytes.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let parts = pair.split(separator: UInt8(ascii: "="), maxSplits: 1, omittingEmptySubsequences: false)
            let key = unescape(parts[0], plusIsSpace: true)
            let value = parts.count > 1 ? unescape(parts[1], plusIsSpace: true) : ""
            result[key] = value
        }
        return result
    }

    /// `%XX` as a byte and, in a form (not in a path), `+` as a space.
    static func unescape<Bytes: Collection<UInt8>>(_ bytes: Bytes, plusIsSpace: Bool) -> String where Bytes.Index == Int {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+"), plusIsSpace {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.endIndex,
                      let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 3
                continue
            } else {
                output.append(byte)
            }
            index += 1
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
