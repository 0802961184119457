import JSON
import Synchronization
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
/// One lock so that recording a message and completing its idempotency key are one step. The
/// provider routes run synchronously on the sandbox's event loop, so the lock is uncontended
/// on the hot path; a control request from another loop only waits for a short copy.
final class MessageStore: Sendable {
    private struct State {
        var messages: [SandboxMessage] = []
        var idempotency = IdempotencyCache()
        var stats: [ProviderChannel: ChannelStats] = [:]
        var nextTelegramMessageID = 1
    }

    private let capacity: Int
    private let clock = ContinuousClock()
    private let state: Mutex<State>
    /// Called with every accepted message (the webhook dispatcher's `schedule`), outside the
    /// lock; must not block.
    private let onAccept: (@Sendable (SandboxMessage) -> Void)?

    init(capacity: Int, onAccept: (@Sendable (SandboxMessage) -> Void)? = nil) {
        self.capacity = max(capacity, 1)
        self.onAccept = onAccept
        var initial = State()
        initial.messages.reserveCapacity(min(self.capacity, 4096))
        self.state = Mutex(initial)
    }

    // MARK: Idempotency

    /// See `IdempotencyCache.admit`.
    func admit(account: String, key: String, fingerprint: Int) -> IdempotencyCache.Admission {
        let now = clock.now
        return state.withLock { $0.idempotency.admit(account: account, key: key, fingerprint: fingerprint, now: now) }
    }

    /// See `IdempotencyCache.abandon`.
    func abandon(account: String, key: String) {
        state.withLock { $0.idempotency.abandon(account: account, key: key) }
    }

    // MARK: Recording

    /// Records an accepted message and, when it carried one, completes its idempotency key.
    func record(_ message: SandboxMessage, fingerprint: Int? = nil) {
        let now = clock.now
        state.withLock { state in
            if let key = message.idempotencyKey, let fingerprint {
                state.idempotency.complete(account: message.account, key: key, fingerprint: fingerprint,
                                           messageID: message.id, now: now)
            }
            append(message, to: &state)
        }
        onAccept?(message)
    }

    /// Records an accepted Telegram message, assigning its `message_id`.
    func recordTelegram(_ make: (Int) -> SandboxMessage) -> SandboxMessage {
        let message = state.withLock { state in
            let message = make(state.nextTelegramMessageID)
            state.nextTelegramMessageID += 1
            append(message, to: &state)
            return message
        }
        onAccept?(message)
        return message
    }

    /// Counts a call that recorded nothing.
    func count(_ outcome: CallOutcome, channel: ProviderChannel) {
        state.withLock { state in
            switch outcome {
            case .rejected: state.stats[channel, default: .init()].rejected += 1
            case .rateLimited: state.stats[channel, default: .init()].rateLimited += 1
            case .replayed: state.stats[channel, default: .init()].replayed += 1
            case .fault: state.stats[channel, default: .init()].faults += 1
            }
        }
    }

    private func append(_ message: SandboxMessage, to state: inout State) {
        state.stats[message.channel, default: .init()].accepted += 1
        if state.messages.count >= capacity {
            // Drop a tenth at once so that the O(n) shift is paid rarely.
            state.messages.removeFirst(max(capacity / 10, 1))
        }
        state.messages.append(message)
    }

    // MARK: Reading

    /// Accepted messages in acceptance order, optionally of one channel only.
    func messages(channel: ProviderChannel? = nil) -> [SandboxMessage] {
        let messages = state.withLock { $0.messages }
        guard let channel else { return messages }
        return messages.filter { $0.channel == channel }
    }

    /// Forgets every message and idempotency key; returns how many messages there were.
    /// Counters keep running, as a monitoring counter would.
    func removeAll() -> Int {
        state.withLock { state in
            let count = state.messages.count
            state.messages.removeAll(keepingCapacity: true)
            state.idempotency.removeAll()
            return count
        }
    }

    /// Counters per channel, plus the number of messages held.
    func statistics() -> JSONValue {
        let (stats, held) = state.withLock { ($0.stats, $0.messages.count) }
        var object: [String: JSONValue] = [:]
        var total = ChannelStats()
        for channel in ProviderChannel.allCases {
            let channelStats = stats[channel] ?? .init()
            object[channel.rawValue] = channelStats.json
            total = total + channelStats
        }
        object["total"] = total.json
        object["messages_held"] = .int(held)
        return .object(object)
    }
}
