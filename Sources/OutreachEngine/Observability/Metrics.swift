import Metrics
import OutreachCore

/// Every metric the fleet exports, named in one place, with the helpers the worker, the
/// scheduler and the server call. They go through swift-metrics, so they are no-ops until a
/// process bootstraps a backend (`Observability.bootstrap()` in OutreachServer installs
/// Prometheus).
///
/// Label values are small closed sets (channel, outcome, check, provider, result, state): never
/// ids, addresses or free text, which would explode the number of series.
public enum OutreachMetrics {
    /// Metric names (Prometheus conventions: `_total` counters, `_seconds` durations).
    public enum Name {
        /// Counter `{channel, outcome}`: send attempts by result (`sent`, `failed`, `retry`,
        /// `unknown`, …).
        public static let sends = "outreach_sends_total"
        /// Counter `{check, outcome}`: the gates and six safety checks (`pass`, `skip`, `block`,
        /// `defer`).
        public static let safetyChecks = "outreach_safety_checks_total"
        /// Histogram `{channel}`: provider API call latency in seconds.
        public static let providerLatency = "outreach_provider_latency_seconds"
        /// Counter `{provider, result}`: webhook events by outcome (see ``WebhookResult``).
        public static let webhookEvents = "outreach_webhook_events_total"
        /// Counter `{result}`: one-click unsubscribe requests (`unsubscribed`, `repeat`, `unknown_token`).
        public static let unsubscribes = "outreach_unsubscribes_total"
        /// Gauge `{state}`: jobs per queue state, computed from SQL at scrape time.
        public static let queueDepth = "outreach_queue_depth"
        /// Gauge: age in seconds of the oldest queued job that is due, computed at scrape time.
        public static let oldestDueJobAge = "outreach_queue_oldest_due_age_seconds"
    }

    /// Counts one send attempt (the worker calls this once per attempt, with its final outcome).
    public static func recordSend(channel: Channel, outcome: String) {
        Counter(label: Name.sends, dimensions: [("channel", channel.rawValue), ("outcome", outcome)]).increment()
    }

    /// Counts one safety-check decision, e.g. `recordSafetyCheck(check: "consent", outcome: "block")`.
    public static func recordSafetyCheck(check: String, outcome: String) {
        Counter(label: Name.safetyChecks, dimensions: [("check", check), ("outcome", outcome)]).increment()
    }

    /// Records how long one provider call took.
    public static func recordProviderLatency(channel: Channel, _ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let nanoseconds = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        Metrics.Timer(label: Name.providerLatency, dimensions: [("channel", channel.rawValue)])
            .recordNanoseconds(max(0, nanoseconds))
    }

    /// Times `body` as one provider call on `channel` (recorded whether it throws or not).
    public static func timeProviderCall<T>(channel: Channel, _ body: () async throws -> T) async rethrows -> T {
        let clock = ContinuousClock()
        let start = clock.now
        defer { recordProviderLatency(channel: channel, clock.now - start) }
        return try await body()
    }

    /// Counts one webhook event (or rejected request) from `provider` ("resend", "whatsapp", …).
    public static func recordWebhookEvent(provider: String, result: WebhookResult) {
        Counter(label: Name.webhookEvents, dimensions: [("provider", provider), ("result", result.rawValue)]).increment()
    }

    /// Counts one one-click unsubscribe request.
    public static func recordUnsubscribe(result: String) {
        Counter(label: Name.unsubscribes, dimensions: [("result", result)]).increment()
    }

    /// Sets the queue-depth gauge of one state.
    public static func setQueueDepth(state: String, jobs: Int) {
        Gauge(label: Name.queueDepth, dimensions: [("state", state)]).record(Double(jobs))
    }

    /// Sets the oldest-due-job age gauge.
    public static func setOldestDueJobAge(seconds: Double) {
        Gauge(label: Name.oldestDueJobAge).record(seconds)
    }

    /// Creates the common series at zero so that every metric name appears on `/metrics` from
    /// the first scrape (dashboards and alerts then see 0 rather than "no data").
    public static func registerDefaults() {
        for channel in Channel.allCases {
            _ = Counter(label: Name.sends, dimensions: [("channel", channel.rawValue), ("outcome", "sent")])
            _ = Metrics.Timer(label: Name.providerLatency, dimensions: [("channel", channel.rawValue)])
        }
        _ = Counter(label: Name.safetyChecks, dimensions: [("check", "consent"), ("outcome", "pass")])
        for provider in WebhookProvider.allCases {
            _ = Counter(label: Name.webhookEvents, dimensions: [("provider", provider.rawValue), ("result", WebhookResult.applied.rawValue)])
        }
        _ = Counter(label: Name.unsubscribes, dimensions: [("result", "unsubscribed")])
        // The queue gauges are not pre-registered: they appear with their first SQL refresh, so
        // a process that does not compute them (a worker's own endpoint) never reports a false 0.
    }
}
