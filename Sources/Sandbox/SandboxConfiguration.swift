/// How an `outreach sandbox` behaves: where it listens and how unreliable it pretends the
/// providers are.
public struct SandboxConfiguration: Sendable {
    /// Address to bind (`--host`).
    public var host = "127.0.0.1"
    /// Port to bind (`--port`); 0 picks a free port (see `Sandbox.makeApplication(onServerRunning:)`).
    public var port = 9090
    /// Added to every provider call, errors included (`--latency-ms`). One timer serves all
    /// waiting calls (`DelayLine`), so it holds no thread.
    public var latency: Duration = .milliseconds(50)
    /// Fraction (0…1) of provider calls that fault (`--fail-rate`). A fault is, spread evenly
    /// over `faultKinds`: a 5xx with the provider's error body, a timeout (the request is held
    /// for `timeoutFaultDuration`, then the connection closes without a response) or a dropped
    /// connection (closed without a response at once).
    public var failRate: Double = 0
    /// Requests per second allowed per provider account (Resend key, WhatsApp phone number id,
    /// Telegram bot token); beyond it the provider's own 429 answer. `nil` means unlimited.
    public var rateLimitPerSecond: Int? = nil
    /// Base URL of `outreach serve` to post signed delivery events to (`--webhooks`); `nil`
    /// posts nothing.
    public var webhooksURL: String? = nil
    /// Timing, shares and signing secrets of those events (secrets from the environment).
    public var webhookOptions = SandboxWebhookOptions()

    /// The fault kinds `failRate` chooses among. Tests narrow it to avoid 30-second holds.
    public var faultKinds: [SandboxFault.Kind] = SandboxFault.Kind.allCases
    /// How long a `.timeout` fault holds the request before dropping the connection. Real
    /// clients give up well before 30 s, which is the point of the fault.
    public var timeoutFaultDuration: Duration = .seconds(30)
    /// Seed for fault injection; `nil` uses the system's random numbers. A seed makes a run
    /// with faults repeatable.
    public var randomSeed: UInt64? = nil
    /// Most messages kept for `GET /_sandbox/messages`; beyond it the oldest are forgotten
    /// so that a long benchmark cannot exhaust memory.
    public var messageCapacity = 500_000

    /// A configuration with the defaults above.
    public init() {}

    /// A configuration with the command-line options of `outreach sandbox`.
    public init(
        host: String = "127.0.0.1",
        port: Int = 9090,
        latency: Duration = .milliseconds(50),
        failRate: Double = 0,
        rateLimitPerSecond: Int? = nil,
        webhooksURL: String? = nil
    ) {
        self.host = host
        self.port = port
        self.latency = latency
        self.failRate = failRate
        self.rateLimitPerSecond = rateLimitPerSecond
        self.webhooksURL = webhooksURL
    }
}
