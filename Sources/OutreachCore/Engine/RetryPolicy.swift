/// Exponential backoff with jitter for retryable failures, honouring a provider's Retry-After.
public struct RetryPolicy: Sendable, Equatable {
    public var maxAttempts: Int
    public var base: Duration
    public var cap: Duration
    /// Fraction of the delay randomised either way, so a fleet does not retry in lockstep.
    public var jitter: Double

    public init(maxAttempts: Int = 8, base: Duration = .seconds(30), cap: Duration = .seconds(6 * 3600), jitter: Double = 0.2) {
        self.maxAttempts = maxAttempts
        self.base = base
        self.cap = cap
        self.jitter = jitter
    }

    /// Delay before attempt `attempt + 1` after attempt `attempt` (1-based) failed; nil when the
    /// attempts are exhausted and the job is dead.
    public func delay(afterAttempt attempt: Int, retryAfter: Duration? = nil,
                      random: Double = Double.random(in: 0..<1)) -> Duration? {
        guard attempt < maxAttempts else { return nil }
        let exponent = min(attempt - 1, 30)
        var seconds = min(cap.inSeconds, base.inSeconds * Double(1 << exponent))
        seconds *= 1 + jitter * (2 * random - 1)
        if let retryAfter {
            // The provider's delay is a floor; add a little spread above it.
            seconds = max(retryAfter.inSeconds * (1 + jitter * random), 0.1)
        }
        return .milliseconds(Int64(seconds * 1000))
    }
}
