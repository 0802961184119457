import Foundation
import Hummingbird
import HummingbirdTesting
import Sandbox
import Testing

@Suite("/_sandbox control endpoints")
struct ControlRoutesTests {
    @Test func messagesRoundTrip() async throws {
        try await makeSandbox().test(.live) { client in
            _ = try await client.post("/emails", json: emailBody, bearer: "re_test", idempotencyKey: "step/1")
            _ = try await client.post("/v21.0/1234567890/messages", json: whatsAppText, bearer: "EAAtest")
            _ = try await client.post("/bot123:ABC/sendMessage", json: #"{"chat_id":987654,"text":"<b>Ciao</b>","parse_mode":"HTML"}"#)

            let all = try await client.sandboxMessages()
            #expect(all.map { $0["channel"] } == ["email", "whatsapp", "telegram"])
            for message in all {
                for field in ["id", "channel", "to", "idempotency_key", "received_at", "account", "from", "headers", "tags",
                              "html", "parse_mode", "text", "subject"] {
                    #expect(message[field] != nil, "missing \(field) in \(message)")
                }
                let receivedAt = try #require(message["received_at"]?.stringValue)
                #expect(receivedAt.hasSuffix("Z") && receivedAt.contains("T"))
            }
            #expect(all[0]["subject"] == "Ciao")
            #expect(all[0]["idempotency_key"] == "step/1")
            #expect(all[0]["from"] == "Acme <hi@acme.test>")
            #expect(all[1]["text"] == "Ciao")
            #expect(all[2]["text"] == "Ciao")

            let emails = try await client.sandboxMessages("?channel=email")
            #expect(emails.count == 1)
            #expect(try await client.execute(uri: "/_sandbox/messages?channel=fax", method: .get).status == .badRequest)

            let stats = try await client.execute(uri: "/_sandbox/stats", method: .get).json
            #expect(stats["email"]?["accepted"] == 1)
            #expect(stats["total"]?["accepted"] == 3)

            let deleted = try await client.execute(uri: "/_sandbox/messages", method: .delete)
            #expect(deleted.status == .ok)
            #expect(deleted.json["deleted"] == 3)
            #expect(try await client.sandboxMessages().isEmpty)

            // DELETE also forgets idempotency keys: the same key is a new message.
            let again = try await client.post("/emails", json: emailBody, bearer: "re_test", idempotencyKey: "step/1")
            #expect(again.json["id"] != all[0]["id"])
            #expect(try await client.sandboxMessages().count == 1)
        }
    }

    @Test func servesOverTCP() async throws {
        try await makeSandbox().test(.live) { client in
            let response = try await client.post("/bot123:ABC/sendMessage", json: #"{"chat_id":7,"text":"hi"}"#)
            #expect(response.status == .ok)
            #expect(try await client.sandboxMessages().count == 1)
        }
    }

    @Test func unknownPathsAndMethodsAreRefused() async throws {
        try await makeSandbox().test(.live) { client in
            let refusals: [(String, HTTPRequest.Method, HTTPResponse.Status)] = [
                ("/nowhere", .get, .notFound), ("/_sandbox/elsewhere", .get, .notFound), ("/emails", .get, .methodNotAllowed),
                ("/_sandbox/stats", .delete, .methodNotAllowed), ("/v21.0/123/messages", .put, .methodNotAllowed),
            ]
            for (uri, method, status) in refusals {
                let response = try await client.execute(uri: uri, method: method)
                #expect(response.status == status, "\(method) \(uri)")
            }
            // The connection stays usable after a refusal.
            let health = try await client.execute(uri: "/_sandbox/health", method: .get)
            #expect(health.json == ["status": "ok"])
        }
    }

    @Test func pathComponentsArePercentDecoded() async throws {
        try await makeSandbox().test(.live) { client in
            // `123%3AABC` is the token `123:ABC`; the bot id in the answer comes from it.
            let response = try await client.post("/bot123%3AABC/getMe", json: "{}")
            #expect(response.status == .ok)
            #expect(response.json["result"]?["id"] == 123)
        }
    }

    /// HTTP/1.1 with `Connection: close`, and HTTP/1.0 without keep-alive: the answer says
    /// so and the sandbox closes the connection after it (the read reaches end of stream).
    @Test(arguments: ["HTTP/1.1\r\nHost: sandbox\r\nConnection: close", "HTTP/1.0"])
    func closesAfterAnAnswerWhenAskedTo(_ version: String) async throws {
        try await makeSandbox().test(.live) { client in
            let port = try #require(client.port)
            let answer = try await Task.detached { try rawExchange(port: port, "GET /_sandbox/health \(version)\r\n\r\n") }.value
            #expect(answer.hasPrefix("HTTP/1.1 200 OK\r\n"))
            #expect(answer.lowercased().contains("\r\nconnection: close\r\n"))
            #expect(answer.hasSuffix(#"{"status":"ok"}"#))
        }
    }
}

extension ControlRoutesTests {
    /// Two requests written at once: a provider call held 200 ms and a control request. The
    /// answers come in request order, the second after the first.
    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        try await makeSandbox { $0.latency = .milliseconds(200) }.test(.live) { client in
            let port = try #require(client.port)
            let telegram = #"{"chat_id":7,"text":"hi"}"#
            let requests = "POST /bot1:A/sendMessage HTTP/1.1\r\nHost: s\r\nContent-Type: application/json\r\n"
                + "Content-Length: \(telegram.utf8.count)\r\n\r\n\(telegram)"
                + "GET /_sandbox/stats HTTP/1.1\r\nHost: s\r\nConnection: close\r\n\r\n"
            let answer = try await Task.detached { try rawExchange(port: port, requests) }.value
            // A body has no line end, so the next status line follows it directly.
            #expect(answer.components(separatedBy: "HTTP/1.1 200 OK\r\n").count == 3)
            let sent = try #require(answer.range(of: #""message_id":1"#))
            let stats = try #require(answer.range(of: #""accepted":1"#))
            #expect(sent.lowerBound < stats.lowerBound)
        }
    }

    /// Two provider calls written at once on one connection: the second is taken up when the
    /// first is answered and then waits the whole latency itself (it joins the delay line from
    /// inside the line's own release).
    @Test func pipelinedProviderCallsEachWaitTheLatency() async throws {
        try await makeSandbox { $0.latency = .milliseconds(300) }.test(.live) { client in
            let port = try #require(client.port)
            func call(_ chat: Int, close: Bool) -> String {
                let body = #"{"chat_id":\#(chat),"text":"hi"}"#
                return "POST /bot1:A/sendMessage HTTP/1.1\r\nHost: s\r\nContent-Type: application/json\r\n"
                    + (close ? "Connection: close\r\n" : "") + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
            }
            let clock = ContinuousClock()
            let start = clock.now
            let answer = try await Task.detached { try rawExchange(port: port, call(1, close: false) + call(2, close: true)) }.value
            #expect(clock.now - start >= .milliseconds(600))
            #expect(answer.components(separatedBy: "HTTP/1.1 200 OK\r\n").count == 3)
            let first = try #require(answer.range(of: #""message_id":1"#))
            let second = try #require(answer.range(of: #""message_id":2"#))
            #expect(first.lowerBound < second.lowerBound)
        }
    }
}

extension ControlRoutesTests {
    /// Bytes that are not HTTP get `400 Bad Request` and the connection closes.
    @Test func malformedRequestIs400() async throws {
        try await makeSandbox().test(.live) { client in
            let port = try #require(client.port)
            let answer = try await Task.detached { try rawExchange(port: port, "NOT HTTP AT ALL\r\n\r\n") }.value
            #expect(answer.hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
            #expect(answer.lowercased().contains("connection: close"))
        }
    }

