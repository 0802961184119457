import Hummingbird
import NIOCore

/// Request context of the sandbox's routes. It keeps the connection so that a fault can
/// close it without a response, which no `Response` value can express.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
    }

    /// Resend allows 40 MB of attachments after base64; anything larger is not a real request.
    var maxUploadSize: Int { 48 * 1024 * 1024 }
}

/// What a provider route decided about a call before the simulated network delay.
enum ProviderVerdict: Sendable {
    /// A provider error other than a rate limit (4xx in the provider's shape).
    case rejected(Response)
    /// The provider's 429 (or WhatsApp's 400 with code 130429).
    case rateLimited(Response)
    /// A Resend idempotent replay: the first answer again, nothing recorded.
    case replayed(Response)
    /// A successful call that sends nothing (Telegram `getMe`): answered, not counted.
    case answered(Response)
    /// Accepted: `commit` records the message and builds the answer; `abandon` undoes any
    /// reservation (an idempotency key) when a fault strikes instead.
    case accepted(commit: @Sendable () async -> Response, abandon: @Sendable () async -> Void)
}

/// The state every provider route shares, and the simulated network they all go through.
struct SandboxServices: Sendable {
    let configuration: SandboxConfiguration
    let store: MessageStore
    /// `nil` when there is no rate limit, so that the fast path makes no actor call.
    let rateLimiter: SandboxRateLimiter?
    /// `nil` when the fail rate is 0, for the same reason.
    let faults: FaultInjector?
    /// Posts signed delivery events to `outreach serve`; `nil` without `--webhooks`.
    let webhooks: WebhookDispatcher?
    /// The fixed latency every call waits; `nil` when there is none.
    let delayLine: DelayLine?

    init(configuration: SandboxConfiguration) {
        self.configuration = configuration
        let webhooks = configuration.webhooksURL.map {
            WebhookDispatcher(url: $0, options: configuration.webhookOptions, seed: configuration.randomSeed)
        }
        self.webhooks = webhooks
        self.delayLine = configuration.latency > .zero ? DelayLine(delay: configuration.latency) : nil
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
    func rateLimit(_ channel: ProviderChannel, account: String) async -> RateLimitDecision? {
        guard let rateLimiter else { return nil }
        return await rateLimiter.acquire(channel.rawValue + "\u{0}" + account)
    }

    /// Applies latency and faults to a decided call and produces its answer.
    ///
    /// The verdict is taken before the delay so that an idempotency key is "in flight" for the
    /// whole simulated round trip, as it is at Resend.
    /// - Parameter serverError: the provider's 5xx answer, used for `.serverError` faults.
    func finish(
        _ channel: ProviderChannel, _ verdict: ProviderVerdict,
        serverError: @autoclosure () -> Response, context: SandboxRequestContext
    ) async throws -> Response {
        if let delayLine {
            await delayLine.wait()
        }
        if let faults, let kind = await faults.next() {
            if case .accepted(_, let abandon) = verdict { await abandon() }
            await store.count(.fault, channel: channel)
            switch kind {
            case .serverError:
                return serverError()
            case .timeout:
                try? await Task.sleep(for: configuration.timeoutFaultDuration)
                try await drop(context)
            case .droppedConnection:
                try await drop(context)
            }
        }
        switch verdict {
        case .rejected(let response):
            await store.count(.rejected, channel: channel)
            return response
        case .rateLimited(let response):
            await store.count(.rateLimited, channel: channel)
            return response
        case .replayed(let response):
            await store.count(.replayed, channel: channel)
            return response
        case .answered(let response):
            return response
        case .accepted(let commit, _):
            return await commit()
        }
    }

    /// Closes the connection, then throws so that no response is written: the client sees
    /// the connection end with no answer.
    private func drop(_ context: SandboxRequestContext) async throws -> Never {
        try? await context.channel.close()
        throw SandboxFault.droppedConnection
    }
}
