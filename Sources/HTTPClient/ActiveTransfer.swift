internal import CCurl

/// One request on the driver thread: its easy handle and what has been received so far.
///
/// Lives only on the driver thread (libcurl calls the write and header callbacks from
/// `curl_multi_perform` there), so it needs no locking. It is released as soon as the
/// transfer ends, so no per-request buffer outlives its request. The easy handle is not its
/// own: the driver loop lends it and takes it back (``DriverLoop`` keeps idle handles).
final class ActiveTransfer {
    let ticket: Ticket
    /// The easy handle (`CURL *`).
    let easy: UnsafeMutableRawPointer
    /// Header lines for `CURLOPT_HTTPHEADER`; libcurl reads them during the transfer.
    var headerList: UnsafeMutablePointer<curl_slist>?
    /// libcurl's `CURLOPT_ERRORBUFFER`, which it fills with the detailed error text.
    let errorBuffer: UnsafeMutablePointer<CChar>
    let maxResponseBytes: Int

    var responseHeaders: [(name: String, value: String)] = []
    var body: [UInt8] = []
    /// Set when the write callback refused data because of `maxResponseBytes`, so the
    /// resulting `CURLE_WRITE_ERROR` is reported as `.tooLarge`.
    var exceededLimit = false
    private var reservedBody = false
    /// How many times libcurl was about to send the request (``curlPrerequestCallback``).
    var attempts = 0
    /// A request that is not replayable was stopped before going out a second time, so the
    /// resulting `CURLE_ABORTED_BY_CALLBACK` is reported as a failed send.
    var refusedReplay: Bool { attempts > 1 }

    init(ticket: Ticket, easy: UnsafeMutableRawPointer, maxResponseBytes: Int) {
        self.ticket = ticket
        self.easy = easy
        self.maxResponseBytes = maxResponseBytes
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE))
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE))
    }

    deinit {
        curl_slist_free_all(headerList)
        errorBuffer.deallocate()
    }

    /// The write callback's work: appends body bytes, or refuses them past the limit, which
    /// makes libcurl abort the transfer (returning less than offered is its abort signal).
    func receiveBody(_ data: UnsafeRawBufferPointer) -> Int {
        guard body.count + data.count <= maxResponseBytes else {
            exceededLimit = true
            return 0
        }
        if !reservedBody {
            reservedBody = true
            // Headers are complete when the first body byte arrives; with a Content-Length,
            // allocate once instead of growing the array by doubling.
            var length: curl_off_t = -1
            if ccurl_easy_getinfo_off(easy, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK,
                length > 0, length <= maxResponseBytes
            {
                body.reserveCapacity(Int(length))
            }
        }
        body.append(contentsOf: data)
        return data.count
    }

    /// The header callback's work: one header line per call, including the status line and
    /// the blank line that ends the block.
    func receiveHeaderLine(_ line: UnsafeRawBufferPointer) {
        if line.starts(with: "HTTP/".utf8) {
            // A new status line: an interim (1xx) response ended; keep only the final one.
            responseHeaders.removeAll(keepingCapacity: true)
            return
        }
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")) else { return }
        let name = trimmed(line[..<colon])
        let value = trimmed(line[(colon + 1)...])
        guard !name.isEmpty else { return }
        responseHeaders.append(
            (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self)))
    }

    /// libcurl's error text for a failed transfer, or its generic text for `code`.
    func errorMessage(for code: CURLcode) -> String {
        if errorBuffer.pointee != 0 {
            return String(cString: errorBuffer)
        }
        return String(cString: curl_easy_strerror(code))
    }
}

private func trimmed(_ bytes: Slice<UnsafeRawBufferPointer>) -> Slice<UnsafeRawBufferPointer> {
    var bytes = bytes
    while let first = bytes.first, isWhitespace(first) { bytes = bytes.dropFirst() }
    while let last = bytes.last, isWhitespace(last) { bytes = bytes.dropLast() }
    return bytes
}

@inline(__always)
private func isWhitespace(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\r")
        || byte == UInt8(ascii: "\n")
}

/// `CURLOPT_WRITEFUNCTION`: a C function pointer, so it reaches its transfer through the
/// `CURLOPT_WRITEDATA` pointer, an unretained `ActiveTransfer` kept alive by the driver loop.
func curlWriteCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let userdata else { return 0 }
    let transfer = Unmanaged<ActiveTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return transfer.receiveBody(UnsafeRawBufferPointer(start: data, count: size * count))
}

/// `CURLOPT_PREREQFUNCTION` for a request that is not replayable. libcurl calls it each time
/// the request is about to go out on a connection. When a reused keep-alive connection dies
/// before any byte of the answer, libcurl sends the request again on a fresh one by itself;
/// the first copy may have reached the server, so the second call refuses and the transfer
/// fails instead of repeating.
func curlPrerequestCallback(
    _ userdata: UnsafeMutableRawPointer?, _ primaryIP: UnsafeMutablePointer<CChar>?, _ localIP: UnsafeMutablePointer<CChar>?,
    _ primaryPort: Int32, _ localPort: Int32
) -> Int32 {
    guard let userdata else { return CURL_PREREQFUNC_ABORT }
    let transfer = Unmanaged<ActiveTransfer>.fromOpaque(userdata).takeUnretainedValue()
    transfer.attempts += 1
    return transfer.refusedReplay ? CURL_PREREQFUNC_ABORT : CURL_PREREQFUNC_OK
}

/// `CURLOPT_HEADERFUNCTION`, reaching its transfer like ``curlWriteCallback``.
func curlHeaderCallback(
    _ data: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let userdata else { return 0 }
    let transfer = Unmanaged<ActiveTransfer>.fromOpaque(userdata).takeUnretainedValue()
    transfer.receiveHeaderLine(UnsafeRawBufferPointer(start: data, count: size * count))
    return size * count
}
