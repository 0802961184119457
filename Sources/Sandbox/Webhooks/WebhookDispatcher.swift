#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPClient
import OutreachCrypto
import Logging
import ServiceLifecycle

/// Posts signed delivery events for accepted messages to `outreach serve` (`--webhooks URL`).
///
/// ``schedule(_:)`` never blocks the provider routes: it appends to a bounded buffer. ``run()``
/// (a service of the sandbox application, so it stops with it) takes messages in order, waits
/// until each is `delay` old, and posts its events one after another with up to `concurrency`
/// messages in flight. A failed post (connection error or 5xx) is retried twice.
final class WebhookDispatcher: Service, Sendable {
    let baseURL: String
    let options: SandboxWebhookOptions
    let payloads: CallbackPayloads
    let dice: CallbackDice
    let client: HTTPClient
    let logger = Logger(label: "outreach.sandbox.webhooks")
    private let stream: AsyncStream<Scheduled>
    private let continuation: AsyncStream<Scheduled>.Continuation

    struct Scheduled: Sendable {
        var message: SandboxMessage
        var due: ContinuousClock.Instant
    }

    /// - Parameter url: the base URL of `outreach serve` (`http://127.0.0.1:8080`); events go to
    ///   `<url>/webhooks/resend|whatsapp|telegram`. A URL already ending in `/webhooks` works too.
    init(url: String, options: SandboxWebhookOptions, seed: UInt64?) {
        var base = Substring(url)
        while base.hasSuffix("/") { base = base.dropLast() }
        if base.hasSuffix("/webhooks") { base = base.dropLast("/webhooks".count) }
        self.baseURL = String(base)
        self.options = options
        self.payloads = CallbackPayloads(options: options)
        self.dice = CallbackDice(seed: seed)
        self.client = HTTPClient()
        (stream, continuation) = AsyncStream.makeStream(of: Scheduled.self, bufferingPolicy: .bufferingNewest(max(options.backlog, 1)))
    }

    /// Queues the message's callbacks; returns at once.
    func schedule(_ message: SandboxMessage) {
        continuation.yield(Scheduled(message: message, due: .now + options.delay))
    }

    func run() async throws {
        for (name, secret) in [("RESEND_WEBHOOK_SECRET", options.resendSecret), ("WHATSAPP_APP_SECRET", options.whatsappAppSecret),
                               ("TELEGRAM_WEBHOOK_SECRET", options.telegramSecret)] where secret == nil {
            logger.warning("\(name) is not set: no callbacks for that provider")
        }
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                var inFlight = 0
                for await item in stream {
                    if inFlight >= max(options.concurrency, 1) {
                        await group.next()
                        inFlight -= 1
                    }
                    group.addTask { await self.deliver(item) }
                    inFlight += 1
                }
            }
        } onGracefulShutdown: {
            self.continuation.finish()
        }
        client.shutdown()
    }

    private func deliver(_ item: Scheduled) async {
        try? await Task.sleep(until: item.due, clock: .continuous)
        let events = CallbackPlan.events(for: item.message, options: options, rolls: await dice.roll())
        for event in events {
            let (eventID, updateID) = await dice.ids()
            guard let request = payloads.request(for: event, message: item.message, eventID: eventID, updateID: updateID, now: Date())
            else { continue }
            await post(request)
        }
    }

    private func post(_ callback: CallbackRequest) async {
        let request = HTTPRequest(
            method: "POST", url: "\(baseURL)/webhooks/\(callback.path)", headers: callback.headers, body: Array(callback.body.utf8),
            timeout: .seconds(10))
        for attempt in 1...3 {
            do {
                let response = try await client.execute(request)
                if response.status < 500 {
                    if !response.isSuccess {
                        logger.warning("callback refused", metadata: ["provider": "\(callback.path)", "status": "\(response.status)"])
                    }
                    return
                }
            } catch {
                logger.debug("callback failed", metadata: ["provider": "\(callback.path)", "error": "\(error)"])
            }
            if attempt < 3 { try? await Task.sleep(for: .milliseconds(500 * attempt * attempt)) }
        }
        logger.warning("callback given up after 3 attempts", metadata: ["provider": "\(callback.path)"])
    }
}

/// The dispatcher's randomness and id counters (seeded: a seed gives the same outcomes).
actor CallbackDice {
    private var generator: SplitMix64
    private var nextUpdate: Int
    private let runID: String

    init(seed: UInt64?) {
        var system = SystemRandomNumberGenerator()
        generator = SplitMix64(seed: seed ?? system.next())
        // Telegram update ids and event ids must not repeat across sandbox runs: the server
        // remembers the ones it processed.
        nextUpdate = Int(Date().timeIntervalSince1970) * 1000
        runID = RandomToken.alphanumeric(count: 10)
    }

    func roll() -> CallbackPlan.Rolls {
        CallbackPlan.Rolls(bounce: Double.random(in: 0..<1, using: &generator), open: Double.random(in: 0..<1, using: &generator),
                           reply: Double.random(in: 0..<1, using: &generator))
    }

    /// A fresh event id and Telegram update id.
    func ids() -> (String, Int) {
        nextUpdate += 1
        return ("\(runID)\(nextUpdate)", nextUpdate)
    }
}
