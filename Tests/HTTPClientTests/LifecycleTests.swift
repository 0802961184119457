import HTTPClient
import Testing

/// Cancellation and shutdown end requests promptly and leave the client consistent.
@Suite struct LifecycleTests {
    @Test func cancellingAnInFlightRequestAbortsIt() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient()
        defer { client.shutdown() }
        let clock = ContinuousClock()
        let task = Task {
            try await client.execute(HTTPRequest(url: "\(base)/sleep?ms=10000"))
        }
        try await Task.sleep(for: .milliseconds(200))
        let start = clock.now
        task.cancel()
        let result = await task.result
        // Far below the 10 s the server sleeps: the transfer was aborted, not waited out
        // (generous because a loaded CI machine schedules slowly).
        #expect(clock.now - start < .seconds(5))
        #expect(throws: CancellationError.self) { try result.get() }
        // The client keeps working after the aborted transfer, on the same (reset) easy handle:
        // the abort gave it back. The pause lets the driver thread take the abort first.
        try await Task.sleep(for: .milliseconds(200))
        let response = try await client.execute(HTTPRequest(url: "\(base)/echo"))
        #expect(response.status == 200)
        #expect(client.stats.handlesCreated == 1)
    }

    @Test func alreadyCancelledTaskSendsNothing() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient()
        defer { client.shutdown() }
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            return try await client.execute(HTTPRequest(url: "\(base)/echo"))
        }
        await #expect(throws: CancellationError.self) { try await task.value }
        #expect(client.stats.responses == 0)
    }

    @Test func manyCancellationsRaceWithCompletions() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient()
        defer { client.shutdown() }
        // Cancel at random points of 200 short requests: each must end exactly once, with a
        // response or CancellationError, and nothing may hang.
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                let task = Task {
                    try await client.execute(HTTPRequest(url: "\(base)/sleep?ms=\(index % 20)"))
                }
                group.addTask {
                    try await Task.sleep(for: .milliseconds(index % 25))
                    task.cancel()
                    switch await task.result {
                    case .success(let response): #expect(response.status == 200)
                    case .failure(let error): #expect(error is CancellationError)
                    }
                }
            }
            try await group.waitForAll()
        }
        let response = try await client.execute(HTTPRequest(url: "\(base)/echo"))
        #expect(response.status == 200)
    }

    @Test func shutdownFailsPendingRequests() async throws {
        let base = try await TestServer.baseURL()
        let client = HTTPClient()
        let clock = ContinuousClock()
        let tasks = (0..<5).map { _ in
            Task { try await client.execute(HTTPRequest(url: "\(base)/sleep?ms=10000")) }
        }
        try await Task.sleep(for: .milliseconds(300))
        let start = clock.now
        client.shutdown()
        for task in tasks {
            let result = await task.result
            #expect(throws: HTTPClientError.self) { try result.get() }
            if case .failure(let error as HTTPClientError) = result {
                #expect(error.code == .shutdown)
                #expect(error.description.hasPrefix("shutdown: GET \(base)/sleep"))
            }
        }
        // Far below the 10 s the server sleeps: the transfer was aborted, not waited out
        // (generous because a loaded CI machine schedules slowly).
        #expect(clock.now - start < .seconds(5))
        // Later requests fail at once; shutting down again is harmless.
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPRequest(url: "\(base)/echo"))
        }
        #expect(error?.code == .shutdown)
        client.shutdown()
    }

    @Test func releasingTheClientShutsItDown() async throws {
        let base = try await TestServer.baseURL()
        var client: HTTPClient? = HTTPClient()
        let response = try await client?.execute(HTTPRequest(url: "\(base)/echo"))
        #expect(response?.status == 200)
        client = nil  // deinit joins the driver thread; the test would hang if it did not exit
    }
}
