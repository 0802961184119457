import Foundation
import OutreachCore
import Postgres

/// Counts of executions by outcome.
public struct MetricsCounts: Sendable, Equatable, Codable {
    public var sent = 0, delivered = 0, opened = 0, clicked = 0, replied = 0, bounced = 0, blocked = 0, deferred = 0

    public init() {}

    /// `count` as a share of `sent`, in percent; nil when nothing was sent.
    public func rate(_ count: Int) -> Double? { sent > 0 ? Double(count) * 100 / Double(sent) : nil }
    public var deliveryRate: Double? { rate(delivered) }
    public var openRate: Double? { rate(opened) }
    public var replyRate: Double? { rate(replied) }
}

/// Analytics over `outreach_executions` for one workspace and period.
public struct MetricsReport: Sendable, Equatable, Codable {
    public struct ChannelRow: Sendable, Equatable, Codable {
        public var channel: Channel
        public var counts: MetricsCounts
    }
    public struct StepRow: Sendable, Equatable, Codable {
        /// nil for one-off sends.
        public var sequence: String?
        public var step: Int?
        public var counts: MetricsCounts
    }
    public struct BlockedRow: Sendable, Equatable, Codable {
        public var channel: Channel
        public var reason: String
        public var count: Int
    }

    /// Per sequence (nil: one-off sends) and channel.
    public struct SequenceChannelRow: Sendable, Equatable, Codable {
        public var sequence: String?
        public var channel: Channel
        public var counts: MetricsCounts
    }

    public var since: Date
    public var until: Date
    public var channels: [ChannelRow]
    public var steps: [StepRow]
    public var blockedByReason: [BlockedRow]
    public var sequenceChannels: [SequenceChannelRow]
}

/// One set-based statement: a single scan of the analytics index range, three grouping sets
/// (per channel, per sequence step, blocked per channel and reason, per sequence and channel), every count a FILTER.
public struct MetricsStore: Sendable {
    static let report = """
        SELECT GROUPING(e.channel) AS g_channel, GROUPING(s.name) AS g_sequence, GROUPING(e.step_position) AS g_step,
               GROUPING(e.reason) AS g_reason,
               e.channel, s.name AS sequence, e.step_position, e.reason,
               count(*) FILTER (WHERE e.sent_at IS NOT NULL) AS sent,
               count(*) FILTER (WHERE e.delivered_at IS NOT NULL
                                   OR e.status IN ('delivered', 'opened', 'read', 'clicked', 'replied')) AS delivered,
               count(*) FILTER (WHERE e.opened_at IS NOT NULL OR e.status IN ('opened', 'read', 'clicked')) AS opened,
               count(*) FILTER (WHERE e.clicked_at IS NOT NULL OR e.status = 'clicked') AS clicked,
               count(*) FILTER (WHERE e.replied_at IS NOT NULL OR e.status = 'replied') AS replied,
               count(*) FILTER (WHERE e.status IN ('bounced', 'complained')) AS bounced,
               count(*) FILTER (WHERE e.status = 'blocked') AS blocked,
               count(*) FILTER (WHERE e.status = 'deferred') AS deferred
        FROM outreach_executions e
        LEFT JOIN outreach_sequences s ON s.id = e.sequence_id
        WHERE e.workspace_id = $1 AND e.created_at >= $2 AND e.created_at < $3
        GROUP BY GROUPING SETS ((e.channel), (s.name, e.step_position), (e.channel, e.reason), (s.name, e.channel))
        """

    public init() {}

    public func report(workspace: UUID, since: Date, until: Date, on db: PostgresConnection) async throws -> MetricsReport {
        var channels: [MetricsReport.ChannelRow] = []
        var steps: [MetricsReport.StepRow] = []
        var blocked: [MetricsReport.BlockedRow] = []
        var sequenceChannels: [MetricsReport.SequenceChannelRow] = []
        for row in try await db.query(Self.report, [workspace, since, until]) {
            var c = MetricsCounts()
            c.sent = try row.decode("sent"); c.delivered = try row.decode("delivered"); c.opened = try row.decode("opened")
            c.clicked = try row.decode("clicked"); c.replied = try row.decode("replied"); c.bounced = try row.decode("bounced")
            c.blocked = try row.decode("blocked"); c.deferred = try row.decode("deferred")
            let gChannel: Int = try row.decode("g_channel")
            let gSequence: Int = try row.decode("g_sequence")
            let gStep: Int = try row.decode("g_step")
            let gReason: Int = try row.decode("g_reason")
            if gChannel == 0, gSequence == 0 {
                guard let channel = Channel(rawValue: try row.decode("channel")) else { continue }
                sequenceChannels.append(.init(sequence: try row.decode("sequence"), channel: channel, counts: c))
            } else if gChannel == 0, gReason == 0 {
                guard c.blocked > 0, let channel = Channel(rawValue: try row.decode("channel")) else { continue }
                let reason: String? = try row.decode("reason")
                blocked.append(.init(channel: channel, reason: reason ?? "unknown", count: c.blocked))
            } else if gChannel == 0 {
                guard let channel = Channel(rawValue: try row.decode("channel")) else { continue }
                channels.append(.init(channel: channel, counts: c))
            } else if gSequence == 0, gStep == 0 {
                steps.append(.init(sequence: try row.decode("sequence"), step: try row.decode("step_position"), counts: c))
            }
        }
        let order = Dictionary(uniqueKeysWithValues: Channel.allCases.enumerated().map { ($1, $0) })
        channels.sort { order[$0.channel]! < order[$1.channel]! }
        steps.sort { ($0.sequence ?? "", $0.step ?? 0) < ($1.sequence ?? "", $1.step ?? 0) }
        blocked.sort { (order[$0.channel]!, $0.reason) < (order[$1.channel]!, $1.reason) }
        sequenceChannels.sort { ($0.sequence ?? "", order[$0.channel]!) < ($1.sequence ?? "", order[$1.channel]!) }
        return MetricsReport(since: since, until: until, channels: channels, steps: steps, blockedByReason: blocked,
                             sequenceChannels: sequenceChannels)
    }
}
