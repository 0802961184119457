import OutreachCrypto

/// Verifies Meta's `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body with the app
/// secret>` (WhatsApp Cloud API webhooks), in constant time. Pure.
public struct HubSignatureVerifier: Sendable {
    let secret: [UInt8]

    /// Returns nil for an empty secret (an empty key would make signatures forgeable by anyone
    /// who guesses it is empty).
    public init?(appSecret: String) {
        guard !appSecret.isEmpty else { return nil }
        secret = Array(appSecret.utf8)
    }

    /// The header value Meta would send for `body`.
    public func sign(body: some Collection<UInt8>) -> String {
        "sha256=" + Hex.encode(HMAC.sha256(key: secret, message: body))
    }

    /// Checks the header against the raw body.
    public func verify(header: String?, body: some Collection<UInt8>) throws(WebhookVerificationError) {
        guard let header, !header.isEmpty else { throw WebhookVerificationError(.missingHeader) }
        guard header.hasPrefix("sha256="), let given = Hex.decode(String(header.dropFirst("sha256=".count))) else {
            throw WebhookVerificationError(.malformedHeader)
        }
        guard ConstantTime.equals(given, HMAC.sha256(key: secret, message: body)) else {
            throw WebhookVerificationError(.signatureMismatch)
        }
    }
}
