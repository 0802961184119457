import JSON
import HTTPTypes

/// One HTTP answer of the sandbox: status, headers and a body already serialized.
struct SandboxResponse: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: String

    /// A JSON response with `Content-Type: application/json`.
    static func json(_ status: HTTPResponse.Status, _ body: JSONValue, headers: HTTPFields = [:]) -> SandboxResponse {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return SandboxResponse(status: status, headers: headers, body: body.serialized)
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let rateLimitLimit = Self("ratelimit-limit")!
    static let rateLimitRemaining = Self("ratelimit-remaining")!
    static let rateLimitReset = Self("ratelimit-reset")!
}
