import HTTPClient
import Testing

/// Many requests in flight on one driver thread, with keep-alive connection reuse.
@Suite struct ConcurrencyTests {
    /// Sends `count` concurrent POSTs and returns the server-reported client ports.
    private func round(_ client: HTTPClient, base: String, count: Int, tag: Int) async throws -> [Int] {
        try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<count {
                group.addTask {
                    let body = Array("request \(tag)-\(index)".utf8)
                    let response = try await client.execute(HTTPRequest(
                        method: "POST", url: "\(base)/echo",
                        headers: [("Content-Type", "text/plain")], body: body))
                    #expect(response.status == 200)
                    #expect(response.body == body, "each response belongs to its own request")
                    return Int(response.header("X-Remote-Port") ?? "") ?? -1
                }
            }
            var ports: [Int] = []
            for try await port in group { ports.append(port) }
            return ports
        }
    }

    @Test func twoHundredInFlightReuseALimitedPool() async throws {
        let base = try await TestServer.baseURL()
        // 200 concurrent requests over at most 20 connections: the rest queue inside libcurl
        // and every round reuses the same connections.
        let client = HTTPClient(configuration: .init(maxConnections: 20))
        defer { client.shutdown() }
        var ports = Set<Int>()
        for tag in 0..<5 {
            ports.formUnion(try await round(client, base: base, count: 200, tag: tag))
        }
        let stats = client.stats
        #expect(stats.responses == 1000)
        #expect(stats.failures == 0)
        #expect(stats.connectionsOpened <= 20, "opened \(stats.connectionsOpened) for 1000 requests")
        #expect(ports.count <= 20, "server saw \(ports.count) connections")
        #expect(!ports.contains(-1))
    }

    @Test func laterRoundsReuseTheFirstRoundsConnections() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient()
        defer { client.shutdown() }
        var ports = Set(try await round(client, base: base, count: 200, tag: 0))
        let afterFirst = client.stats.connectionsOpened
        #expect(afterFirst <= 200)
        for tag in 1..<5 {
            ports.formUnion(try await round(client, base: base, count: 200, tag: tag))
        }
        let total = client.stats.connectionsOpened
        #expect(client.stats.responses == 1000)
        // 800 more requests opened (almost) no new connection.
        #expect(total - afterFirst <= 10, "rounds 2-5 opened \(total - afterFirst) connections")
        #expect(ports.count == total)
    }

    @Test func sequentialRequestsShareOneConnection() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient()
        defer { client.shutdown() }
        var ports = Set<Int>()
        for _ in 0..<50 {
            let response = try await client.execute(HTTPRequest(url: "\(base)/echo"))
            ports.insert(Int(response.header("X-Remote-Port") ?? "") ?? -1)
        }
        #expect(ports.count == 1)
        #expect(client.stats.connectionsOpened == 1)
    }

    @Test func finishedTransfersLendTheirHandleWithNothingCarriedOver() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient()
        defer { client.shutdown() }
        // A POST with a body and a custom header, then a plain GET on the same handle: the GET
        // must carry neither (the handle is not reset; every request sets all its options).
        let post = try await client.execute(HTTPRequest(
            method: "POST", url: "\(base)/echo?first", headers: [("X-Only-First", "1")], body: Array("first".utf8)))
        #expect(post.header("X-Echo-X-Only-First") == "1")
        let get = try await client.execute(HTTPRequest(url: "\(base)/echo?second"))
        #expect(get.header("X-Method") == "GET")
        #expect(get.header("X-Query") == "second")
        #expect(get.header("X-Echo-X-Only-First") == nil, "a header of the previous request was sent again")
        #expect(get.body.isEmpty)
        // Every method after every other: none inherits the previous one's method or body.
        let head = try await client.execute(HTTPRequest(method: "HEAD", url: "\(base)/echo"))
        #expect(head.status == 200 && head.body.isEmpty)
        let put = try await client.execute(HTTPRequest(method: "PUT", url: "\(base)/echo", body: Array("put".utf8)))
        #expect(put.header("X-Method") == "PUT")
        #expect(put.body == Array("put".utf8))
        let delete = try await client.execute(HTTPRequest(method: "DELETE", url: "\(base)/echo"))
        #expect(delete.header("X-Method") == "DELETE")
        #expect(delete.body.isEmpty)
        let afterHead = try await client.execute(HTTPRequest(url: "\(base)/echo?third"))
        #expect(afterHead.header("X-Method") == "GET")
        #expect(afterHead.header("X-Query") == "third")
        // Replies far larger than the 4 KiB receive buffer arrive whole, with and without a length.
        let big = try await client.execute(HTTPRequest(url: "\(base)/bytes?n=100000"))
        #expect(big.body.count == 100_000)
        let streamed = try await client.execute(HTTPRequest(url: "\(base)/stream?n=50000"))
        #expect(streamed.body.count == 50_000)
        // A failed transfer gives its handle back too.
        _ = try? await client.execute(HTTPRequest(url: "http://127.0.0.1:1/refused"))
        _ = try await client.execute(HTTPRequest(url: "\(base)/echo"))
        #expect(client.stats.handlesCreated == 1, "created \(client.stats.handlesCreated) handles for 10 sequential requests")
    }
}
