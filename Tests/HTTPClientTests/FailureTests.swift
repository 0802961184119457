import HTTPClient
import Testing

/// Each failure arrives as an `HTTPClientError` with the right code and a safe description.
@Suite struct FailureTests {
    @Test func totalTimeoutFiresNearConfiguredTime() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient()
        defer { client.shutdown() }
        let clock = ContinuousClock()
        let start = clock.now
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequest(
                url: "\(base)/sleep?ms=5000", headers: [("Authorization", "Bearer top-secret")],
                timeout: .milliseconds(400)))
        }
        let elapsed = clock.now - start
        #expect(error?.code == .timeout)
        #expect(elapsed >= .milliseconds(390))
        #expect(elapsed < .milliseconds(1500), "fired at \(elapsed), configured 400 ms")
        let description = try #require(error?.description)
        #expect(description.hasPrefix("timeout: GET \(base)/sleep after "))
        #expect(!description.contains("top-secret"))
        #expect(!description.contains("ms=5000"), "the query is redacted")
    }

    @Test func configuredDefaultTimeoutApplies() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient(configuration: .init(timeout: .milliseconds(300)))
        defer { client.shutdown() }
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequest(url: "\(base)/sleep?ms=3000"))
        }
        #expect(error?.code == .timeout)
        #expect(error?.isTransient == true)
    }

    @Test func refusedConnectionIsConnectError() async throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        // Port 1 (tcpmux) is privileged and unused on any machine that runs these tests.
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequest(
                method: "POST", url: "http://127.0.0.1:1/emails",
                headers: [("Authorization", "Bearer top-secret")], body: [1, 2, 3]))
        }
        #expect(error?.code == .connect)
        #expect(error?.method == "POST")
        #expect(error?.url == "http://127.0.0.1:1/emails")
        let description = try #require(error?.description)
        #expect(description.hasPrefix("connect: POST http://127.0.0.1:1/emails"))
        #expect(!description.contains("top-secret"))
    }

    @Test func unknownHostIsResolveError() async throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        // `.invalid` is reserved (RFC 6761): resolvers answer NXDOMAIN without the internet.
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequest(
                url: "http://no-such-host.invalid/emails", timeout: .seconds(10)))
        }
        #expect(error?.code == .resolve)
    }

    @Test func tlsAgainstPlainHTTPServerIsTLSError() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient()
        defer { client.shutdown() }
        // The plain-HTTP server answers the ClientHello with an HTTP error, which is not a
        // TLS record: the handshake fails.
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequest(
                url: base.replacingPrefix("http://", with: "https://") + "/echo"))
        }
        #expect(error?.code == .tls)
        #expect(error?.isTransient == false)
    }

    @Test(arguments: ["ftp://127.0.0.1/file", "file:///etc/passwd", "not a url", "http://"])
    func unsupportedOrMalformedURLIsInvalidURL(_ url: String) async throws {
        let client = HTTPClient()
        defer { client.shutdown() }
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequest(url: url))
        }
        #expect(error?.code == .invalidURL)
    }

    @Test func headerInjectionIsRejectedBeforeSending() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient()
        defer { client.shutdown() }
        for headers in [[("X-A", "ok\r\nX-Injected: 1")], [("Bad Name", "v")], [("", "v")]] {
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPRequest(url: "\(base)/echo", headers: headers))
            }
            #expect(error?.code == .invalidRequest)
        }
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequest(method: "GET /x", url: "\(base)/echo"))
        }
        #expect(error?.code == .invalidRequest)
    }

    @Test func responseOverLimitWithContentLengthIsTooLarge() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient(configuration: .init(maxResponseBytes: 1000))
        defer { client.shutdown() }
        let atLimit = try await client.execute(HTTPRequest(url: "\(base)/bytes?n=1000"))
        #expect(atLimit.body.count == 1000)
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequest(url: "\(base)/bytes?n=1001"))
        }
        #expect(error?.code == .tooLarge)
    }

    @Test func streamedResponseOverLimitIsAborted() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient(configuration: .init(maxResponseBytes: 10_000))
        defer { client.shutdown() }
        let small = try await client.execute(HTTPRequest(url: "\(base)/stream?n=10000"))
        #expect(small.body.count == 10_000)
        #expect(small.header("Content-Length") == nil, "chunked, so only the callback can stop it")
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequest(url: "\(base)/stream?n=5000000"))
        }
        #expect(error?.code == .tooLarge)
        // The client is still usable afterwards.
        #expect(try await client.execute(HTTPRequest(url: "\(base)/echo")).status == 200)
    }

    @Test func redactsSecretsFromURLs() {
        let telegram = HTTPClientError(
            code: .receive, message: "Recv failure", method: "POST",
            url: "https://user:pw@api.telegram.org/bot123456:ABC-def/sendMessage?x=1#frag")
        #expect(telegram.url == "https://api.telegram.org/bot<redacted>/sendMessage")
        #expect(telegram.description == "receive: POST https://api.telegram.org/bot<redacted>/sendMessage (Recv failure)")
        let timeout = HTTPClientError(
            code: .timeout, message: "", method: "POST", url: "http://127.0.0.1:9090/emails",
            elapsed: .milliseconds(2000))
        #expect(timeout.description == "timeout: POST http://127.0.0.1:9090/emails after 2000 ms")
        #expect(HTTPClientError.Code.tls.description == "tls")
        #expect(HTTPClientError(code: .tls, message: "", method: "GET", url: "https://x/bottle:1").url == "https://x/bottle:1")
    }
}

extension String {
    fileprivate func replacingPrefix(_ prefix: String, with replacement: String) -> String {
        hasPrefix(prefix) ? replacement + dropFirst(prefix.count) : self
    }
}
