/// An HTTP request for ``HTTPClient/execute(_:)``.
///
/// A plain value: build it, adjust fields, send it as often as needed.
public struct HTTPRequest: Sendable {
    /// The method, e.g. `"GET"`, `"POST"`, `"PUT"`, `"DELETE"`, `"HEAD"`.
    public var method: String
    /// An absolute `http://` or `https://` URL. Other schemes fail with
    /// ``HTTPClientError/Code/invalidURL``.
    public var url: String
    /// Header fields in the order they are sent. Names must be tokens and values must not
    /// contain CR, LF or NUL, otherwise the request fails with
    /// ``HTTPClientError/Code/invalidRequest`` before anything is sent.
    ///
    /// libcurl adds `Host` and, for a body, `Content-Length`. It would also add
    /// `Content-Type: application/x-www-form-urlencoded` and `Expect: 100-continue` on its own;
    /// the client suppresses both unless set here, so set `Content-Type` yourself.
    public var headers: [(name: String, value: String)]
    /// The request body, or nil for none. `POST`, `PUT` and `PATCH` without a body send
    /// `Content-Length: 0`.
    public var body: [UInt8]?
    /// Whether libcurl may send the request a second time on its own. It does so, up to five
    /// times, when a reused keep-alive connection dies before any byte of the answer arrives,
    /// which is safe only when the server may see the request twice. With `false`, a request
    /// goes out at most once: such a failure ends it with ``HTTPClientError/Code/send``, an
    /// outcome the caller must treat as unknown.
    /// Set it to `false` for a call that is not idempotent (a message send without a key).
    public var replayable: Bool
    /// The deadline for the whole exchange (queueing, connecting, sending, receiving), or nil
    /// for ``HTTPClientConfiguration/timeout``.
    public var timeout: Duration?

    /// Creates a request.
    public init(
        method: String = "GET",
        url: String,
        headers: [(name: String, value: String)] = [],
        body: [UInt8]? = nil,
        timeout: Duration? = nil,
        replayable: Bool = true
    ) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.timeout = timeout
        self.replayable = replayable
    }
}

extension HTTPRequest {
    /// The value of the first header field called `name` (compared case-insensitively).
    public func header(_ name: String) -> String? {
        headers.first { asciiCaseInsensitiveEquals($0.name, name) }?.value
    }
}
