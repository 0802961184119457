import Foundation
import HTTPClient
import Hummingbird
import Sandbox

/// The sandbox served on a real loopback port inside the test process.
final class LiveSandbox: Sendable {
    let url: String
    let task: Task<Void, any Error>
    let http = HTTPClient()

    static func start(_ configure: @Sendable (inout SandboxConfiguration) -> Void = { _ in }) async throws -> LiveSandbox {
        var configuration = SandboxConfiguration()
        configuration.latency = .zero
        configuration.port = 0
        configure(&configuration)
        let (stream, continuation) = AsyncStream<Int>.makeStream()
        let app = Sandbox(configuration: configuration).makeApplication { port in continuation.yield(port) }
        let task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var port = 0
        for await p in stream { port = p; break }
        return LiveSandbox(url: "http://127.0.0.1:\(port)", task: task)
    }

    private init(url: String, task: Task<Void, any Error>) {
        self.url = url
        self.task = task
    }

    func messages() async throws -> [[String: Any]] {
        let r = try await http.execute(HTTPClient::HTTPRequest(url: url + "/_sandbox/messages"))
        return (try JSONSerialization.jsonObject(with: Data(r.body)) as? [[String: Any]]) ?? []
    }

    func stop() {
        task.cancel()
        http.shutdown()
    }
}
