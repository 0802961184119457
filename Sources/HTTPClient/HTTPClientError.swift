/// Why an HTTP exchange produced no response.
///
/// Carries the method and a redacted URL (no user info, query or fragment, Telegram-style
/// `bot<token>` path segments masked) but never request headers, so it is safe to log:
/// `Authorization` and API keys never reach an error.
public struct HTTPClientError: Error, CustomStringConvertible, Sendable {
    /// A stable category for deciding what to do (retry, alert, give up).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        public var description: String { name }

        /// The URL is malformed or its scheme is not http/https.
        public static let invalidURL = Code("invalidURL")
        /// The request is malformed (e.g. a header with CR/LF); nothing was sent.
        public static let invalidRequest = Code("invalidRequest")
        /// The host name could not be resolved.
        public static let resolve = Code("resolve")
        /// No connection could be made (refused, unreachable, or the connect timeout passed).
        public static let connect = Code("connect")
        /// The request's total timeout passed.
        public static let timeout = Code("timeout")
        /// The TLS handshake or certificate verification failed.
        public static let tls = Code("tls")
        /// The response body exceeded ``HTTPClientConfiguration/maxResponseBytes``; the
        /// transfer was aborted.
        public static let tooLarge = Code("tooLarge")
        /// Sending the request failed (e.g. connection reset while writing).
        public static let send = Code("send")
        /// Receiving the response failed (reset, truncated body, empty reply, bad framing).
        public static let receive = Code("receive")
        /// The client was shut down before the exchange finished.
        public static let shutdown = Code("shutdown")
        /// The caller was cancelled before the exchange finished; the transfer was aborted,
        /// possibly after the request reached the server.
        public static let cancelled = Code("cancelled")
        /// Anything else libcurl reported; ``HTTPClientError/message`` says what.
        public static let other = Code("other")
    }

    /// The category.
    public var code: Code
    /// libcurl's detailed error text (its error buffer), or a short explanation.
    public var message: String
    /// The request method.
    public var method: String
    /// The request URL, redacted as described on the type.
    public var url: String
    /// How long the exchange ran before failing, when known.
    public var elapsed: Duration?

    /// Creates an error. `url` is redacted here, so pass the request's URL as is.
    public init(code: Code, message: String, method: String, url: String, elapsed: Duration? = nil) {
        self.code = code
        self.message = message
        self.method = method
        self.url = redactedURL(url)
        self.elapsed = elapsed
    }

    /// One line, e.g. `timeout: POST http://127.0.0.1:9090/emails after 2000 ms (Operation
    /// timed out after 2000 milliseconds with 0 bytes received)`.
    public var description: String {
        var text = "\(code): \(method) \(url)"
        if let elapsed {
            text += " after \(elapsed.wholeMilliseconds) ms"
        }
        if !message.isEmpty {
            text += " (\(message))"
        }
        return text
    }

    /// Whether trying the same request again later may succeed: network failures, timeouts
    /// and shutdown are transient; malformed requests, TLS failures and oversized responses
    /// are not.
    public var isTransient: Bool {
        switch code {
        case .resolve, .connect, .timeout, .send, .receive, .shutdown: true
        default: false
        }
    }
}

/// Removes what may hold secrets from a URL before it goes into an error or a log line:
/// user info, the query and the fragment. Telegram puts the bot token in the path
/// (`/bot123456:ABC…/sendMessage`), so a path segment `bot<digits>:…` becomes `bot<redacted>`.
func redactedURL(_ url: String) -> String {
    var rest = Substring(url)
    if let end = rest.firstIndex(where: { $0 == "?" || $0 == "#" }) {
        rest = rest[..<end]
    }
    var prefix = ""
    if let schemeEnd = rest.firstRange(of: "://") {
        prefix = String(rest[..<schemeEnd.upperBound])
        rest = rest[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") {
            authority = authority[authority.index(after: at)...]
        }
        prefix += authority
        rest = rest[authorityEnd...]
    }
    let segments = rest.split(separator: "/", omittingEmptySubsequences: false).map { segment in
        if segment.hasPrefix("bot"), let colon = segment.firstIndex(of: ":"),
            segment[segment.index(segment.startIndex, offsetBy: 3)..<colon].allSatisfy(\.isNumber)
        {
            return "bot<redacted>"
        }
        return String(segment)
    }
    return prefix + segments.joined(separator: "/")
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var wholeMilliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
