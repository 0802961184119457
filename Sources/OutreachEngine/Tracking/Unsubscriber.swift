import Foundation
import Logging
import OutreachCore
import OutreachStore
import Postgres

/// One-click unsubscribe (RFC 8058): the token in an email's `List-Unsubscribe` URL revokes the
/// contact's email consent (with a history entry, actor `unsubscribe`) and suppresses the address.
public struct Unsubscriber: Sendable {
    /// What a request did.
    public enum Outcome: Sendable, Equatable {
        /// Consent was revoked now.
        case unsubscribed
        /// It was already revoked; nothing changed (one-click links get clicked twice).
        case alreadyUnsubscribed
        /// No contact has this token.
        case unknownToken
    }

    let pool: PostgresPool
    let logger: Logger
    let contacts = ContactMatchStore()
    let consent = ConsentRevocationStore()

    public init(pool: PostgresPool, logger: Logger = Logger(label: "outreach.unsubscribe")) {
        self.pool = pool
        self.logger = logger
    }

    /// Whether the token is shaped like one we issue (URL-safe characters, 16–128 long). Cheap
    /// rejection of junk before the database; the shape is public, so this leaks nothing.
    public static func isWellFormed(_ token: String) -> Bool {
        (16...128).contains(token.utf8.count) && token.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }

    /// Whether the token belongs to a contact (for the confirmation page; changes nothing).
    public func exists(token: String) async throws -> Bool {
        guard Self.isWellFormed(token) else { return false }
        return try await pool.withConnection { db in try await contacts.byUnsubscribeToken(token, on: db) != nil }
    }

    /// Revokes email consent and suppresses the contact's address; idempotent.
    public func unsubscribe(token: String) async throws -> Outcome {
        guard Self.isWellFormed(token) else { return .unknownToken }
        let outcome: Outcome = try await pool.transaction { tx in
            guard let contact = try await contacts.byUnsubscribeToken(token, on: tx) else { return .unknownToken }
            let changed = try await consent.revoke(
                workspace: contact.workspaceID, entityType: contact.entityType, entityID: contact.entityID,
                channel: .email, actor: "unsubscribe", source: "one-click", on: tx)
            if let email = contact.email.flatMap(WebhookAddress.email) {
                try await consent.suppress(
                    workspace: contact.workspaceID, channel: .email, address: email, reason: .unsubscribe,
                    source: "one-click", on: tx)
            }
            if changed {
                logger.info("unsubscribed", metadata: [
                    "workspace": "\(contact.workspaceID.uuidString.lowercased())", "contact": "\(contact.id)",
                ])
            }
            return changed ? .unsubscribed : .alreadyUnsubscribed
        }
        let label: String = switch outcome {
        case .unsubscribed: "unsubscribed"
        case .alreadyUnsubscribed: "repeat"
        case .unknownToken: "unknown_token"
        }
        OutreachMetrics.recordUnsubscribe(result: label)
        return outcome
    }
}
