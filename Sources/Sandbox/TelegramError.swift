import JSON
import HTTPTypes

/// An error as the Bot API answers it: `{"ok":false,"error_code":N,"description":"…"}`, with
/// `parameters.retry_after` on 429.
struct TelegramError: Error, Sendable, Equatable {
    let errorCode: Int
    let description: String
    var retryAfter: Int? = nil

    static let unauthorized = TelegramError(errorCode: 401, description: "Unauthorized")
    static let notFound = TelegramError(errorCode: 404, description: "Not Found")
    static let chatNotFound = TelegramError(errorCode: 400, description: "Bad Request: chat not found")
    static let chatIDEmpty = TelegramError(errorCode: 400, description: "Bad Request: chat_id is empty")
    static let textEmpty = TelegramError(errorCode: 400, description: "Bad Request: message text is empty")
    static let textTooLong = TelegramError(errorCode: 400, description: "Bad Request: message is too long")
    static let unsupportedParseMode = TelegramError(errorCode: 400, description: "Bad Request: unsupported parse_mode")
    static let botBlocked = TelegramError(errorCode: 403, description: "Forbidden: bot was blocked by the user")
    static let cannotInitiate = TelegramError(errorCode: 403, description: "Forbidden: bot can't initiate conversation with a user")
    static let userDeactivated = TelegramError(errorCode: 403, description: "Forbidden: user is deactivated")
    static let internalServerError = TelegramError(errorCode: 500, description: "Internal Server Error")

    static func cannotParseEntities(_ error: TelegramParseError) -> TelegramError {
        TelegramError(errorCode: 400, description: "Bad Request: can't parse entities: \(error.reason)")
    }

    static func tooManyRequests(retryAfter seconds: Int) -> TelegramError {
        TelegramError(errorCode: 429, description: "Too Many Requests: retry after \(seconds)", retryAfter: seconds)
    }

    /// The JSON body Telegram sends.
    var body: JSONValue {
        var object: [String: JSONValue] = ["ok": false, "error_code": .int(errorCode), "description": .string(description)]
        if let retryAfter { object["parameters"] = ["retry_after": .int(retryAfter)] }
        return .object(object)
    }

    func response() -> SandboxResponse {
        var headers: HTTPFields = [:]
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return SandboxResponse.json(HTTPResponse.Status(code: errorCode), body, headers: headers)
    }
}
