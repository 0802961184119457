import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1

/// The sandbox's connections as Hummingbird's server accepts them: NIO's HTTP/1 codec and a
/// ``SandboxHTTPHandler``, instead of Hummingbird's async request loop.
///
/// Hummingbird keeps the listener, the service lifecycle, graceful shutdown (the handler
/// closes a connection once it is idle) and the live test client.
struct SandboxHTTPChannel: ServerChildChannel {
    struct Connection: ServerChildChannelValue {
        let channel: any Channel
    }

    let router: SandboxRouter
    /// Where provider answers wait out the latency; `nil` without latency.
    let delays: DelayLines?
    /// The request decoder's handler type, whose generic metadata is instantiated here, on the
    /// thread that builds the server, rather than by the first connections' `setup`.
    ///
    /// Instantiating it there, on event loop threads as the first connections arrived, crashed
    /// the Swift 6.3.1 runtime once (SIGSEGV under `_gatherGenericParameters`, a test run in CI
    /// on 2026-11-28; the same innermost frame as swiftlang/swift#58414). Its arguments are themselves
    /// generic (`HTTPDecoder<HTTPPart<…>, HTTPPart<…>>`). Once instantiated, every later
    /// lookup is a read of the runtime's cache.
    private let decoderHandler = ObjectIdentifier(ByteToMessageHandler<HTTPRequestDecoder>.self)

    init(router: SandboxRouter) {
        self.router = router
        let latency = router.services.configuration.latency
        delays = latency > .zero ? DelayLines(delay: TimeAmount(latency)) : nil
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Connection> {
        channel.eventLoop.makeCompletedFuture {
            let pipeline = channel.pipeline.syncOperations
            // Only NIO's request decoder: no pipelining assistance (the handler queues requests
            // itself), no protocol error handler (the handler answers a malformed request
            // itself) and no response encoder (the handler writes each answer as bytes).
            try pipeline.addHandler(ByteToMessageHandler(HTTPRequestDecoder(leftOverBytesStrategy: .dropBytes)))
            try pipeline.addHandler(SandboxHTTPHandler(router: router, delay: delays?.line(for: channel.eventLoop)))
            return Connection(channel: channel)
        }
    }

    /// Waits for the connection to end, so that the server's shutdown waits for it too.
    func handle(value: Connection, logger: Logger) async {
        try? await value.channel.closeFuture.get()
    }
}
