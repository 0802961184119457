import Foundation
import OutreachCore
import OutreachCrypto
import Postgres

/// What the assistant reads to build its context, and the API tokens it authenticates with.
public struct AssistantStore: Sendable {
    /// Contacts whose name, company or entity id contains one of `$2` (LIKE patterns), at most `$3`.
    /// An empty `$2` takes the first `$3` contacts.
    static let contacts = """
        SELECT entity_type, entity_id, name, company FROM outreach_contacts
        WHERE workspace_id = $1
          AND (cardinality($2::text[]) = 0
               OR lower(name || ' ' || coalesce(company, '') || ' ' || entity_type || ':' || entity_id) LIKE ANY ($2::text[]))
        ORDER BY id
        LIMIT $3
        """
    static let contactCount = "SELECT count(*) AS n FROM outreach_contacts WHERE workspace_id = $1"
    static let killSwitch = "SELECT coalesce((SELECT value = 'true'::jsonb FROM outreach_settings WHERE key = 'kill_switch'), false) AS on"
    static let insertToken = """
        INSERT INTO outreach_api_tokens (workspace_id, token_hash, role, label) VALUES ($1, $2, $3, $4) RETURNING id
        """
    static let selectToken = """
        SELECT workspace_id, role FROM outreach_api_tokens WHERE token_hash = $1 AND revoked_at IS NULL
        """

    /// Workspaces up to this many contacts are loaded whole; bigger ones are pre-filtered by the message's words.
    public static let contactCap = 5_000

    public init() {}

    /// The contacts a message may name: all of them in a small workspace, else those sharing a word
    /// (its first four letters) with the message.
    public func contacts(for message: String, workspace: UUID, on db: PostgresConnection) async throws -> [AssistantContact] {
        let total: Int = try await db.query(Self.contactCount, [workspace])[0].decode("n")
        var patterns: [String] = []
        if total > Self.contactCap {
            let words = message.lowercased().split { !$0.isLetter && !$0.isNumber && $0 != ":" && $0 != "-" }
            patterns = Array(Set(words.filter { $0.count >= 3 }.map { word -> String in
                let stem = String(word.prefix(4)).replacingOccurrences(of: "%", with: "").replacingOccurrences(of: "_", with: "")
                return "%" + stem + "%"
            })).sorted()
            if patterns.isEmpty { return [] }
        }
        return try await db.query(Self.contacts, [workspace, patterns, Self.contactCap]).compactMap { row in
            let type: String = try row.decode("entity_type")
            let id: String = try row.decode("entity_id")
            guard let entity = try? EntityRef(parsing: "\(type):\(id)") else { return nil }
            return AssistantContact(entity: entity, name: try row.decode("name"), company: try row.decode("company"))
        }
    }

    /// The fleet-wide kill switch as stored in `outreach_settings`.
    public func killSwitch(on db: PostgresConnection) async throws -> Bool {
        try await db.query(Self.killSwitch)[0].decode("on")
    }

    public enum TokenRole: String, Sendable, Codable { case admin, reseller }

    /// Stores the SHA-256 (hex) of `token`; the token itself is never stored.
    @discardableResult
    public func createToken(_ token: String, workspace: UUID, role: TokenRole, label: String?,
                            on db: PostgresConnection) async throws -> Int64 {
        try await db.query(Self.insertToken, [workspace, Self.hash(token), role.rawValue, label])[0].decode("id")
    }

    /// The workspace and role of a live (not revoked) token, or nil.
    public func lookupToken(_ token: String, on db: PostgresConnection) async throws -> (workspace: UUID, role: TokenRole)? {
        guard let row = try await db.query(Self.selectToken, [Self.hash(token)]).first else { return nil }
        let role: String = try row.decode("role")
        return (try row.decode("workspace_id"), TokenRole(rawValue: role) ?? .reseller)
    }

    public static func hash(_ token: String) -> String {
        Hex.encode(SHA256.hash(Array(token.utf8)))
    }
}