    /// A body over 48 MiB gets `413` as soon as the limit is passed, and the connection closes;
    /// the client's next request, on a new connection, is served as usual.
    @Test func bodyOver48MiBIs413() async throws {
        try await makeSandbox().test(.live) { client in
            let other = SecondConnection(port: try #require(client.port))
            defer { other.shutdown() }
            let huge = "\"" + String(repeating: "a", count: 48 * 1024 * 1024) + "\""
            let refused = try await other.post("/emails", json: huge, bearer: "re_test")
            #expect(refused.status == 413)
            #expect(refused.json == ["error": "request body too large"])
            let next = try await other.post("/emails", json: emailBody, bearer: "re_test")
            #expect(next.status == 200)
            #expect(try await client.sandboxMessages().count == 1)
        }
    }
}

/// Writes `request` on a new TCP connection to the loopback port and reads until the server
/// closes it (blocking; run it off the cooperative pool).
private func rawExchange(port: Int, _ request: String) throws -> String {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EIO) }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 5, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = in_addr_t(0x7F00_0001).bigEndian
    let connected = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
    let bytes = Array(request.utf8)
    guard write(fd, bytes, bytes.count) == bytes.count else { throw POSIXError(.EIO) }
    var received: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = read(fd, &buffer, buffer.count)
        // A timeout (-1) rather than end of stream means the connection was left open.
        guard count >= 0 else { throw POSIXError(.ETIMEDOUT) }
        if count == 0 { break }
        received += buffer[0..<count]
    }
    return String(decoding: received, as: UTF8.self)
}
