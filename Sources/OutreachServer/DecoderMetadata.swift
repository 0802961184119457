import NIOCore
import NIOHTTP1
import Synchronization

/// Builds the generic metadata of the HTTP/1 request decoder's handler on the calling thread,
/// before a server accepts connections.
///
/// NIO's `configureHTTPServerPipeline` creates a `ByteToMessageHandler<HTTPRequestDecoder>` on
/// the event loop of each new connection. When the first connections arrive together (webhook
/// bursts), several threads build that metadata at once, and the Swift 6.3.1 runtime can crash
/// doing so: found in the sandbox, whose `SandboxHTTPChannel` explains it. Once built, every
/// later lookup reads the runtime's cache.
enum DecoderMetadata {
    /// Where the handler type's identity is stored: a store the optimizer must keep, where it
    /// could drop an unused `_ = T.self`.
    private static let handler = Atomic<Int>(0)

    static func prepare() {
        handler.store(Int(bitPattern: ObjectIdentifier(ByteToMessageHandler<HTTPRequestDecoder>.self)), ordering: .relaxed)
    }
}
