// This file alone imports Hummingbird: Hummingbird re-exports HTTPTypes' `HTTPRequest` and
// `HTTPResponse`, which would make the client's types of the same names ambiguous in the test
// files. Swift resolves type names per file, so the server lives here behind plain types.
import Hummingbird

/// A Hummingbird 2 server on 127.0.0.1 with an ephemeral port, started once per test process
/// and shared by all tests (each route is stateless, so tests can run in parallel).
///
/// Routes:
/// - `/echo` (any method): status 200; body = request body; `X-Method`, `X-Query`,
///   `X-Remote-Port` (the client's source port, to count connections) and `X-Echo-<name>` for
///   every request header.
/// - `GET /status/<code>`: an empty response with that status.
/// - `GET /sleep?ms=N`: answers after N milliseconds.
/// - `GET /bytes?n=N`: N bytes with a Content-Length.
/// - `GET /stream?n=N`: N bytes in 1 KiB chunks, without a Content-Length (chunked).
enum TestServer {
    private static let port = Task<Int, any Error> { try await start() }

    /// `http://127.0.0.1:<port>`, starting the server on first use.
    static func baseURL() async throws -> String {
        "http://127.0.0.1:\(try await port.value)"
    }

    private static func start() async throws -> Int {
        let router = Router(context: TestContext.self)
        for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
            router.on("/echo", method: method, use: echo)
        }
        router.head("/echo") { _, context in
            Response(status: .ok, headers: [.init("X-Remote-Port")!: "\(context.remotePort)"])
        }
        router.get("/status/:code") { _, context in
            let code = try context.parameters.require("code", as: Int.self)
            return Response(status: .init(code: code))
        }
        router.get("/sleep") { request, _ in
            let milliseconds = request.uri.queryParameters.get("ms", as: Int.self) ?? 1000
            try await Task.sleep(for: .milliseconds(milliseconds))
            return "slept \(milliseconds) ms"
        }
        router.get("/bytes") { request, _ in
            let count = request.uri.queryParameters.get("n", as: Int.self) ?? 0
            return Response(
                status: .ok,
                body: .init(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "x"), count: count)))
        }
        router.get("/stream") { request, _ in
            let count = request.uri.queryParameters.get("n", as: Int.self) ?? 0
            return Response(status: .ok, body: .init { writer in
                var left = count
                while left > 0 {
                    let chunk = min(left, 1024)
                    try await writer.write(ByteBuffer(repeating: UInt8(ascii: "y"), count: chunk))
                    left -= chunk
                }
                try await writer.finish(nil)
            })
        }

        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0), serverName: "test"),
            onServerRunning: { channel in
                continuation.yield(channel.localAddress?.port ?? 0)
                continuation.finish()
            })
        // Runs until the test process exits; no signal handlers, the test runner owns those.
        Task { try await app.runService(gracefulShutdownSignals: []) }
        for await port in stream where port > 0 {
            return port
        }
        throw TestServerError()
    }

    @Sendable private static func echo(_ request: Request, context: TestContext) async throws -> Response {
        var request = request
        let body = try await request.collectBody(upTo: 1 << 20)
        var headers: HTTPFields = [
            .init("X-Method")!: request.method.rawValue,
            .init("X-Query")!: request.uri.query ?? "",
            .init("X-Remote-Port")!: "\(context.remotePort)",
        ]
        for field in request.headers {
            headers.append(.init(name: .init("X-Echo-\(field.name.canonicalName)")!, value: field.value))
        }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: body))
    }
}

struct TestServerError: Error {}

/// Request context that records the client's source port: each TCP connection has its own,
/// so the number of distinct ports is the number of connections the client used.
struct TestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remotePort: Int

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remotePort = source.channel.remoteAddress?.port ?? -1
    }
}
