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
    /// The body of a request that is not replayable, which libcurl reads through
    /// ``curlReadCallback`` instead of a copy it could send again.
    var upload: [UInt8] = []
    /// How much of `upload` libcurl has read.
    var uploadOffset = 0

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

/// `CURLOPT_READFUNCTION` for a body that is not replayable: the next bytes of `upload`.
func curlReadCallback(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int, _ count: Int, _ userdata: UnsafeMutableRawPointer?
) -> Int {
    guard let userdata, let buffer else { return 0 }
    let transfer = Unmanaged<ActiveTransfer>.fromOpaque(userdata).takeUnretainedValue()
    let length = min(size * count, transfer.upload.count - transfer.uploadOffset)
    guard length > 0 else { return 0 }
    transfer.upload.withUnsafeBytes { bytes in
        UnsafeMutableRawPointer(buffer).copyMemory(from: bytes.baseAddress! + transfer.uploadOffset, byteCount: length)
    }
    transfer.uploadOffset += length
    return length
}

/// `CURLOPT_SEEKFUNCTION` for a body that is not replayable. libcurl asks to rewind before
/// it sends the request again on a fresh connection; once any byte has been read (and so may
/// have reached the server) the answer is no, and the transfer fails instead of repeating.
func curlSeekCallback(_ userdata: UnsafeMutableRawPointer?, _ offset: curl_off_t, _ origin: Int32) -> Int32 {
    guard let userdata else { return CURL_SEEKFUNC_CANTSEEK }
    let transfer = Unmanaged<ActiveTransfer>.fromOpaque(userdata).takeUnretainedValue()
    return offset == 0 && origin == SEEK_SET && transfer.uploadOffset == 0 ? CURL_SEEKFUNC_OK : CURL_SEEKFUNC_CANTSEEK
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
