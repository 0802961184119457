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
    /// The Swift 6.3.1 runtime can crash when several threads build this metadata for the first
    /// time at once: its argument is itself generic (`HTTPDecoder<HTTPPart<…>, HTTPPart<…>>`),
    /// and one thread checks the argument's conformance while another is still building it
    /// (SIGSEGV in `isCanonicalStaticallySpecializedGenericMetadata`, under
    /// `_gatherGenericParameters`). It happened once in CI, on event loop threads as the first
    /// connections arrived together. Sixteen threads creating the handler at once crashed 8 of
    /// 3 000 fresh processes; with the type instantiated first on one thread, none of 3 000.
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
