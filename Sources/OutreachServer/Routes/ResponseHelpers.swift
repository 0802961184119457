import HTTPTypes
import Hummingbird

/// Small, uniform responses. Error bodies are generic on purpose: they never say which check
/// failed, so they help no attacker (the reason goes to the log instead).
enum Responses {
    static func text(_ status: HTTPResponse.Status, _ body: String, contentType: String = "text/plain; charset=utf-8") -> Response {
        var headers: HTTPFields = [.contentType: contentType]
        headers[.cacheControl] = "no-store"
        headers[.xContentTypeOptions] = "nosniff"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
    }

    static func json(_ status: HTTPResponse.Status, _ body: String) -> Response {
        text(status, body, contentType: "application/json")
    }

    static let ok = json(.ok, #"{"ok":true}"#)
    static let unauthorized = json(.unauthorized, #"{"error":"unauthorized"}"#)
    static let forbidden = text(.forbidden, "forbidden\n")
    static let notConfigured = json(.serviceUnavailable, #"{"error":"webhook not configured"}"#)
    static let unsupportedMediaType = json(.unsupportedMediaType, #"{"error":"expected Content-Type: application/json"}"#)
    static let internalError = json(.internalServerError, #"{"error":"internal error"}"#)

    static func badRequest(_ reason: String) -> Response {
        let escaped = reason.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        return json(.badRequest, #"{"error":"\#(escaped)"}"#)
    }
}

extension HTTPField.Name {
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let svixID = Self("svix-id")!
    static let svixTimestamp = Self("svix-timestamp")!
    static let svixSignature = Self("svix-signature")!
    static let hubSignature256 = Self("X-Hub-Signature-256")!
    static let telegramSecretToken = Self("X-Telegram-Bot-Api-Secret-Token")!
    static let referrerPolicy = Self("Referrer-Policy")!
}

extension Request {
    /// The media type of `Content-Type` without parameters, lower-cased (`application/json`).
    var mediaType: String? {
        headers[.contentType].map { value in
            String(value.split(separator: ";", maxSplits: 1).first ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        }
    }
}
