import JSON
import HTTPTypes
import Hummingbird

/// Builders for the JSON responses every route sends.
enum SandboxResponses {
    /// A JSON response with `Content-Type: application/json`.
    static func json(_ status: HTTPResponse.Status, _ body: JSONValue, headers: HTTPFields = [:]) -> Response {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body.serialized)))
    }
}

extension HTTPField.Name {
    static let idempotencyKey = Self("Idempotency-Key")!
    static let rateLimitLimit = Self("ratelimit-limit")!
    static let rateLimitRemaining = Self("ratelimit-remaining")!
    static let rateLimitReset = Self("ratelimit-reset")!
}

extension Request {
    /// The credential after `Bearer ` in the Authorization header, or `nil` when the header is
    /// missing, uses another scheme or carries an empty token.
    var bearerToken: String? {
        guard let header = headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].filter { $0 != " " && $0 != "\t" }
        return token.isEmpty ? nil : String(token)
    }

    /// The whole body, up to `limit` bytes, as bytes.
    func collectBytes(limit: Int) async throws -> [UInt8] {
        let buffer = try await body.collect(upTo: limit)
        return Array(buffer.readableBytesView)
    }
}
