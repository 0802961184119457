/// An HTTP/1.1 and HTTP/2 client over libcurl's multi interface.
///
/// One libcurl multi handle is driven by one dedicated thread, so any number of requests can
/// be in flight while no blocking C call ever runs on Swift's cooperative thread pool. The
/// multi handle's connection cache keeps connections alive and reuses them across requests.
/// Create one client per process (or per provider) and share it; call ``shutdown()`` before
/// exit.
///
/// ```swift
/// let client = HTTPClient()
/// let response = try await client.execute(
///     HTTPRequest(method: "POST", url: "http://127.0.0.1:9090/emails",
///                 headers: [("Content-Type", "application/json")], body: Array(json.utf8)))
/// ```
///
/// Hummingbird re-exports swift-http-types' `HTTPRequest` and `HTTPResponse`; in a file that
/// imports both modules, name these types with a module selector: `HTTPClient::HTTPRequest`
/// (plain `HTTPClient.HTTPRequest` would look inside this class).
public final class HTTPClient: Sendable {
    /// The configuration the client was created with.
    public let configuration: HTTPClientConfiguration
    private let driver: CurlDriver

    /// Creates a client and starts its driver thread.
    public init(configuration: HTTPClientConfiguration = .init()) {
        self.configuration = configuration
        self.driver = CurlDriver(configuration: configuration)
    }

    /// Releasing the last reference shuts the client down (see ``shutdown()``).
    deinit {
        driver.shutdown()
    }

    /// Sends `request` and returns the response, whatever its status. For many requests at
    /// once, ``execute(_:)-([HTTPRequest])`` costs one suspension instead of one per request.
    ///
    /// - Throws: ``HTTPClientError`` when no response was received, or `CancellationError`
    ///   if the calling task is cancelled (the transfer is aborted and its connection closed).
    public func execute(_ request: HTTPRequest) async throws -> HTTPResponse {
        let ticket = Ticket(request: request)
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                // A task cancelled before it got here already has its ticket marked; then
                // `install` resumes the continuation at once and nothing is submitted.
                guard ticket.install(continuation) else { return }
                driver.submit(ticket)
            }
        } onCancel: {
            if ticket.cancel() {
                driver.abort(ticket)
            }
        }
    }

    /// Sends every request at once and returns their outcomes in the same order, when the last
    /// one has finished.
    ///
    /// One caller waits for the whole batch: a batch of 200 sends costs one suspension and one
    /// wake-up rather than 200 tasks, and the driver thread is woken once for all of them.
    /// A failed request is a `.failure` in its slot and does not affect the others. If the
    /// calling task is cancelled, requests still open end with
    /// ``HTTPClientError/Code/cancelled`` and their transfers are aborted.
    public func execute(_ requests: [HTTPRequest]) async -> [Result<HTTPResponse, HTTPClientError>] {
        guard !requests.isEmpty else { return [] }
        let batch = BatchCompletion(count: requests.count)
        let tickets = requests.enumerated().map { Ticket(request: $1, batch: batch, index: $0) }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                batch.install(continuation)
                // Tickets cancelled before this point are finished and skipped by the driver.
                driver.submit(tickets)
            }
        } onCancel: {
            for ticket in tickets where ticket.cancel() {
                driver.abort(ticket)
            }
        }
    }

    /// Fails every queued and in-flight request with ``HTTPClientError/Code/shutdown``, stops
    /// the driver thread and waits for it to exit (it only has to release its handles).
    /// Later requests fail with the same code. Safe to call more than once; only the first
    /// call waits for the thread.
    ///
    /// Blocks the calling thread for as long as the driver takes to release its handles
    /// (microseconds to a few milliseconds); call it at shutdown, not on a hot path.
    public func shutdown() {
        driver.shutdown()
    }

    /// Counters since the client was created.
    public var stats: HTTPClientStats {
        driver.stats
    }
}

/// Counters of an ``HTTPClient``, e.g. to prove that connections are reused.
public struct HTTPClientStats: Sendable, Hashable {
    /// New connections opened (libcurl's `CURLINFO_NUM_CONNECTS`, summed over transfers).
    public var connectionsOpened: Int
    /// Transfers that ended with a response.
    public var responses: Int
    /// Transfers that ended with an ``HTTPClientError``.
    public var failures: Int
    /// libcurl easy handles created; finished transfers hand theirs to the next request.
    public var handlesCreated: Int = 0
}
