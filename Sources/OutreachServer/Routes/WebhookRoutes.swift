import Foundation
import HTTPTypes
import Hummingbird
import Logging
import OutreachCore
import OutreachEngine

/// `POST /webhooks/resend`, `GET|POST /webhooks/whatsapp`, `POST /webhooks/telegram` (SPEC §7).
///
/// Every POST: read at most `maxWebhookBodyBytes` of the raw body (413 beyond), verify it
/// against the provider's signature or secret (401, nothing written), require JSON (415), decode
/// (400), then apply each event through ``DeliveryTracker`` (a database failure is a 500 so the
/// provider retries; events already applied are then duplicates).
struct WebhookRoutes: Sendable {
    let configuration: ServerConfiguration
    let tracker: DeliveryTracker
    let logger: Logger
    let svix: SvixVerifier?
    let hub: HubSignatureVerifier?
    let verifyToken: SecretTokenVerifier?
    let telegramSecret: SecretTokenVerifier?

    init(configuration: ServerConfiguration, tracker: DeliveryTracker, logger: Logger) {
        self.configuration = configuration
        self.tracker = tracker
        self.logger = logger
        svix = configuration.resendWebhookSecret.flatMap(SvixVerifier.init(secret:))
        hub = configuration.whatsappAppSecret.flatMap(HubSignatureVerifier.init(appSecret:))
        verifyToken = configuration.whatsappVerifyToken.flatMap(SecretTokenVerifier.init(secret:))
        telegramSecret = configuration.telegramWebhookSecret.flatMap(SecretTokenVerifier.init(secret:))
        if configuration.resendWebhookSecret != nil && svix == nil {
            logger.error("RESEND_WEBHOOK_SECRET is not a whsec_<base64> secret; Resend webhooks will be refused")
        }
    }

    func register(on router: Router<some RequestContext>) {
        router.post("/webhooks/resend") { request, context in await resend(request, context) }
        router.get("/webhooks/whatsapp") { request, _ in whatsappHandshake(request) }
        router.post("/webhooks/whatsapp") { request, context in await whatsapp(request, context) }
        router.post("/webhooks/telegram") { request, context in await telegram(request, context) }
    }

    // MARK: - Providers

    func resend(_ request: Request, _ context: some RequestContext) async -> Response {
        await handle(.resend, request, context) { (body: [UInt8]) throws(WebhookVerificationError) in
            guard let svix else { throw WebhookVerificationError(.notConfigured) }
            try svix.verify(
                id: request.headers[.svixID], timestamp: request.headers[.svixTimestamp],
                signatures: request.headers[.svixSignature], body: body, now: configuration.now())
        } decode: { body in
            // Verified above, so the header is present.
            try ResendWebhook.decode(body, svixID: String((request.headers[.svixID] ?? "").prefix(256)), now: configuration.now())
        }
    }

    func whatsapp(_ request: Request, _ context: some RequestContext) async -> Response {
        await handle(.whatsapp, request, context) { (body: [UInt8]) throws(WebhookVerificationError) in
            guard let hub else { throw WebhookVerificationError(.notConfigured) }
            try hub.verify(header: request.headers[.hubSignature256], body: body)
        } decode: { body in
            try WhatsAppWebhook.decode(body, now: configuration.now())
        }
    }

    func telegram(_ request: Request, _ context: some RequestContext) async -> Response {
        await handle(.telegram, request, context) { (_: [UInt8]) throws(WebhookVerificationError) in
            guard let telegramSecret else { throw WebhookVerificationError(.notConfigured) }
            try telegramSecret.verify(request.headers[.telegramSecretToken])
        } decode: { body in
            try TelegramUpdate.decode(body, now: configuration.now())
        }
    }

    /// Meta's subscription check: `hub.mode=subscribe` and the right `hub.verify_token` → the
    /// `hub.challenge` back as text; a wrong token → 403.
    func whatsappHandshake(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        guard let verifyToken else {
            logger.error("WhatsApp handshake refused: WHATSAPP_VERIFY_TOKEN is not set")
            return Responses.forbidden
        }
        guard query.get("hub.mode") == "subscribe", let challenge = query.get("hub.challenge"),
            !challenge.isEmpty, challenge.count <= 256
        else { return Responses.text(.badRequest, "bad request\n") }
        guard verifyToken.matches(query.get("hub.verify_token")) else {
            logger.warning("WhatsApp handshake with a wrong verify token")
            OutreachMetrics.recordWebhookEvent(provider: WebhookProvider.whatsapp.rawValue, result: .rejected)
            return Responses.forbidden
        }
        return Responses.text(.ok, challenge)
    }

    // MARK: - The common pipeline

    private func handle(
        _ provider: WebhookProvider, _ request: Request, _ context: some RequestContext,
        verify: ([UInt8]) throws(WebhookVerificationError) -> Void,
        decode: ([UInt8]) throws -> DecodedWebhook
    ) async -> Response {
        let label = provider.rawValue
        let body: [UInt8]
        if let length = request.headers[.contentLength].flatMap(Int.init), length > configuration.maxWebhookBodyBytes {
            logger.warning("webhook body too large", metadata: ["provider": "\(label)"])
            OutreachMetrics.recordWebhookEvent(provider: label, result: .invalid)
            return Responses.json(.contentTooLarge, #"{"error":"body too large"}"#)
        }
        do {
            var request = request
            let buffer = try await request.collectBody(upTo: configuration.maxWebhookBodyBytes)
            body = Array(buffer.readableBytesView)
        } catch let error as any HTTPResponseError where error.status == .contentTooLarge {
            logger.warning("webhook body too large", metadata: ["provider": "\(label)"])
            OutreachMetrics.recordWebhookEvent(provider: label, result: .invalid)
            return Responses.json(.contentTooLarge, #"{"error":"body too large"}"#)
        } catch {
            return Responses.badRequest("could not read the body")
        }
        do {
            try verify(body)
        } catch {
            if error.code == .notConfigured {
                logger.error("webhook refused: no secret configured", metadata: ["provider": "\(label)"])
                return Responses.notConfigured
            }
            logger.warning("webhook verification failed", metadata: [
                "provider": "\(label)", "reason": "\(error.code)",
            ])
            OutreachMetrics.recordWebhookEvent(provider: label, result: .rejected)
            return Responses.unauthorized
        }
        guard request.mediaType == "application/json" else {
            OutreachMetrics.recordWebhookEvent(provider: label, result: .invalid)
            return Responses.unsupportedMediaType
        }
        let decoded: DecodedWebhook
        do {
            decoded = try decode(body)
        } catch {
            logger.warning("webhook payload rejected", metadata: ["provider": "\(label)", "reason": "\(error)"])
            OutreachMetrics.recordWebhookEvent(provider: label, result: .invalid)
            return Responses.badRequest((error as? OutreachError)?.message ?? "invalid payload")
        }
        for _ in 0..<decoded.ignored { OutreachMetrics.recordWebhookEvent(provider: label, result: .ignored) }
        do {
            let results = try await tracker.process(decoded.events)
            logger.debug("webhook processed", metadata: ["provider": "\(label)", "results": "\(results.map(\.rawValue))"])
            return Responses.ok
        } catch {
            logger.error("webhook processing failed", metadata: ["provider": "\(label)", "error": "\(error)"])
            return Responses.internalError
        }
    }
}
