import Foundation
import OutreachCrypto
import JSON
import HTTPTypes

/// An error as the WhatsApp Cloud API (Graph API) answers it:
/// `{"error":{"message","type","code","error_data":{"messaging_product","details"},"error_subcode"?,"fbtrace_id"}}`.
///
/// Clients must classify on `code` (and `details`), not on the HTTP status: Meta answers most
/// Cloud API errors, rate limits included, with 400.
struct GraphError: Error, Sendable, Equatable {
    let status: HTTPResponse.Status
    let code: Int
    let message: String
    var type = "OAuthException"
    /// `error_data.details`, Meta's human explanation; omitted when `nil`.
    var details: String? = nil
    var subcode: Int? = nil
    var isTransient: Bool? = nil

    static let invalidAccessToken = GraphError(
        status: .unauthorized, code: 190, message: "Invalid OAuth access token - Cannot parse access token")
    static let expiredAccessToken = GraphError(
        status: .unauthorized, code: 190,
        message: "Error validating access token: Session has expired on Friday, 01-Jan-21 00:00:00 PST.", subcode: 463)
    /// Meta's 130429, answered with HTTP 400 as Meta does (see `WhatsAppRoutes`).
    static let rateLimitHit = GraphError(
        status: .badRequest, code: 130429, message: "(#130429) Rate limit hit",
        details: "Cloud API message throughput has been reached.")
    static let reEngagement = GraphError(
        status: .badRequest, code: 131047, message: "(#131047) Re-engagement message",
        details: "Message failed to send because more than 24 hours have passed since the customer last replied to this number.")
    static let undeliverable = GraphError(
        status: .badRequest, code: 131026, message: "(#131026) Message undeliverable",
        details: "Message Undeliverable.")
    static let pairRateLimit = GraphError(
        status: .badRequest, code: 131056, message: "(#131056) (Business Account, Consumer Account) pair rate limit hit",
        details: "Message failed to send because there were too many messages sent from this phone number to the same phone number in a short period of time.")
    static let invalidJSON = GraphError(status: .badRequest, code: 100, message: "(#100) Invalid parameter",
                                        details: "The request body is not a JSON object.")
    static let serviceUnavailable = GraphError(
        status: .internalServerError, code: 2, message: "An unexpected error has occurred. Please retry your request later.",
        isTransient: true)

    /// `(#100)` for a required parameter that is missing.
    static func required(_ parameter: String) -> GraphError {
        GraphError(status: .badRequest, code: 100, message: "(#100) The parameter \(parameter) is required.")
    }

    /// `(#100)` for a parameter with a value Meta rejects.
    static func invalidParameter(_ details: String) -> GraphError {
        GraphError(status: .badRequest, code: 100, message: "(#100) Invalid parameter", details: details)
    }

    /// `(#100)` for a parameter that must be one of a set.
    static func mustBeOneOf(_ parameter: String, _ allowed: String, got: String) -> GraphError {
        GraphError(status: .badRequest, code: 100, message: "(#100) Param \(parameter) must be one of {\(allowed)} - got \"\(got)\".")
    }

    /// What Graph says to a POST on an object that does not exist.
    static func unknownObject(_ id: String) -> GraphError {
        GraphError(
            status: .badRequest, code: 100,
            message: "Unsupported post request. Object with ID '\(id)' does not exist, cannot be loaded due to missing permissions, or does not support this operation. Please read the Graph API documentation at https://developers.facebook.com/docs/graph-api",
            type: "GraphMethodException", subcode: 33)
    }

    static func unknownPath(_ path: String) -> GraphError {
        GraphError(status: .badRequest, code: 2500, message: "Unknown path components: \(path)")
    }

    static func templateNotFound(name: String, language: String) -> GraphError {
        GraphError(status: .notFound, code: 132001, message: "(#132001) Template name does not exist in the translation",
                   details: "template name (\(name)) does not exist in \(language)")
    }

    /// The JSON body Meta sends.
    var body: JSONValue {
        var error: [String: JSONValue] = [
            "message": .string(message), "type": .string(type), "code": .int(code),
            "fbtrace_id": .string(RandomToken.alphanumeric(count: 27)),
        ]
        if let details { error["error_data"] = ["messaging_product": "whatsapp", "details": .string(details)] }
        if let subcode { error["error_subcode"] = .int(subcode) }
        if let isTransient { error["is_transient"] = .bool(isTransient) }
        return ["error": .object(error)]
    }

    func response() -> SandboxResponse {
        SandboxResponse.json(status, body)
    }
}

/// Random identifiers in the providers' styles.
enum RandomToken {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)
    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// `count` characters of `alphabet` from one call for random bytes (one syscall per
    /// character was a visible share of the sandbox's CPU). A fake id needs no uniformity.
    private static func token(_ count: Int, from alphabet: [UInt8]) -> String {
        String(decoding: SecureRandom.bytes(count).map { alphabet[Int($0) % alphabet.count] }, as: UTF8.self)
    }

    static func alphanumeric(count: Int) -> String {
        token(count, from: alphabet)
    }

    /// A lowercase version-4 UUID, as Resend's email ids are. Foundation's `UUID()` opened
    /// `/dev/urandom` and called `getpid` for every id (three syscalls per Resend call).
    static func uuid() -> String {
        var bytes = SecureRandom.bytes(16)
        bytes[6] = bytes[6] & 0x0F | 0x40
        bytes[8] = bytes[8] & 0x3F | 0x80
        let uuid = bytes.withUnsafeBytes { $0.loadUnaligned(as: uuid_t.self) }
        return UUID(uuid: uuid).uuidString.lowercased()
    }

    /// A WhatsApp message id: `wamid.` and base64 text, like Meta's.
    static func wamid() -> String {
        "wamid.HBgL" + token(48, from: base64Alphabet)
    }
}
