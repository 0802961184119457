/// Granting or revoking GDPR consent for (entity, channel) (SPEC §3, safety check 2).
public enum ConsentAction: String, Sendable, Hashable, Codable, CaseIterable {
    case grant, revoke

    /// The `outreach_consent.status` the action leaves behind.
    public var status: String {
        switch self {
        case .grant: "granted"
        case .revoke: "revoked"
        }
    }
}
