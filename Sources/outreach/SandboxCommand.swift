import ArgumentParser
import Foundation
import Logging
import OutreachEngine
import Sandbox

/// `outreach sandbox`: the local stand-in for the Resend, WhatsApp and Telegram APIs.
struct SandboxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox", abstract: "Run the provider sandbox (development, demo, tests, benchmarks).")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 9090
    @Option(name: .customLong("latency-ms"), help: "Latency added to every provider call.") var latencyMs = 50
    @Option(name: .customLong("fail-rate"), help: "Fraction of provider calls that fault (5xx, timeout, dropped connection).")
    var failRate = 0.0
    @Option(name: .customLong("rate-limit"), help: "Requests per second per provider account before 429s.") var rateLimit: Int?
    @Option(help: "URL of `outreach serve` to call back with signed delivery events.") var webhooks: String?
    @Option(name: .customLong("webhook-delay-ms"), help: "Wait before a message's first callback.") var webhookDelayMs = 300
    @Option(name: .customLong("open-rate"), help: "Share of delivered messages reported opened/read.") var openRate = 0.6
    @Option(name: .customLong("reply-rate"), help: "Share of delivered messages that get a reply.") var replyRate = 0.1
    @Option(name: .customLong("bounce-rate"), help: "Share of messages that bounce (plus emails to bounce…@).") var bounceRate = 0.05

    func validate() throws {
        guard (0...1).contains(failRate) else { throw ValidationError("--fail-rate must be between 0 and 1") }
        guard latencyMs >= 0 else { throw ValidationError("--latency-ms must not be negative") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1…65535") }
        for (name, rate) in [("--open-rate", openRate), ("--reply-rate", replyRate), ("--bounce-rate", bounceRate)]
        where !(0...1).contains(rate) {
            throw ValidationError("\(name) must be between 0 and 1")
        }
        guard webhookDelayMs >= 0 else { throw ValidationError("--webhook-delay-ms must not be negative") }
    }

    func run() async throws {
        JSONLogHandler.bootstrap(process: "sandbox")
        var config = SandboxConfiguration()
        config.host = host
        config.port = port
        config.latency = .milliseconds(Int64(latencyMs))
        config.failRate = failRate
        config.rateLimitPerSecond = rateLimit
        config.webhooksURL = webhooks
        config.webhookOptions.delay = .milliseconds(Int64(webhookDelayMs))
        config.webhookOptions.openRate = openRate
        config.webhookOptions.replyRate = replyRate
        config.webhookOptions.bounceRate = bounceRate
        try await Sandbox(configuration: config).runService()
    }
}
