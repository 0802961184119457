import Foundation
import Postgres

/// Finds the contacts an inbound message came from, in the workspaces that own the receiving
/// account (a WhatsApp phone number id, an email sender address) — or, when no workspace has
/// configured that account, in every workspace that has such a contact.
public struct ContactMatchStore: Sendable {
    /// `$1` the sender's digits, `$2` the receiving phone_number_id (may be NULL).
    static let byPhone = """
        SELECT \(MatchedContact.columns) FROM outreach_contacts c
        WHERE c.phone IS NOT NULL AND regexp_replace(c.phone, '[^0-9]', '', 'g') = $1
          AND (c.workspace_id IN (SELECT cc.workspace_id FROM outreach_channel_config cc
                                  WHERE cc.channel = 'whatsapp' AND cc.sender->>'phone_number_id' = $2::text)
               OR NOT EXISTS (SELECT 1 FROM outreach_channel_config cc
                              WHERE cc.channel = 'whatsapp' AND cc.sender->>'phone_number_id' = $2::text))
        ORDER BY c.id
        """

    /// One bot serves the deployment, so a chat id matches in every workspace that has it.
    static let byTelegramChat = """
        SELECT \(MatchedContact.columns) FROM outreach_contacts c
        WHERE c.telegram_chat_id = $1
        ORDER BY c.id
        """

    /// `$1` the sender's address, `$2` the address it wrote to (may be NULL), matched against the
    /// workspaces' configured `from`.
    static let byEmail = """
        SELECT \(MatchedContact.columns) FROM outreach_contacts c
        WHERE c.email IS NOT NULL AND lower(c.email) = lower($1)
          AND (c.workspace_id IN (SELECT cc.workspace_id FROM outreach_channel_config cc
                                  WHERE cc.channel = 'email' AND $2::text <> ''
                                    AND strpos(lower(cc.sender->>'from'), lower($2::text)) > 0)
               OR NOT EXISTS (SELECT 1 FROM outreach_channel_config cc
                              WHERE cc.channel = 'email' AND $2::text <> ''
                                AND strpos(lower(cc.sender->>'from'), lower($2::text)) > 0))
        ORDER BY c.id
        """

    static let byUnsubscribeToken = """
        SELECT \(MatchedContact.columns) FROM outreach_contacts c WHERE c.unsubscribe_token = $1
        """

    /// Opens (or extends) WhatsApp's 24 h customer-service window; never moves it backwards.
    static let touchWhatsAppInbound = """
        UPDATE outreach_contacts SET whatsapp_last_inbound_at = GREATEST(whatsapp_last_inbound_at, $2::timestamptz)
        WHERE id = $1
        """

    public init() {}

    /// Contacts whose phone has these digits, within the workspaces owning `phoneNumberID`.
    public func byPhone(digits: String, phoneNumberID: String?, on db: PostgresConnection) async throws -> [MatchedContact] {
        try await db.query(Self.byPhone, [digits, phoneNumberID]).map(MatchedContact.init)
    }

    /// Contacts with this Telegram chat id.
    public func byTelegramChat(_ chatID: String, on db: PostgresConnection) async throws -> [MatchedContact] {
        try await db.query(Self.byTelegramChat, [chatID]).map(MatchedContact.init)
    }

    /// Contacts with this email address, within the workspaces whose sender is `recipient`.
    public func byEmail(_ address: String, recipient: String?, on db: PostgresConnection) async throws -> [MatchedContact] {
        try await db.query(Self.byEmail, [address, recipient ?? ""]).map(MatchedContact.init)
    }

    /// The contact owning a one-click unsubscribe token.
    public func byUnsubscribeToken(_ token: String, on db: PostgresConnection) async throws -> MatchedContact? {
        try await db.query(Self.byUnsubscribeToken, [token]).first.map(MatchedContact.init)
    }

    /// Records an inbound WhatsApp message time on the contact (the 24 h window's start).
    public func touchWhatsAppInbound(contact id: Int64, at time: Date, on tx: PostgresConnection) async throws {
        try await tx.execute(Self.touchWhatsAppInbound, [id, time])
    }
}
