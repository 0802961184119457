/// Why a webhook request failed verification. The server answers every case with the same bare
/// 401 (nothing that helps an attacker); the code is only logged.
public struct WebhookVerificationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A stable reason code, safe to log (it never contains a secret or a signature).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        let raw: String
        public var description: String { raw }
        /// A required header is absent or empty.
        public static let missingHeader = Code(raw: "missing_header")
        /// A header is present but not in the documented format.
        public static let malformedHeader = Code(raw: "malformed_header")
        /// The timestamp is outside the tolerance window (replay protection).
        public static let timestampOutOfTolerance = Code(raw: "timestamp_out_of_tolerance")
        /// No signature (or token) matched.
        public static let signatureMismatch = Code(raw: "signature_mismatch")
        /// The server has no secret configured for this provider.
        public static let notConfigured = Code(raw: "not_configured")
    }

    /// The reason.
    public var code: Code

    /// Creates an error with a reason code.
    public init(_ code: Code) { self.code = code }

    public var description: String { "webhook verification failed: \(code)" }
}
