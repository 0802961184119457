import JSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTypes

/// `POST /emails`, Resend's send endpoint.
///
/// Fixtures: API key `re_invalid` → 403 `invalid_api_key`; `re_quota` → 429
/// `daily_quota_exceeded` (no `retry-after`: it is not a per-second limit). Recipients that
/// start with `bounce` are accepted; with `--webhooks` their bounce comes by webhook.
struct ResendRoutes: Sendable {
    let services: SandboxServices

    func send(_ request: SandboxRequest) -> ProviderCall {
        ProviderCall(channel: .email, verdict: decide(request))
    }

    /// Everything Resend checks, in its order: key, rate limit, idempotency key, body.
    private func decide(_ request: SandboxRequest) -> ProviderVerdict {
        guard let apiKey = request.bearerToken else { return .rejected(ResendError.missingAPIKey.response()) }
        if apiKey == "re_invalid" { return .rejected(ResendError.invalidAPIKey.response()) }
        let account = Self.accountLabel(apiKey)

        var rateHeaders: HTTPFields = [:]
        if let decision = services.rateLimit(.email, account: account) {
            rateHeaders[.rateLimitLimit] = String(decision.limit)
            rateHeaders[.rateLimitRemaining] = String(decision.remaining)
            rateHeaders[.rateLimitReset] = String(decision.resetSeconds)
            if !decision.allowed {
                rateHeaders[.retryAfter] = String(decision.resetSeconds)
                return .rateLimited(ResendError.rateLimitExceeded.response(headers: rateHeaders))
            }
        }
        if apiKey == "re_quota" { return .rateLimited(ResendError.dailyQuotaExceeded.response(headers: rateHeaders)) }

        let idempotencyKey = request.header("idempotency-key")
        if let idempotencyKey, idempotencyKey.isEmpty || idempotencyKey.count > 256 {
            return .rejected(ResendError.invalidIdempotencyKey.response(headers: rateHeaders))
        }
        guard let payload = JSONValue.parse(request.body), case .object = payload else {
            return .rejected(ResendError.invalidJSON.response(headers: rateHeaders))
        }
        let email: ValidatedEmail
        switch ValidatedEmail.validate(payload) {
        case .success(let valid): email = valid
        case .failure(let error): return .rejected(error.response(headers: rateHeaders))
        }

        let fingerprint = payload.hashValue
        if let idempotencyKey {
            switch services.store.admit(account: account, key: idempotencyKey, fingerprint: fingerprint) {
            case .proceed: break
            case .replay(let messageID):
                return .replayed(SandboxResponse.json(.ok, ["id": .string(messageID)], headers: rateHeaders))
            case .payloadMismatch:
                return .rejected(ResendError.invalidIdempotentRequest.response(headers: rateHeaders))
            case .inFlight:
                return .rejected(ResendError.concurrentIdempotentRequests.response(headers: rateHeaders))
            }
        }

        let store = services.store
        let headers = rateHeaders
        return .accepted(
            commit: {
                let id = RandomToken.uuid()
                var message = email.message(id: id, account: account)
                message.idempotencyKey = idempotencyKey
                store.record(message, fingerprint: fingerprint)
                return SandboxResponse.json(.ok, ["id": .string(id)], headers: headers)
            },
            abandon: {
                if let idempotencyKey { store.abandon(account: account, key: idempotencyKey) }
            })
    }

    /// A label for a Resend key that tells keys apart without revealing them: `re_` and a
    /// 64-bit FNV-1a hash. Not a cryptographic hash — the sandbox only ever sees test keys, and
    /// this keeps it free of a crypto dependency.
    static func accountLabel(_ apiKey: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in apiKey.utf8 {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return "re_" + String(repeating: "0", count: 16 - hex.count) + hex
    }
}

/// A Resend send request that passed validation.
struct ValidatedEmail: Sendable {
    var from: String
    var to: [String]
    var subject: String
    var html: String?
    var text: String?
    var headers: JSONValue?
    var tags: JSONValue?

