import NIOHTTP1

/// One HTTP request as the sandbox's routes see it: the head as NIO parsed it and the whole
/// body.
struct SandboxRequest: Sendable {
    let method: HTTPMethod
    /// The path without the query, as sent (`/v21.0/123/messages`).
    let path: Substring
    /// What follows `?` in the target, if anything.
    let query: Substring?
    let headers: HTTPHeaders
    let body: [UInt8]

    init(head: HTTPRequestHead, body: [UInt8]) {
        let uri = Substring(head.uri)
        if let mark = uri.firstIndex(of: "?") {
            self.path = uri[..<mark]
            self.query = uri[uri.index(after: mark)...]
        } else {
            self.path = uri
            self.query = nil
        }
        self.method = head.method
        self.headers = head.headers
        self.body = body
    }

    /// The first value of a header, matched without regard to case.
    func header(_ name: String) -> String? {
        headers.first(name: name)
    }

    /// The credential after `Bearer ` in the Authorization header, or `nil` when the header is
    /// missing, uses another scheme or carries an empty token.
    var bearerToken: String? {
        guard let header = header("authorization") else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        let token = parts[1].filter { $0 != " " && $0 != "\t" }
        return token.isEmpty ? nil : String(token)
    }
}
