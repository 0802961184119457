import OutreachCrypto

/// Compares a shared secret sent in a header (Telegram's `X-Telegram-Bot-Api-Secret-Token`,
/// WhatsApp's `hub.verify_token`) with the configured one, in constant time. Pure.
///
/// Both sides are hashed with SHA-256 first so that the comparison's time does not even depend
/// on the secret's length.
public struct SecretTokenVerifier: Sendable {
    let expectedDigest: [UInt8]

    /// Returns nil for an empty secret, which would accept an empty header.
    public init?(secret: String) {
        guard !secret.isEmpty else { return nil }
        expectedDigest = SHA256.hash(Array(secret.utf8))
    }

    /// Whether `given` is the secret.
    public func matches(_ given: String?) -> Bool {
        guard let given, !given.isEmpty else { return false }
        return ConstantTime.equals(SHA256.hash(Array(given.utf8)), expectedDigest)
    }

    /// Throws unless `given` is the secret.
    public func verify(_ given: String?) throws(WebhookVerificationError) {
        guard let given, !given.isEmpty else { throw WebhookVerificationError(.missingHeader) }
        guard matches(given) else { throw WebhookVerificationError(.signatureMismatch) }
    }
}
