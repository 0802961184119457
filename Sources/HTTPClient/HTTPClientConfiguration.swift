/// Limits and defaults of an ``HTTPClient``.
public struct HTTPClientConfiguration: Sendable {
    /// The longest a TCP connect plus TLS handshake may take.
    public var connectTimeout: Duration = .seconds(5)
    /// The default total timeout of a request (see ``HTTPRequest/timeout``).
    public var timeout: Duration = .seconds(30)
    /// The largest response body accepted; a larger one aborts the transfer with
    /// ``HTTPClientError/Code/tooLarge`` instead of buffering it. Provider replies are small
    /// JSON documents, so the default (4 MiB) only stops runaway or hostile responses.
    public var maxResponseBytes: Int = 4 << 20
    /// The most connections open at once, in total and to any one host; further requests wait
    /// inside libcurl for a free connection (their timeout keeps running). Idle connections up
    /// to this number are kept alive for reuse.
    public var maxConnections: Int = 200

    /// Creates a configuration; every parameter has the default documented on its property.
    public init(
        connectTimeout: Duration = .seconds(5),
        timeout: Duration = .seconds(30),
        maxResponseBytes: Int = 4 << 20,
        maxConnections: Int = 200
    ) {
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.maxResponseBytes = maxResponseBytes
        self.maxConnections = maxConnections
    }
}
