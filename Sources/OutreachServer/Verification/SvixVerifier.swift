import Foundation
import OutreachCrypto

/// Verifies Svix-signed webhooks (what Resend sends): HMAC-SHA256 over
/// `"{svix-id}.{svix-timestamp}.{raw body}"` with the base64-decoded part of the `whsec_…` secret,
/// base64 output, compared in constant time against every `v1,<sig>` entry of the space-separated
/// `svix-signature` header (several during key rotation), and a timestamp within ±5 minutes of now.
///
/// Pure: no I/O, the clock is an argument.
public struct SvixVerifier: Sendable {
    /// The largest accepted distance between `svix-timestamp` and now, either way.
    public static let tolerance: TimeInterval = 5 * 60

    let key: [UInt8]

    /// Parses a `whsec_<base64>` secret (the prefix is optional, as in Svix's libraries).
    /// Returns nil when the rest is not valid base64 or is empty.
    public init?(secret: String) {
        let trimmed = secret.trimmingCharacters(in: .whitespacesAndNewlines)
        let encoded = trimmed.hasPrefix("whsec_") ? String(trimmed.dropFirst("whsec_".count)) : trimmed
        guard let key = Base64.decode(encoded), !key.isEmpty else { return nil }
        self.key = key
    }

    /// The `v1,<base64>` signature of a message, as Svix computes it.
    public func sign(id: String, timestamp: Int64, body: some Collection<UInt8>) -> String {
        "v1," + Base64.encode(mac(id: id, timestamp: String(timestamp), body: body))
    }

    /// Checks the three Svix headers against the raw body.
    /// - Throws: ``WebhookVerificationError`` naming the first reason it failed.
    public func verify(
        id: String?, timestamp: String?, signatures: String?, body: some Collection<UInt8>, now: Date
    ) throws(WebhookVerificationError) {
        guard let id, !id.isEmpty, let timestamp, !timestamp.isEmpty, let signatures, !signatures.isEmpty else {
            throw WebhookVerificationError(.missingHeader)
        }
        guard timestamp.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
            timestamp.utf8.count <= 12, let seconds = Int64(timestamp)
        else { throw WebhookVerificationError(.malformedHeader) }
        guard abs(now.timeIntervalSince1970 - Double(seconds)) <= Self.tolerance else {
            throw WebhookVerificationError(.timestampOutOfTolerance)
        }
        let expected = mac(id: id, timestamp: timestamp, body: body)
        var matched = false
        for entry in signatures.split(separator: " ", omittingEmptySubsequences: true) {
            guard let comma = entry.firstIndex(of: ","), entry[..<comma] == "v1",
                let candidate = Base64.decode(String(entry[entry.index(after: comma)...]))
            else { continue }  // other versions (v1a, …) and junk are skipped, as Svix does
            // Every entry is compared (no early exit), so timing does not reveal which matched.
            if ConstantTime.equals(candidate, expected) { matched = true }
        }
        guard matched else { throw WebhookVerificationError(.signatureMismatch) }
    }

    private func mac(id: String, timestamp: String, body: some Collection<UInt8>) -> [UInt8] {
        var message = [UInt8]()
        message.reserveCapacity(id.utf8.count + timestamp.utf8.count + body.count + 2)
        message.append(contentsOf: id.utf8)
        message.append(UInt8(ascii: "."))
        message.append(contentsOf: timestamp.utf8)
        message.append(UInt8(ascii: "."))
        message.append(contentsOf: body)
        return HMAC.sha256(key: key, message: message)
    }
}
