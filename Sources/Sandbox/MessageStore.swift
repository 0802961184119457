import JSON
/// Counters per channel for `GET /_sandbox/stats`.
struct ChannelStats: Sendable, Equatable {
    var accepted = 0
    /// Answered with a provider 4xx other than 429.
    var rejected = 0
    var rateLimited = 0
    /// Idempotent replays (Resend), which record nothing new.
    var replayed = 0
    var faults = 0

    var json: JSONValue {
        ["accepted": .int(accepted), "rejected": .int(rejected), "rate_limited": .int(rateLimited),
         "replayed": .int(replayed), "faults": .int(faults)]
    }

    static func + (lhs: Self, rhs: Self) -> Self {
        Self(accepted: lhs.accepted + rhs.accepted, rejected: lhs.rejected + rhs.rejected,
             rateLimited: lhs.rateLimited + rhs.rateLimited, replayed: lhs.replayed + rhs.replayed,
             faults: lhs.faults + rhs.faults)
    }
}

/// The outcome of one provider call, for the stats.
enum CallOutcome: Sendable {
    case rejected, rateLimited, replayed, fault
}

/// Everything the sandbox remembers: accepted messages in acceptance order, Resend's
/// idempotency keys and the counters.
///
/// One actor so that recording a message and completing its idempotency key are one step.
actor MessageStore {
    private let capacity: Int
    private let clock = ContinuousClock()
    private var messages: [SandboxMessage] = []
    private var idempotency = IdempotencyCache()
    private var stats: [ProviderChannel: ChannelStats] = [:]
    private var nextTelegramMessageID = 1
    /// Called with every accepted message (the webhook dispatcher's `schedule`); must not block.
    private let onAccept: (@Sendable (SandboxMessage) -> Void)?

    init(capacity: Int, onAccept: (@Sendable (SandboxMessage) -> Void)? = nil) {
        self.capacity = max(capacity, 1)
        self.onAccept = onAccept
        messages.reserveCapacity(min(self.capacity, 4096))
    }

    // MARK: Idempotency

    /// See `IdempotencyCache.admit`.
    func admit(account: String, key: String, fingerprint: Int) -> IdempotencyCache.Admission {
        idempotency.admit(account: account, key: key, fingerprint: fingerprint, now: clock.now)
    }

    /// See `IdempotencyCache.abandon`.
    func abandon(account: String, key: String) {
        idempotency.abandon(account: account, key: key)
    }

    // MARK: Recording

    /// Records an accepted message and, when it carried one, completes its idempotency key.
    func record(_ message: SandboxMessage, fingerprint: Int? = nil) {
        if let key = message.idempotencyKey, let fingerprint {
            idempotency.complete(account: message.account, key: key, fingerprint: fingerprint,
                                 messageID: message.id, now: clock.now)
        }
        append(message)
    }

    /// Records an accepted Telegram message, assigning its `message_id`.
    func recordTelegram(_ make: @Sendable (Int) -> SandboxMessage) -> SandboxMessage {
        let message = make(nextTelegramMessageID)
        nextTelegramMessageID += 1
        append(message)
        return message
    }

    /// Counts a call that recorded nothing.
    func count(_ outcome: CallOutcome, channel: ProviderChannel) {
        switch outcome {
        case .rejected: stats[channel, default: .init()].rejected += 1
        case .rateLimited: stats[channel, default: .init()].rateLimited += 1
        case .replayed: stats[channel, default: .init()].replayed += 1
        case .fault: stats[channel, default: .init()].faults += 1
        }
    }

    private func append(_ message: SandboxMessage) {
        stats[message.channel, default: .init()].accepted += 1
        if messages.count >= capacity {
            // Drop a tenth at once so that the O(n) shift is paid rarely.
            messages.removeFirst(max(capacity / 10, 1))
        }
        messages.append(message)
        onAccept?(message)
    }

    // MARK: Reading

    /// Accepted messages in acceptance order, optionally of one channel only.
    func messages(channel: ProviderChannel? = nil) -> [SandboxMessage] {
        guard let channel else { return messages }
        return messages.filter { $0.channel == channel }
    }

    /// Forgets every message and idempotency key; returns how many messages there were.
    /// Counters keep running, as a monitoring counter would.
    func removeAll() -> Int {
        let count = messages.count
        messages.removeAll(keepingCapacity: true)
        idempotency.removeAll()
        return count
    }

    /// Counters per channel, plus the number of messages held.
    func statistics() -> JSONValue {
        var object: [String: JSONValue] = [:]
        var total = ChannelStats()
        for channel in ProviderChannel.allCases {
            let channelStats = stats[channel] ?? .init()
            object[channel.rawValue] = channelStats.json
            total = total + channelStats
        }
        object["total"] = total.json
        object["messages_held"] = .int(messages.count)
        return .object(object)
    }
}
