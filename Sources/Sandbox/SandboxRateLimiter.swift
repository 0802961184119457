import Synchronization

/// The verdict on one request against a per-account limit, with what the provider's
/// rate-limit headers and bodies report.
struct RateLimitDecision: Sendable, Equatable {
    /// Whether the request may proceed.
    let allowed: Bool
    /// Requests allowed per window.
    let limit: Int
    /// Requests left in the current window after this one.
    let remaining: Int
    /// Whole seconds until the window resets (at least 1), used for `retry-after`.
    let resetSeconds: Int
}

/// Fixed one-second windows per (provider, account), like the providers' documented
/// "N requests per second".
///
/// Fixed windows rather than a token bucket because the sandbox must make "more than N in one
/// second" observable and exact; the clients' own token buckets smooth their side.
final class SandboxRateLimiter: Sendable {
    private struct Window {
        var index: Int64
        var count: Int
    }

    private let limit: Int
    private let clock = ContinuousClock()
    private let epoch: ContinuousClock.Instant
    private let windows = Mutex<[String: Window]>([:])

    init(limitPerSecond: Int) {
        self.limit = max(limitPerSecond, 0)
        self.epoch = clock.now
    }

    /// Counts one request for `key` and says whether it is within the limit.
    func acquire(_ key: String) -> RateLimitDecision {
        let index = (clock.now - epoch).components.seconds
        let count = windows.withLock { windows in
            if windows.count > 100_000 {
                // Old windows are worthless; dropping them bounds memory under many accounts.
                windows = windows.filter { $0.value.index == index }
            }
            var window = windows[key] ?? Window(index: index, count: 0)
            if window.index != index { window = Window(index: index, count: 0) }
            window.count += 1
            windows[key] = window
            return window.count
        }
        // What is left of a one-second window rounds up to 1: "retry after 0" would only
        // invite the client to hammer the limit.
        return RateLimitDecision(
            allowed: count <= limit,
            limit: limit,
            remaining: max(limit - count, 0),
            resetSeconds: 1
        )
    }
}
