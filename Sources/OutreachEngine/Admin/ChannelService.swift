import Foundation
import OutreachCore
import OutreachStore
import Postgres

/// `outreach channel enable|disable|list`.
public struct ChannelService: Sendable {
    public init() {}

    /// Enables or disables a channel. `from` (email) and `phoneNumberID` (WhatsApp) set the sender;
    /// when enabling without them, `RESEND_FROM` / `WHATSAPP_PHONE_NUMBER_ID` from `environment`
    /// fill a sender the workspace has not configured yet. Returns the channel as it now stands.
    public func configure(_ channel: Channel, enabled: Bool, dailyLimit: Int?, from: String?, phoneNumberID: String?,
                          environment: [String: String], workspace: Workspace, on db: PostgresConnection) async throws -> ChannelStatus {
        if let dailyLimit, dailyLimit < 0 { throw OutreachError.badInput("--daily-limit must be 0 or more") }
        var sender: [String: String] = [:]
        var defaults: [String: String] = [:]
        if let from {
            guard channel == .email else { throw OutreachError.badInput("--from applies to the email channel only") }
            guard Self.isValidSender(from) else {
                throw OutreachError.badInput("--from '\(from)' is not an address or \"Name <address>\"")
            }
            sender["from"] = from
        }
        if let phoneNumberID {
            guard channel == .whatsapp else { throw OutreachError.badInput("--phone-number-id applies to the whatsapp channel only") }
            guard !phoneNumberID.isEmpty, phoneNumberID.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw OutreachError.badInput("--phone-number-id '\(phoneNumberID)' is not a numeric WhatsApp phone number id")
            }
            sender["phone_number_id"] = phoneNumberID
        }
        if enabled {
            if channel == .email, from == nil, let value = environment["RESEND_FROM"], !value.isEmpty { defaults["from"] = value }
            if channel == .whatsapp, phoneNumberID == nil, let value = environment["WHATSAPP_PHONE_NUMBER_ID"], !value.isEmpty {
                defaults["phone_number_id"] = value
            }
        }
        let store = ChannelConfigStore()
        try await store.save(.init(channel: channel, enabled: enabled, dailyLimit: dailyLimit, sender: sender,
                                   defaultSender: defaults), workspace: workspace.id, on: db)
        return try await store.list(workspace: workspace.id, on: db).first { $0.channel == channel }!
    }

    public func list(workspace: Workspace, on db: PostgresConnection) async throws -> [ChannelStatus] {
        try await ChannelConfigStore().list(workspace: workspace.id, on: db)
    }

    /// `addr@example.com` or `Display Name <addr@example.com>`.
    static func isValidSender(_ text: String) -> Bool {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if let open = trimmed.lastIndex(of: "<"), trimmed.hasSuffix(">") {
            let address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            return ContactRules.isValidEmail(address)
        }
        return ContactRules.isValidEmail(trimmed)
    }
}
