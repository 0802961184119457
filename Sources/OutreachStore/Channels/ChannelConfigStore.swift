import Foundation
import OutreachCore
import Postgres

/// Per-workspace channel settings in `outreach_channel_config` (safety checks 3 and 4).
public struct ChannelConfigStore: Sendable {
    /// `$3` enabled; `$4` daily limit, applied to an existing row only when `$7`; `$5` sender keys
    /// given explicitly (they win); `$6` default sender keys (used only where the row has none).
    /// Enabling also lifts a fleet-wide pause (the operator has fixed the credentials).
    static let upsert = """
        INSERT INTO outreach_channel_config AS c (workspace_id, channel, enabled, daily_limit, sender)
        VALUES ($1, $2::text, $3::bool, $4::int, $6::jsonb || $5::jsonb)
        ON CONFLICT (workspace_id, channel) DO UPDATE
           SET enabled = EXCLUDED.enabled,
               daily_limit = CASE WHEN $7::bool THEN EXCLUDED.daily_limit ELSE c.daily_limit END,
               sender = $6::jsonb || c.sender || $5::jsonb,
               paused_until = CASE WHEN EXCLUDED.enabled THEN NULL ELSE c.paused_until END,
               pause_reason = CASE WHEN EXCLUDED.enabled THEN NULL ELSE c.pause_reason END
        RETURNING channel
        """

    /// All three channels, configured or not, with today's sent count (the workspace's local day).
    static let list = """
        SELECT ch.channel, c.id IS NOT NULL AS configured, coalesce(c.enabled, false) AS enabled, c.daily_limit,
               coalesce(c.sender, '{}'::jsonb) AS sender, c.paused_until, c.pause_reason,
               (now() AT TIME ZONE w.timezone)::date::text AS day, coalesce(d.sent, 0) AS sent_today
        FROM outreach_workspaces w
        CROSS JOIN unnest(ARRAY['email', 'whatsapp', 'telegram']) WITH ORDINALITY AS ch(channel, n)
        LEFT JOIN outreach_channel_config c ON c.workspace_id = w.id AND c.channel = ch.channel
        LEFT JOIN outreach_daily_counters d
               ON d.workspace_id = w.id AND d.channel = ch.channel AND d.day = (now() AT TIME ZONE w.timezone)::date
        WHERE w.id = $1
        ORDER BY ch.n
        """

    public init() {}

    /// What to change: `dailyLimit` nil keeps the current limit (none for a new row);
    /// `sender` keys replace those stored; `defaultSender` keys fill only keys not stored yet.
    public struct Update: Sendable {
        public var channel: Channel
        public var enabled: Bool
        public var dailyLimit: Int?
        public var sender: [String: String]
        public var defaultSender: [String: String]

        public init(channel: Channel, enabled: Bool, dailyLimit: Int? = nil, sender: [String: String] = [:],
                    defaultSender: [String: String] = [:]) {
            self.channel = channel
            self.enabled = enabled
            self.dailyLimit = dailyLimit
            self.sender = sender
            self.defaultSender = defaultSender
        }
    }

    public func save(_ update: Update, workspace: UUID, on db: PostgresConnection) async throws {
        try await db.query(Self.upsert, [
            workspace, update.channel.rawValue, update.enabled, update.dailyLimit,
            try PostgresJSON(update.sender), try PostgresJSON(update.defaultSender), update.dailyLimit != nil,
        ] as [any PostgresEncodable])
    }

    /// Email, WhatsApp and Telegram in that order.
    public func list(workspace: UUID, on db: PostgresConnection) async throws -> [ChannelStatus] {
        try await db.query(Self.list, [workspace]).map { row in
            let sender: PostgresJSON = try row.decode("sender")
            return ChannelStatus(
                channel: try ConsentStore.channel(row), configured: try row.decode("configured"), enabled: try row.decode("enabled"),
                dailyLimit: try row.decode("daily_limit"),
                sender: (try? sender.decode([String: JSONScalar].self).mapValues(\.text)) ?? [:],
                pausedUntil: try row.decode("paused_until"), pauseReason: try row.decode("pause_reason"),
                day: try row.decode("day"), sentToday: try row.decode("sent_today"))
        }
    }
}

/// One channel of a workspace as `outreach channel list` shows it.
public struct ChannelStatus: Sendable, Equatable, Codable {
    public var channel: Channel
    /// Whether a configuration row exists (an unconfigured channel is disabled).
    public var configured: Bool
    public var enabled: Bool
    /// Sends per day in the workspace's time zone; nil is unlimited.
    public var dailyLimit: Int?
    public var sender: [String: String]
    /// Set when the provider rejected the credentials: the fleet stops sending until then.
    public var pausedUntil: Date?
    public var pauseReason: String?
    /// The workspace's current local day (`YYYY-MM-DD`) that ``sentToday`` counts.
    public var day: String
    public var sentToday: Int
}
