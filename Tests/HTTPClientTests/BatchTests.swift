import HTTPClient
import Testing

/// `execute([HTTPRequest])`: a batch of exchanges in flight at once behind one suspension.
@Suite struct BatchTests {
    @Test func twoHundredRequestsComeBackInTheirOrder() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient()
        defer { client.shutdown() }
        for round in 0..<3 {
            let bodies = (0..<200).map { Array("batch \(round)-\($0)".utf8) }
            let results = await client.execute(bodies.map {
                HTTPRequest(method: "POST", url: "\(base)/echo", headers: [("Content-Type", "text/plain")], body: $0)
            })
            #expect(results.count == 200)
            for (body, result) in zip(bodies, results) {
                let response = try result.get()
                #expect(response.status == 200)
                #expect(response.body == body, "each slot holds its own request's response")
                #expect(response.elapsed != nil && response.elapsed! > .zero)
            }
        }
        // The later batches reused the first one's connections and easy handles.
        #expect(client.stats.responses == 600)
        #expect(client.stats.connectionsOpened <= 200)
        #expect(client.stats.handlesCreated <= 200)
    }

    @Test func eachSlotHasItsOwnFailure() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient(configuration: .init(connectTimeout: .seconds(2)))
        defer { client.shutdown() }
        let results = await client.execute([
            HTTPRequest(url: "\(base)/status/201"),
            HTTPRequest(url: "\(base)/echo", headers: [("Bad\nName", "x")]),
            HTTPRequest(url: "http://127.0.0.1:1/nothing-listens-here"),
            HTTPRequest(url: "\(base)/status/503"),
        ])
        #expect(try results[0].get().status == 201)
        #expect(throws: HTTPClientError.self) { try results[1].get() }
        if case .failure(let error) = results[1] { #expect(error.code == .invalidRequest) }
        if case .failure(let error) = results[2] { #expect(error.code == .connect) } else { Issue.record("port 1 answered") }
        #expect(try results[3].get().status == 503)
    }

    @Test func anEmptyBatchSendsNothing() async {
        let client = HTTPClient()
        defer { client.shutdown() }
        #expect(await client.execute([HTTPRequest]()).isEmpty)
        #expect(client.stats.handlesCreated == 0)
    }

    @Test func cancellingTheCallerEndsEveryOpenExchange() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient()
        defer { client.shutdown() }
        let clock = ContinuousClock()
        let task = Task {
            await client.execute([
                HTTPRequest(url: "\(base)/echo"),
                HTTPRequest(url: "\(base)/sleep?ms=10000"),
                HTTPRequest(url: "\(base)/sleep?ms=10000"),
            ])
        }
        // Cancel once the quick exchange has its response (a loaded machine may take a while).
        for _ in 0..<100 where client.stats.responses == 0 {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await Task.sleep(for: .milliseconds(100))
        let start = clock.now
        task.cancel()
        let results = await task.value
        #expect(clock.now - start < .seconds(5), "the sleeping transfers were aborted, not waited out")
        #expect(try results[0].get().status == 200, "the finished exchange keeps its response")
        for result in results.dropFirst() {
            guard case .failure(let error) = result else { Issue.record("expected a cancellation"); continue }
            #expect(error.code == .cancelled)
        }
        // The aborted handles went back for reuse.
        try await Task.sleep(for: .milliseconds(200))
        let again = await client.execute([HTTPRequest(url: "\(base)/echo"), HTTPRequest(url: "\(base)/echo")])
        #expect(again.allSatisfy { (try? $0.get().status) == 200 })
        #expect(client.stats.handlesCreated == 3)
    }

    @Test func anAlreadyCancelledCallerSendsNothing() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient()
        defer { client.shutdown() }
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return await client.execute([HTTPRequest(url: "\(base)/echo"), HTTPRequest(url: "\(base)/echo")])
        }
        let results = await task.value
        #expect(results.count == 2)
        for result in results {
            guard case .failure(let error) = result else { Issue.record("a cancelled batch sent a request"); continue }
            #expect(error.code == .cancelled)
        }
        try await Task.sleep(for: .milliseconds(100))
        #expect(client.stats.responses == 0)
    }

    @Test func aShutDownClientFailsTheWholeBatch() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient()
        client.shutdown()
        let results = await client.execute([HTTPRequest(url: "\(base)/echo"), HTTPRequest(url: "\(base)/echo")])
        for result in results {
            guard case .failure(let error) = result else { Issue.record("a shut-down client sent a request"); continue }
            #expect(error.code == .shutdown)
        }
    }
}
