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

    func validate() throws {
        guard (0...1).contains(failRate) else { throw ValidationError("--fail-rate must be between 0 and 1") }
        guard latencyMs >= 0 else { throw ValidationError("--latency-ms must not be negative") }
        guard (1...65535).contains(port) else { throw ValidationError("--port must be 1…65535") }
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
        // runService() owns SIGTERM/SIGINT: the sandbox stops gracefully.
        try await Sandbox(configuration: config).makeApplication().runService()
    }
}
