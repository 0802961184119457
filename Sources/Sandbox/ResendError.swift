import JSON
import HTTPTypes

/// An error as Resend answers it: `{"statusCode":N,"name":"…","message":"…"}`.
struct ResendError: Error, Sendable, Equatable {
    let status: HTTPResponse.Status
    /// Resend's error name, which clients classify on.
    let name: String
    let message: String

    static let missingAPIKey = ResendError(
        status: .unauthorized, name: "missing_api_key",
        message: "Missing API key in the authorization header. Include the following header in the request: Authorization: Bearer YOUR_API_KEY")
    static let invalidAPIKey = ResendError(status: .forbidden, name: "invalid_api_key", message: "API key is invalid")
    static let invalidIdempotencyKey = ResendError(
        status: .badRequest, name: "invalid_idempotency_key", message: "The key must be between 1-256 chars.")
    static let invalidIdempotentRequest = ResendError(
        status: .conflict, name: "invalid_idempotent_request",
        message: "Same idempotency key used with a different request payload. Change your idempotency key or payload.")
    static let concurrentIdempotentRequests = ResendError(
        status: .conflict, name: "concurrent_idempotent_requests",
        message: "Same idempotency key used while original request is still in progress. Try the request again later.")
    static let invalidJSON = ResendError(
        status: .badRequest, name: "validation_error", message: "The request body is not valid JSON.")
    static let tooManyRecipients = ResendError(
        status: .unprocessableContent, name: "validation_error",
        message: "Too many recipients. The maximum number of recipients is 50.")
    static let invalidTags = ResendError(
        status: .unprocessableContent, name: "validation_error",
        message: "Tags should only contain ASCII letters, numbers, underscores, or dashes, and be at most 256 characters.")
    static let invalidHeaders = ResendError(
        status: .unprocessableContent, name: "validation_error",
        message: "The `headers` field must be an object whose values are strings.")
    static let rateLimitExceeded = ResendError(
        status: .tooManyRequests, name: "rate_limit_exceeded",
        message: "Too many requests. You can only make a limited number of requests per second. See rate limit response headers for more information. Or contact support to increase rate limit.")
    static let dailyQuotaExceeded = ResendError(
        status: .tooManyRequests, name: "daily_quota_exceeded",
        message: "You have reached your daily email sending quota.")
    static let internalServerError = ResendError(
        status: .internalServerError, name: "internal_server_error",
        message: "An unexpected error occurred.")

    /// `422 missing_required_field` for a required field that is absent or empty.
    static func missingField(_ field: String) -> ResendError {
        ResendError(status: .unprocessableContent, name: "missing_required_field", message: "Missing `\(field)` field.")
    }

    /// `422 validation_error` for an address Resend would not parse.
    static func invalidAddress(_ field: String) -> ResendError {
        ResendError(
            status: .unprocessableContent, name: "validation_error",
            message: "Invalid `\(field)` field. The email address needs to follow the `email@example.com` or `Name <email@example.com>` format.")
    }

    /// `422 validation_error` for a field of the wrong type.
    static func invalidType(_ field: String, expected: String) -> ResendError {
        ResendError(status: .unprocessableContent, name: "validation_error", message: "The `\(field)` field must be \(expected).")
    }

    /// The JSON body Resend sends.
    var body: JSONValue {
        ["statusCode": .int(Int(status.code)), "name": .string(name), "message": .string(message)]
    }

    func response(headers: HTTPFields = [:]) -> SandboxResponse {
        SandboxResponse.json(status, body, headers: headers)
    }
}
