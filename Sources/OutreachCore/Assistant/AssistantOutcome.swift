import Foundation

/// What the engine did (or refused to do) for a parsed message; `AssistantReplies` words it.
public enum AssistantOutcome: Sendable, Hashable {
    /// `enrolled` new enrollments in `sequence`; `alreadyEnrolled` were no-ops.
    case enrolled(sequence: String, enrolled: Int, alreadyEnrolled: Int)
    case cancelled(count: Int, sequence: String?)
    case paused(count: Int, sequence: String?)
    case resumed(count: Int, sequence: String?)
    /// Nothing to pause, resume or cancel for these contacts.
    case noEnrollment(contacts: [String])
    /// A one-off send was queued for these contacts.
    case sendQueued(template: AssistantTemplate, contacts: [String])
    case status(contact: String, enrollments: [StatusLine])
    case channelsChanged([ChannelChange])
    /// The workspace's channels (a `manage_channels` read such as "Quali canali ho?").
    case channels([ChannelState])
    case templates([AssistantTemplate])
    case sequences([String])
    case metrics(period: AssistantPeriod?, rows: [MetricsRow])
    /// The channel is disabled for the workspace: suggest enabling it.
    case channelNotEnabled(Channel)
    /// The channel's provider credentials are missing: an operator must configure them.
    case providerNotConfigured(Channel)
    /// No consent for these contacts on `channel`: nothing was sent to them.
    case consentMissing(channel: Channel, contacts: [String])
    /// The workspace's daily limit for `channel` is used up: try tomorrow.
    case dailyLimitReached(channel: Channel, limit: Int)
    /// The kill switch is on: no sends; reads still work.
    case killSwitchOn
    /// The caller's role or workspace does not allow this.
    case forbidden
    case clarification(Clarification)
    case notOutreach

    /// One enrollment in a status answer.
    public struct StatusLine: Sendable, Hashable {
        public var sequence: String
        public var status: EnrollmentStatus
        /// 1-based step reached, and the sequence's step count when known.
        public var step: Int
        public var totalSteps: Int?
        public var nextRunAt: Date?
        /// The latest execution, e.g. "email delivered".
        public var lastEvent: String?

        public init(sequence: String, status: EnrollmentStatus, step: Int, totalSteps: Int? = nil,
                    nextRunAt: Date? = nil, lastEvent: String? = nil) {
            self.sequence = sequence
            self.status = status
            self.step = step
            self.totalSteps = totalSteps
            self.nextRunAt = nextRunAt
            self.lastEvent = lastEvent
        }
    }

    /// A channel's state in a channel list.
    public struct ChannelState: Sendable, Hashable {
        public var channel: Channel
        public var enabled: Bool
        public var configured: Bool
        public var dailyLimit: Int?

        public init(channel: Channel, enabled: Bool, configured: Bool, dailyLimit: Int? = nil) {
            self.channel = channel
            self.enabled = enabled
            self.configured = configured
            self.dailyLimit = dailyLimit
        }
    }

    /// Counts for one channel (or all channels when `channel` is nil) over the period.
    public struct MetricsRow: Sendable, Hashable {
        public var channel: Channel?
        public var sent = 0, delivered = 0, opened = 0, clicked = 0, replied = 0, bounced = 0, blocked = 0, deferred = 0

        public init(channel: Channel?, sent: Int = 0, delivered: Int = 0, opened: Int = 0, clicked: Int = 0,
                    replied: Int = 0, bounced: Int = 0, blocked: Int = 0, deferred: Int = 0) {
            self.channel = channel
            self.sent = sent
            self.delivered = delivered
            self.opened = opened
            self.clicked = clicked
            self.replied = replied
            self.bounced = bounced
            self.blocked = blocked
            self.deferred = deferred
        }

        /// A share of `sent` in percent, nil when nothing was sent.
        public func rate(_ count: Int) -> Double? { sent > 0 ? Double(count) * 100 / Double(sent) : nil }
    }
}
