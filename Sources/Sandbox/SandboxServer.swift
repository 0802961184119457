import Hummingbird
import HummingbirdCore
import NIOCore
import NIOPosix

/// `outreach sandbox`: a local stand-in for the Resend, WhatsApp Cloud and Telegram Bot APIs.
///
/// It answers the providers' real request, response and error shapes, records what it
/// accepts (`GET /_sandbox/messages`), and adds latency, faults and rate limits as
/// configured. Point `RESEND_BASE_URL`, `WHATSAPP_BASE_URL` and `TELEGRAM_BASE_URL` at it.
///
/// ```swift
/// let sandbox = Sandbox(configuration: .init(port: 9090, latency: .milliseconds(50)))
/// try await sandbox.run()
/// ```
public struct Sandbox: Sendable {
    /// How this sandbox behaves.
    public let configuration: SandboxConfiguration

    /// A sandbox with `configuration`; nothing runs until `run()`.
    public init(configuration: SandboxConfiguration = .init()) {
        self.configuration = configuration
    }

    /// Serves until the surrounding task is cancelled. It installs no signal handlers: the
    /// caller owns SIGTERM/SIGINT (for example by running `makeApplication()` inside its own
    /// `ServiceGroup`, or with `runService()`).
    public func run() async throws {
        try await makeApplication().run()
    }

    /// Serves as `outreach sandbox` does, until SIGTERM or SIGINT (it installs the handlers).
    ///
    /// One event loop runs the sockets, every request (see `SandboxHTTPHandler`) and the
    /// tasks around them (see ``EventLoopTaskExecutor``), so nothing hops between threads.
    public func runService() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            try await withTaskExecutorPreference(EventLoopTaskExecutor(group.next())) {
                try await makeApplication(eventLoopGroup: group).runService()
            }
        } catch {
            try? await group.shutdownGracefully()
            throw error
        }
        try await group.shutdownGracefully()
    }

    /// The Hummingbird application, for tests (`app.test(.live)`) and for callers that run it
    /// in their own service group. Each call has its own fresh state.
    ///
    /// Requests are served by the sandbox's own channel handlers (`SandboxHTTPChannel`), not
    /// by a Hummingbird router: its router is empty, so `app.test(.router)` answers 404.
    ///
    /// - Parameter onServerRunning: called once listening, with the bound port (useful with
    ///   port 0).
    ///   - eventLoopGroup: the group that owns the sockets (default: NIO's shared one).
    public func makeApplication(
        eventLoopGroup: (any EventLoopGroup)? = nil,
        onServerRunning: @escaping @Sendable (_ port: Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let services = SandboxServices(configuration: configuration)
        let router = SandboxRouter(services: services)
        return Application(
            router: Router(),
            server: HTTPServerBuilder { _ in SandboxHTTPChannel(router: router) },
            // A worker opens a connection for each send in flight, hundreds at once when a
            // batch starts. With Hummingbird's default backlog of 256 the accept queue overflowed
            // (188 drops in one `bench e2e`), and each dropped connection waited a whole second
            // for the client's SYN to be sent again. The kernel caps it at `somaxconn`.
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "outreach-sandbox",
                                 backlog: 4096),
            services: services.webhooks.map { [$0] } ?? [],
            onServerRunning: { channel in
                await onServerRunning(channel.localAddress?.port ?? 0)
            },
            eventLoopGroupProvider: eventLoopGroup.map { .shared($0) } ?? .singleton
        )
    }
}
