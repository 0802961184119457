/// What a provider route decided about a call before the simulated network delay.
enum ProviderVerdict: Sendable {
    /// A provider error other than a rate limit (4xx in the provider's shape).
    case rejected(SandboxResponse)
    /// The provider's 429 (or WhatsApp's 400 with code 130429).
    case rateLimited(SandboxResponse)
    /// A Resend idempotent replay: the first answer again, nothing recorded.
    case replayed(SandboxResponse)
    /// A successful call that sends nothing (Telegram `getMe`): answered, not counted.
    case answered(SandboxResponse)
    /// Accepted: `commit` records the message and builds the answer; `abandon` undoes any
    /// reservation (an idempotency key) when a fault strikes instead.
    case accepted(commit: @Sendable () -> SandboxResponse, abandon: @Sendable () -> Void)
}

/// A provider call that a route decided and that now goes through the simulated network.
struct ProviderCall: Sendable {
    let channel: ProviderChannel
    let verdict: ProviderVerdict
}

/// How the sandbox answers one request.
enum SandboxReply: Sendable {
    /// At once, with no latency or faults (control endpoints, unknown paths).
    case respond(SandboxResponse)
    /// After the configured latency, with `SandboxServices.complete(_:)`.
    case provider(ProviderCall)
}

/// How a provider call ends once its latency is over.
enum CallEnding: Sendable {
    case respond(SandboxResponse)
    /// A fault: the connection closes without an answer after `after` (zero for a dropped
    /// connection, the timeout fault's duration for a hung one).
    case close(after: Duration)
}

/// The state every provider route shares, and the simulated network they all go through.
///
/// Everything here is synchronous: a request is decided, delayed by a timer of its event loop
/// and completed without a task or a thread hop (see `SandboxHTTPHandler`).
struct SandboxServices: Sendable {
    let configuration: SandboxConfiguration
    let store: MessageStore
    /// `nil` when there is no rate limit, so that the fast path takes no lock.
    let rateLimiter: SandboxRateLimiter?
    /// `nil` when the fail rate is 0, for the same reason.
    let faults: FaultInjector?
    /// Posts signed delivery events to `outreach serve`; `nil` without `--webhooks`.
    let webhooks: WebhookDispatcher?

    init(configuration: SandboxConfiguration) {
        self.configuration = configuration
        let webhooks = configuration.webhooksURL.map {
            WebhookDispatcher(url: $0, options: configuration.webhookOptions, seed: configuration.randomSeed)
        }
        self.webhooks = webhooks
        var onAccept: (@Sendable (SandboxMessage) -> Void)? = nil
        if let webhooks {
            onAccept = { message in webhooks.schedule(message) }
        }
        self.store = MessageStore(capacity: configuration.messageCapacity, onAccept: onAccept)
        self.rateLimiter = configuration.rateLimitPerSecond.map { SandboxRateLimiter(limitPerSecond: $0) }
        self.faults = configuration.failRate > 0
            ? FaultInjector(failRate: configuration.failRate, kinds: configuration.faultKinds, seed: configuration.randomSeed)
            : nil
    }

    /// Counts a call against its account's limit; `nil` when there is no limit.
    func rateLimit(_ channel: ProviderChannel, account: String) -> RateLimitDecision? {
        guard let rateLimiter else { return nil }
        return rateLimiter.acquire(channel.rawValue + "\u{0}" + account)
    }

    /// Applies faults to a decided call whose latency is over, and produces its answer.
    ///
    /// The verdict is taken before the delay so that an idempotency key is "in flight" for the
    /// whole simulated round trip, as it is at Resend.
    func complete(_ call: ProviderCall) -> CallEnding {
        if let faults, let kind = faults.next() {
            if case .accepted(_, let abandon) = call.verdict { abandon() }
            store.count(.fault, channel: call.channel)
            switch kind {
            case .serverError: return .respond(Self.serverError(call.channel))
            case .timeout: return .close(after: configuration.timeoutFaultDuration)
            case .droppedConnection: return .close(after: .zero)
            }
        }
        switch call.verdict {
        case .rejected(let response):
            store.count(.rejected, channel: call.channel)
            return .respond(response)
        case .rateLimited(let response):
            store.count(.rateLimited, channel: call.channel)
            return .respond(response)
        case .replayed(let response):
            store.count(.replayed, channel: call.channel)
            return .respond(response)
        case .answered(let response):
            return .respond(response)
        case .accepted(let commit, _):
            return .respond(commit())
        }
    }

    /// The provider's own 5xx answer, for `.serverError` faults.
    private static func serverError(_ channel: ProviderChannel) -> SandboxResponse {
        switch channel {
        case .email: ResendError.internalServerError.response()
        case .whatsapp: GraphError.serviceUnavailable.response()
        case .telegram: TelegramError.internalServerError.response()
        }
    }
}
