/// A complete HTTP response: any status, including 4xx and 5xx, is a response, not an error.
public struct HTTPResponse: Sendable {
    /// The status code, e.g. 200.
    public var status: Int
    /// Header fields in the order received, of the final response only (interim `100 Continue`
    /// responses are dropped). Names keep the server's spelling.
    public var headers: [(name: String, value: String)]
    /// The body, at most ``HTTPClientConfiguration/maxResponseBytes`` long.
    public var body: [UInt8]
    /// How long the exchange took, from libcurl's start of the transfer to its last byte
    /// (nil for a response not received by ``HTTPClient``).
    public var elapsed: Duration?

    /// Creates a response (for tests and stand-ins; the client builds its own).
    public init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = [], elapsed: Duration? = nil) {
        self.status = status
        self.elapsed = elapsed
        self.headers = headers
        self.body = body
    }

    /// The value of the first header field called `name` (compared case-insensitively).
    public func header(_ name: String) -> String? {
        headers.first { asciiCaseInsensitiveEquals($0.name, name) }?.value
    }

    /// Every value of the header fields called `name`, in order (e.g. several `Set-Cookie`).
    public func headers(named name: String) -> [String] {
        headers.filter { asciiCaseInsensitiveEquals($0.name, name) }.map(\.value)
    }

    /// The body decoded as UTF-8, with invalid sequences replaced by U+FFFD.
    public var bodyText: String {
        String(decoding: body, as: UTF8.self)
    }

    /// Whether the status is 2xx.
    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// Header names are ASCII tokens, so ASCII case folding is exact and needs no allocation.
@inline(__always)
func asciiCaseInsensitiveEquals(_ a: String, _ b: String) -> Bool {
    var left = a.utf8.makeIterator()
    var right = b.utf8.makeIterator()
    while true {
        switch (left.next(), right.next()) {
        case (nil, nil):
            return true
        case (let x?, let y?):
            if x != y && asciiLowercased(x) != asciiLowercased(y) { return false }
        default:
            return false
        }
    }
}

@inline(__always)
private func asciiLowercased(_ byte: UInt8) -> UInt8 {
    (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
}
