import HTTPTypes
import NIOCore
import NIOHTTP1

/// Serves one HTTP/1.1 connection: reads a request, routes it, holds a provider call for the
/// configured latency in its event loop's ``DelayLine`` and writes the answer, all on the
/// connection's event loop.
///
/// A plain channel handler rather than Hummingbird's async request loop: at benchmark rates
/// the async path (a task per connection, async sequence reads, response writers, generic
/// metadata lookups) cost about as much CPU per call as the PostgreSQL work behind a send.
/// It also does its own pipelining instead of NIO's `HTTPServerPipelineHandler`, which stops
/// reading while a request is answered: two `epoll_ctl` calls per request, for clients that
/// never pipeline. Requests that do arrive early wait in `queued` and are answered in order.
/// Answers are written as bytes, each in one buffer: NIO's response encoder took three writes
/// (head, body, end) through the pipeline for each.
final class SandboxHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = ByteBuffer

    /// Resend allows 40 MB of attachments after base64; anything larger is not a real request.
    static let maxBodySize = 48 * 1024 * 1024

    /// A request read in full, or `nil` for one refused for its size (answered 413).
    private typealias Item = (request: SandboxRequest?, keepAlive: Bool)

    private let router: SandboxRouter
    /// The connection's event loop's ``DelayLine``; `nil` without latency.
    private let delay: DelayLine?
    private var head: HTTPRequestHead?
    private var body: ByteBuffer?
    /// Set when the body outgrew `maxBodySize`: the rest of the request is ignored.
    private var refused = false
    /// Whether a request is being answered; the next waits in `queued` until it is.
    private var answering = false
    private var queued = CircularBuffer<Item>()
    /// The client finished sending, or the server is shutting down: close once idle.
    private var closeWhenIdle = false

    init(router: SandboxRouter, delay: DelayLine?) {
        self.router = router
        self.delay = delay
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = nil
            refused = false
        case .body(var chunk):
            guard !refused, head != nil else { return }
            if body == nil {
                body = chunk
            } else {
                body!.writeBuffer(&chunk)
            }
            if body!.readableBytes > Self.maxBodySize {
                refused = true
                body = nil
                head = nil
                start((nil, keepAlive: false), context: context)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let bytes = body.map { Array($0.readableBytesView) } ?? []
            body = nil
            start((SandboxRequest(head: head, body: bytes), head.isKeepAlive), context: context)
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        switch event {
        case is ChannelShouldQuiesceEvent, ChannelEvent.inputClosed:
            closeWhenIdle = true
            if !answering { context.close(promise: nil) }
        default:
            context.fireUserInboundEventTriggered(event)
        }
    }

    /// A request NIO cannot parse gets `400` and the connection closes, as NIO's
    /// `HTTPServerProtocolErrorHandler` would answer; that handler is left out because it
    /// inspects every write, and this one writes each answer whole, so it always knows whether
    /// one is pending. With an answer pending the connection just closes.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if error is HTTPParserError, !answering {
            answering = true
            let answer = Self.encode(status: 400, reason: "Bad Request", headers: [:], body: "", keepAlive: false,
                                     allocator: context.channel.allocator)
            context.writeAndFlush(wrapOutboundOut(answer)).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
            return
        }
        context.close(promise: nil)
    }

    /// Answers `item` now, or after the requests read before it.
    private func start(_ item: Item, context: ChannelHandlerContext) {
        guard !answering else {
            queued.append(item)
            return
        }
        answering = true
        guard let request = item.request else {
            respond(.json(.contentTooLarge, ["error": "request body too large"]), keepAlive: false, context: context)
            return
        }
        switch router.route(request) {
        case .respond(let response):
            respond(response, keepAlive: item.keepAlive, context: context)
        case .provider(let call):
            guard let delay else {
                complete(call, keepAlive: item.keepAlive, context: context)
                return
            }
            delay.hold { self.complete(call, keepAlive: item.keepAlive, context: context) }
        }
    }

    private func complete(_ call: ProviderCall, keepAlive: Bool, context: ChannelHandlerContext) {
        switch router.services.complete(call) {
        case .respond(let response):
            respond(response, keepAlive: keepAlive, context: context)
        case .close(let after) where after > .zero:
            context.eventLoop.assumeIsolated().scheduleTask(in: TimeAmount(after)) {
                context.close(promise: nil)
            }
        case .close:
            context.close(promise: nil)
        }
    }

    private func respond(_ response: SandboxResponse, keepAlive: Bool, context: ChannelHandlerContext) {
        let answer = Self.encode(status: Int(response.status.code), reason: response.status.reasonPhrase,
                                 headers: response.headers, body: response.body,
                                 keepAlive: keepAlive, allocator: context.channel.allocator)
        let written = context.writeAndFlush(wrapOutboundOut(answer))
        answering = false
        if !keepAlive {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        } else if let next = queued.popFirst() {
            start(next, context: context)
        } else if closeWhenIdle {
            written.assumeIsolated().whenComplete { _ in context.close(promise: nil) }
        }
    }

    /// An HTTP/1.1 response, head and body in one buffer. Names and values come from the
    /// sandbox's own fixed headers; `content-length` is always given, so no chunking.
    static func encode(status: Int, reason: String, headers: HTTPFields, body: String, keepAlive: Bool,
                       allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 512 + body.utf8.count)
        buffer.writeString("HTTP/1.1 \(status) \(reason)\r\n")
        for field in headers {
            buffer.writeString(field.name.rawName)
            buffer.writeStaticString(": ")
            buffer.writeString(field.value)
            buffer.writeStaticString("\r\n")
        }
        buffer.writeString("content-length: \(body.utf8.count)\r\n")
        if !keepAlive { buffer.writeStaticString("connection: close\r\n") }
        buffer.writeStaticString("\r\n")
        buffer.writeString(body)
        return buffer
    }
}
