import Foundation
import HTTPClient
import Synchronization
import Testing
#if canImport(Glibc)
import Glibc
#endif

/// Keep-alive connections that end while idle: the driver leaves an idle connection's socket in
/// its `epoll` set between requests, so these check that a server's close is noticed and that
/// a socket number libcurl reuses for a new connection is watched again.
@Suite struct IdleConnectionTests {
    /// The server closes each connection 100 ms after answering, while the client holds it idle:
    /// the next request goes out on a new connection and is answered.
    @Test func aConnectionTheServerClosesWhileIdleIsReplaced() async throws {
        let server = try OneShotServer(closeAfterMilliseconds: 100)
        defer { server.stop() }
        let client = HTTPClient()
        defer { client.shutdown() }
        for round in 1...3 {
            let response = try await client.execute(HTTPRequest(method: "GET", url: server.url, timeout: .seconds(5)))
            #expect(response.status == 200 && response.body == Array("ok".utf8), "round \(round)")
            try await Task.sleep(for: .milliseconds(300))
        }
        #expect(client.stats.connectionsOpened == 3)
        #expect(server.connections == 3)
    }

    /// `Connection: close` exchanges with the shared test server, one after the other: each new
    /// connection may get the descriptor number of the one just closed, and must still be watched.
    @Test func aNewConnectionUnderAClosedOnesNumberIsWatched() async throws {
        let url = try await TestServer.baseURL() + "/echo"
        let client = HTTPClient()
        defer { client.shutdown() }
        for round in 1...20 {
            let response = try await client.execute(HTTPRequest(method: "GET", url: url, headers: [("Connection", "close")],
                                                                timeout: .seconds(5)))
            #expect(response.status == 200, "round \(round)")
        }
        #expect(client.stats.connectionsOpened == 20)
    }
}

/// A plain TCP server on a thread: answers one request per connection with `ok`, then closes
/// the connection after `closeAfterMilliseconds`.
private final class OneShotServer: Sendable {
    let url: String
    private let listener: Int32
    private let accepted = Mutex(0)

    var connections: Int { accepted.withLock { $0 } }

    init(closeAfterMilliseconds: UInt32) throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EIO) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0, listen(fd, 16) == 0 else {
            close(fd)
            throw POSIXError(.EADDRINUSE)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        listener = fd
        url = "http://127.0.0.1:\(UInt16(bigEndian: address.sin_port))/"
        let answer = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"
        Thread.detachNewThread { [self] in
            while true {
                let connection = accept(fd, nil, nil)
                guard connection >= 0 else { return }  // the listener was closed: stop
                accepted.withLock { $0 += 1 }
                var buffer = [UInt8](repeating: 0, count: 4096)
                var request: [UInt8] = []
                while !request.suffix(4).elementsEqual("\r\n\r\n".utf8) {
                    let n = read(connection, &buffer, buffer.count)
                    guard n > 0 else { break }
                    request += buffer[..<n]
                }
                _ = answer.withCString { write(connection, $0, strlen($0)) }
                usleep(closeAfterMilliseconds * 1000)
                close(connection)
            }
        }
    }

    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }
}
