internal import CCurl

extension DriverLoop {
    /// Sets the easy handle's options for `request`; returns an error for a request that must
    /// not be sent.
    func configure(_ transfer: ActiveTransfer, for request: HTTPRequest) -> HTTPClientError? {
        let easy = transfer.easy
        let configuration = driver.configuration
        func invalid(_ code: HTTPClientError.Code, _ message: String) -> HTTPClientError {
            HTTPClientError(code: code, message: message, method: request.method, url: request.url)
        }

        guard isToken(request.method) else {
            return invalid(.invalidRequest, "invalid method \"\(request.method)\"")
        }
        guard ccurl_easy_setopt_string(easy, CURLOPT_URL, request.url) == CURLE_OK else {
            return invalid(.invalidURL, "URL rejected by libcurl")
        }
        // Only plain HTTP(S): a URL from configuration must never make us speak FTP, FILE…
        _ = ccurl_easy_setopt_string(easy, CURLOPT_PROTOCOLS_STR, "http,https")

        // Signals: libcurl must not use SIGALRM for timeouts in a multi-threaded process.
        _ = ccurl_easy_setopt_long(easy, CURLOPT_NOSIGNAL, 1)
        // Redirects are answers to report, not to follow: a provider API never redirects a
        // send, and following one could replay a POST somewhere else.
        _ = ccurl_easy_setopt_long(easy, CURLOPT_FOLLOWLOCATION, 0)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_TCP_NODELAY, 1)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_TCP_KEEPALIVE, 1)
        // CURLOPT_ACCEPT_ENCODING is left unset: no compression is requested or decoded.

        let timeout = request.timeout ?? configuration.timeout
        _ = ccurl_easy_setopt_long(easy, CURLOPT_TIMEOUT_MS, Int(clamping: max(1, timeout.wholeMilliseconds)))
        _ = ccurl_easy_setopt_long(
            easy, CURLOPT_CONNECTTIMEOUT_MS,
            Int(clamping: max(1, configuration.connectTimeout.wholeMilliseconds)))
        // Stop early when the server announces a body over the limit; the write callback
        // catches bodies without a Content-Length.
        _ = ccurl_easy_setopt_off(
            easy, CURLOPT_MAXFILESIZE_LARGE, curl_off_t(configuration.maxResponseBytes))

        let userdata = Unmanaged.passUnretained(transfer).toOpaque()
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_PRIVATE, userdata)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, transfer.errorBuffer)
        _ = ccurl_easy_setopt_data_callback(easy, CURLOPT_WRITEFUNCTION, curlWriteCallback)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, userdata)
        _ = ccurl_easy_setopt_data_callback(easy, CURLOPT_HEADERFUNCTION, curlHeaderCallback)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, userdata)

        configureMethodAndBody(easy, request, transfer: transfer, userdata: userdata)

        // Header fields. libcurl would add `Content-Type: application/x-www-form-urlencoded`
        // to any body and `Expect: 100-continue` to bodies over 1 KiB (costing a round trip or
        // a one-second wait); an empty `Name:` line tells it to leave a header out.
        var hasContentType = false
        var hasExpect = false
        var list: UnsafeMutablePointer<curl_slist>?
        for (name, value) in request.headers {
            guard isToken(name) else {
                curl_slist_free_all(list)
                return invalid(.invalidRequest, "invalid header name \"\(name)\"")
            }
            guard !value.utf8.contains(where: { $0 == 0x0D || $0 == 0x0A || $0 == 0 }) else {
                curl_slist_free_all(list)
                return invalid(.invalidRequest, "header \(name) has a line break or NUL in its value")
            }
            hasContentType = hasContentType || asciiCaseInsensitiveEquals(name, "Content-Type")
            hasExpect = hasExpect || asciiCaseInsensitiveEquals(name, "Expect")
            // "Name;" is libcurl's spelling of a header with an empty value ("Name:" removes it).
            list = curl_slist_append(list, value.isEmpty ? "\(name);" : "\(name): \(value)")
        }
        if !hasContentType { list = curl_slist_append(list, "Content-Type:") }
        if !hasExpect { list = curl_slist_append(list, "Expect:") }
        transfer.headerList = list
        _ = ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, list)
        return nil
    }

    private func configureMethodAndBody(
        _ easy: UnsafeMutableRawPointer, _ request: HTTPRequest, transfer: ActiveTransfer, userdata: UnsafeMutableRawPointer
    ) {
        let method = request.method
        // Reused handles keep their options (they are not reset, see `recycle`): every request
        // states its method from scratch.
        _ = ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, nil)
        // A recycled handle may still hold an earlier transfer's pre-request check, whose user
        // data is that transfer: set or clear it before any early return.
        _ = ccurl_easy_setopt_prereq_callback(easy, request.replayable ? nil : curlPrerequestCallback)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_PREREQDATA, request.replayable ? nil : userdata)
        if method == "HEAD" {
            _ = ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 1)
            return
        }
        _ = ccurl_easy_setopt_long(easy, CURLOPT_NOBODY, 0)
        _ = ccurl_easy_setopt_long(easy, CURLOPT_HTTPGET, 1)
        let sendsBody = request.body != nil || ["POST", "PUT", "PATCH"].contains(method)
        if sendsBody {
            let body = request.body ?? []
            // COPYPOSTFIELDS copies the bytes, so the request value need not outlive this call;
            // the size must be set first or libcurl would call strlen on binary data. A body
            // given this way goes out in the same write as the header block.
            _ = ccurl_easy_setopt_off(easy, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            if body.isEmpty {
                _ = ccurl_easy_setopt_string(easy, CURLOPT_COPYPOSTFIELDS, "")
            } else {
                body.withUnsafeBytes { bytes in
                    _ = ccurl_easy_setopt_pointer(
                        easy, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
                }
            }
            if method != "POST" {
                _ = ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method)
            }
        } else if method != "GET" {
            _ = ccurl_easy_setopt_string(easy, CURLOPT_CUSTOMREQUEST, method)
        }
    }
}

/// Whether `text` is an HTTP token (RFC 9110 §5.6.2), as methods and header names must be.
private func isToken(_ text: String) -> Bool {
    !text.isEmpty && text.utf8.allSatisfy { byte in
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        default:
            "!#$%&'*+-.^_`|~".utf8.contains(byte)
        }
    }
}