    /// Checks a request body the way Resend does: required `from`, `to` (1–50), `subject`;
    /// well-formed addresses; string-valued headers; tags of ASCII letters, digits, `_`, `-`.
    static func validate(_ payload: JSONValue) -> Result<ValidatedEmail, ResendError> {
        guard let fromValue = payload["from"], !fromValue.isNull else { return .failure(.missingField("from")) }
        guard let from = fromValue.stringValue else { return .failure(.invalidType("from", expected: "a string")) }
        if from.isEmpty { return .failure(.missingField("from")) }
        guard EmailAddress.isValid(from) else { return .failure(.invalidAddress("from")) }

        let to: [String]
        switch addresses(payload["to"], field: "to") {
        case .success(let list): to = list
        case .failure(let error): return .failure(error)
        }
        if to.isEmpty { return .failure(.missingField("to")) }
        if to.count > 50 { return .failure(.tooManyRecipients) }
        for field in ["cc", "bcc", "reply_to"] {
            if case .failure(let error) = addresses(payload[field], field: field) { return .failure(error) }
        }

        guard let subjectValue = payload["subject"], !subjectValue.isNull else { return .failure(.missingField("subject")) }
        guard let subject = subjectValue.stringValue else { return .failure(.invalidType("subject", expected: "a string")) }
        if subject.isEmpty { return .failure(.missingField("subject")) }

        var email = ValidatedEmail(from: from, to: to, subject: subject)
        for field in ["html", "text"] {
            guard let value = payload[field], !value.isNull else { continue }
            guard let string = value.stringValue else { return .failure(.invalidType(field, expected: "a string")) }
            if field == "html" { email.html = string } else { email.text = string }
        }
        if let headers = payload["headers"], !headers.isNull {
            guard let members = headers.objectValue, members.values.allSatisfy({ $0.stringValue != nil }) else {
                return .failure(.invalidHeaders)
            }
            email.headers = headers
        }
        if let tags = payload["tags"], !tags.isNull {
            guard let list = tags.arrayValue, list.allSatisfy(isValidTag) else { return .failure(.invalidTags) }
            email.tags = tags
        }
        return .success(email)
    }

    /// A string or an array of strings, each a valid address; absent means empty.
    private static func addresses(_ value: JSONValue?, field: String) -> Result<[String], ResendError> {
        guard let value, !value.isNull else { return .success([]) }
        let list: [String]
        if let single = value.stringValue {
            list = single.isEmpty ? [] : [single]
        } else if let many = value.arrayValue {
            var strings: [String] = []
            for element in many {
                guard let string = element.stringValue else {
                    return .failure(.invalidType(field, expected: "a string or an array of strings"))
                }
                strings.append(string)
            }
            list = strings
        } else {
            return .failure(.invalidType(field, expected: "a string or an array of strings"))
        }
        for address in list where !EmailAddress.isValid(address) {
            return .failure(.invalidAddress(field))
        }
        return .success(list)
    }

    private static func isValidTag(_ tag: JSONValue) -> Bool {
        guard let name = tag["name"]?.stringValue, !name.isEmpty else { return false }
        func allowed(_ string: String) -> Bool {
            // ASCII letters, digits, `_` and `-`, byte by byte (a Unicode property per scalar
            // showed up in the sandbox's profile).
            string.utf8.count <= 256
                && string.utf8.allSatisfy { byte in
                    switch byte {
                    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                         UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "-"): true
                    default: false
                    }
                }
        }
        // `value` is optional at Resend; when present it follows the same alphabet.
        guard let value = tag["value"], !value.isNull else { return allowed(name) }
        guard let string = value.stringValue else { return false }
        return allowed(name) && allowed(string)
    }

    /// The record of this email once accepted under `id`.
    func message(id: String, account: String) -> SandboxMessage {
        SandboxMessage(
            id: id, channel: .email, account: account,
            to: to.joined(separator: ", "), recipients: to, from: from, subject: subject,
            text: text, html: html, headers: headers, tags: tags, receivedAt: Date())
    }
}
