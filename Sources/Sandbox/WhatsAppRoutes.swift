import JSON
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// `POST /{version}/{phone_number_id}/messages`, the WhatsApp Cloud API send endpoint.
///
/// Rate limit: Meta's `130429` answered with **HTTP 400**, as the Cloud API does (it is not
/// a Graph "app call rate" 429); clients must classify on the error code.
///
/// Fixtures, chosen by the recipient's last digits so that one sandbox serves every test:
/// - ends in `131047`: free-form messages fail with 131047 (outside the 24 h window);
///   templates go through;
/// - ends in `131026`: 131026 message undeliverable;
/// - ends in `131056`: 131056 pair rate limit;
/// - template name `does_not_exist`: 404 with 132001;
/// - access token `invalid` → 401 code 190; `expired` → 401 code 190 subcode 463.
struct WhatsAppRoutes: Sendable {
    let services: SandboxServices

    /// Message types the Cloud API sends besides text and template: each needs an object
    /// under its own name.
    private static let otherTypes: Set<String> = [
        "audio", "contacts", "document", "image", "interactive", "location", "reaction", "sticker", "video",
    ]

    /// `POST /{version}/{phone_number_id}/messages`.
    func send(_ request: SandboxRequest, version: String, phoneNumberID: String) -> ProviderCall {
        ProviderCall(channel: .whatsapp, verdict: decide(request, version: version, phoneNumberID: phoneNumberID))
    }

    private func decide(_ request: SandboxRequest, version: String, phoneNumberID: String) -> ProviderVerdict {
        guard Self.isVersion(version) else {
            return .rejected(GraphError.unknownPath("/\(version)/\(phoneNumberID)/messages").response())
        }
        guard let token = request.bearerToken, token != "invalid" else {
            return .rejected(GraphError.invalidAccessToken.response())
        }
        if token == "expired" { return .rejected(GraphError.expiredAccessToken.response()) }
        guard !phoneNumberID.isEmpty, phoneNumberID.allSatisfy(\.isASCIIDigit) else {
            return .rejected(GraphError.unknownObject(phoneNumberID).response())
        }
        if let decision = services.rateLimit(.whatsapp, account: phoneNumberID), !decision.allowed {
            return .rateLimited(GraphError.rateLimitHit.response())
        }
        guard let payload = JSONValue.parse(request.body), case .object = payload else {
            return .rejected(GraphError.invalidJSON.response())
        }
        let validated: ValidatedWhatsAppMessage
        switch ValidatedWhatsAppMessage.validate(payload, otherTypes: Self.otherTypes) {
        case .success(let message): validated = message
        case .failure(let error): return .rejected(error.response())
        }
        if let fixture = Self.fixture(for: validated) { return .rejected(fixture.response()) }

        let store = services.store
        return .accepted(
            commit: {
                let id = RandomToken.wamid()
                store.record(validated.message(id: id, account: phoneNumberID))
                return SandboxResponse.json(.ok, [
                    "messaging_product": "whatsapp",
                    "contacts": [["input": .string(validated.to), "wa_id": .string(validated.waID)]],
                    "messages": [["id": .string(id)]],
                ])
            },
            abandon: {})
    }

    private static func fixture(for message: ValidatedWhatsAppMessage) -> GraphError? {
        if message.waID.hasSuffix("131047"), message.type != "template" { return .reEngagement }
        if message.waID.hasSuffix("131026") { return .undeliverable }
        if message.waID.hasSuffix("131056") { return .pairRateLimit }
        if message.type == "template", message.text == "does_not_exist" {
            return .templateNotFound(name: message.text, language: message.language ?? "")
        }
        return nil
    }

    /// `v21.0`, `v18`: what Graph accepts as a version component.
    private static func isVersion(_ value: String) -> Bool {
        guard value.first == "v" else { return false }
        let parts = value.dropFirst().split(separator: ".", omittingEmptySubsequences: false)
        return (1...2).contains(parts.count) && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy(\.isASCIIDigit) }
    }
}

/// A WhatsApp send request that passed validation.
struct ValidatedWhatsAppMessage: Sendable {
    /// Recipient as given (`+39…` or digits).
    var to: String
    /// Recipient digits, which is what Meta reports as `wa_id`.
    var waID: String
    var type: String
    /// The text body, or the template name.
    var text: String
    var language: String?
    var template: JSONValue?

    static func validate(_ payload: JSONValue, otherTypes: Set<String>) -> Result<ValidatedWhatsAppMessage, GraphError> {
        guard let product = payload["messaging_product"]?.stringValue else { return .failure(.required("messaging_product")) }
        guard product.lowercased() == "whatsapp" else {
            return .failure(.mustBeOneOf("messaging_product", "WHATSAPP", got: product))
        }
        guard let to = payload["to"]?.stringValue, !to.isEmpty else { return .failure(.required("to")) }
        let digits = to.hasPrefix("+") ? to.dropFirst() : Substring(to)
        guard (5...20).contains(digits.count), digits.allSatisfy(\.isASCIIDigit) else {
            return .failure(.invalidParameter("The parameter to must be a phone number: digits with an optional leading '+'."))
        }
        if let recipientType = payload["recipient_type"]?.stringValue, recipientType != "individual" {
            return .failure(.mustBeOneOf("recipient_type", "INDIVIDUAL", got: recipientType))
        }
        // Meta's default type is text.
        let type = payload["type"]?.stringValue ?? "text"
        var message = ValidatedWhatsAppMessage(to: to, waID: String(digits), type: type, text: "")
        switch type {
        case "text":
            guard let body = payload["text"]?["body"]?.stringValue, !body.isEmpty else {
                return .failure(.required("text['body']"))
            }
            guard body.count <= 4096 else {
                return .failure(GraphError(status: .badRequest, code: 100,
                                           message: "(#100) Param text['body'] must be at most 4096 characters long."))
            }
            message.text = body
        case "template":
            guard let template = payload["template"], template.objectValue != nil else { return .failure(.required("template")) }
            guard let name = template["name"]?.stringValue, !name.isEmpty else { return .failure(.required("template['name']")) }
            guard let code = template["language"]?["code"]?.stringValue, !code.isEmpty else {
                return .failure(.required("template['language']['code']"))
            }
            message.text = name
            message.language = code
            message.template = template
        case _ where otherTypes.contains(type):
            guard payload[type]?.objectValue != nil else { return .failure(.required(type)) }
            message.text = type
        default:
            let allowed = (otherTypes.union(["text", "template"])).map { $0.uppercased() }.sorted().joined(separator: ", ")
            return .failure(.mustBeOneOf("type", allowed, got: type))
        }
        return .success(message)
    }

    func message(id: String, account: String) -> SandboxMessage {
        SandboxMessage(id: id, channel: .whatsapp, account: account, to: to, text: text,
                       raw: template, type: type, receivedAt: Date())
    }
}

extension Character {
    /// `0`…`9` only; `isNumber` would also take other scripts' digits and fractions.
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
