internal import CCurl

/// The driver thread's side: owns the multi handle's transfers and runs the event loop.
///
/// Not `Sendable`: it is created by ``CurlDriver`` and handed to the driver thread, which is
/// its only user from then on.
final class DriverLoop {
    /// Internal rather than private: the `+Configure` extension reads its configuration.
    let driver: CurlDriver
    var multi: UnsafeMutableRawPointer { driver.multi }
    /// Transfers added to the multi handle, by ticket identity (for aborts).
    private var active: [ObjectIdentifier: ActiveTransfer] = [:]
    /// Easy handles whose transfer ended, reset and ready for the next request: creating and
    /// freeing one per request (a large struct and its buffers) was much of the client's
    /// allocation work. At most `maxConnections` are kept, as many as can be in flight.
    private var idle: [UnsafeMutableRawPointer] = []

    /// How long to sleep in `curl_multi_poll` with no transfers: any submission wakes it, so
    /// this only bounds how long an idle client goes without a check.
    private static let idlePollMilliseconds: Int32 = 60_000
    /// Upper bound while transfers run; libcurl shortens it to its own next timeout.
    private static let busyPollMilliseconds: Int32 = 1_000

    init(driver: CurlDriver) {
        self.driver = driver
    }

    func run() {
        var running: Int32 = 0
        while true {
            let work = driver.takeWork()
            if work.isShutdown {
                failAll(pending: work.submitted)
                break
            }
            for ticket in work.submitted {
                start(ticket)
            }
            for ticket in work.aborted {
                // The caller was already resumed with CancellationError by the ticket; dropping
                // the transfer here releases its handle (closing its connection mid-exchange).
                if let transfer = active.removeValue(forKey: ObjectIdentifier(ticket)) {
                    curl_multi_remove_handle(multi, transfer.easy)
                    recycle(transfer.easy)
                }
            }
            _ = curl_multi_perform(multi, &running)
            collectFinished()
            _ = curl_multi_poll(
                multi, nil, 0,
                active.isEmpty ? Self.idlePollMilliseconds : Self.busyPollMilliseconds, nil)
        }
        for easy in idle { curl_easy_cleanup(easy) }
        idle.removeAll()
        curl_multi_cleanup(multi)
    }

    /// A handle from the idle list, or a new one.
    private func takeHandle() -> UnsafeMutableRawPointer? {
        if let easy = idle.popLast() { return easy }
        driver.recordHandleCreated()
        return curl_easy_init()
    }

    /// Takes back a handle already removed from the multi handle: reset (every option, so no
    /// pointer into a finished transfer survives) and kept for reuse, or freed past the limit.
    ///
    /// `CURLOPT_BUFFERSIZE` must stay at its default with reused handles: libcurl (7.88)
    /// refuses the option once the receive buffer exists, and the reset puts the size back to
    /// 16 KiB, so a smaller buffer from the handle's first transfer would be overrun.
    private func recycle(_ easy: UnsafeMutableRawPointer) {
        guard idle.count < driver.configuration.maxConnections else {
            curl_easy_cleanup(easy)
            return
        }
        curl_easy_reset(easy)
        idle.append(easy)
    }

    /// Creates, configures and adds an easy handle; failures end the ticket at once.
    private func start(_ ticket: Ticket) {
        // Cancelled while queued: nothing to do, the caller has been resumed.
        guard !ticket.isFinished else { return }
        let request = ticket.request
        guard let easy = takeHandle() else {
            ticket.finish(.failure(HTTPClientError(
                code: .other, message: "curl_easy_init failed", method: request.method,
                url: request.url)))
            return
        }
        let transfer = ActiveTransfer(
            ticket: ticket, easy: easy, maxResponseBytes: driver.configuration.maxResponseBytes)
        if let error = configure(transfer, for: request) {
            recycle(easy)
            ticket.finish(.failure(error))
            return
        }
        let added = curl_multi_add_handle(multi, easy)
        guard added == CURLM_OK else {
            recycle(easy)
            ticket.finish(.failure(HTTPClientError(
                code: .other, message: String(cString: curl_multi_strerror(added)),
                method: request.method, url: request.url)))
            return
        }
        active[ObjectIdentifier(ticket)] = transfer
    }

    /// Reads finished transfers and resumes their callers.
    private func collectFinished() {
        var queued: Int32 = 0
        while let message = curl_multi_info_read(multi, &queued) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle
            else { continue }
            // Read everything from the message before removing the handle, which frees it.
            let code = message.pointee.data.result
            var userdata: UnsafeMutableRawPointer?
            _ = ccurl_easy_getinfo_pointer(easy, CURLINFO_PRIVATE, &userdata)
            guard let userdata else { continue }
            let transfer = Unmanaged<ActiveTransfer>.fromOpaque(userdata).takeUnretainedValue()
            curl_multi_remove_handle(multi, easy)
            let key = ObjectIdentifier(transfer.ticket)
            finish(transfer, code: code)
            active.removeValue(forKey: key)
            recycle(easy)
        }
    }

    private func finish(_ transfer: ActiveTransfer, code: CURLcode) {
        let easy = transfer.easy
        var connects = 0
        _ = ccurl_easy_getinfo_long(easy, CURLINFO_NUM_CONNECTS, &connects)
        let request = transfer.ticket.request
        var microseconds: curl_off_t = 0
        _ = ccurl_easy_getinfo_off(easy, CURLINFO_TOTAL_TIME_T, &microseconds)
        if code == CURLE_OK {
            var status = 0
            _ = ccurl_easy_getinfo_long(easy, CURLINFO_RESPONSE_CODE, &status)
            driver.record(connections: connects, failed: false)
            let response = HTTPResponse(
                status: status, headers: transfer.responseHeaders, body: transfer.body,
                elapsed: .microseconds(microseconds))
            // Drop the transfer's references so the response owns the only copy.
            transfer.body = []
            transfer.responseHeaders = []
            transfer.ticket.finish(.success(response))
        } else {
            driver.record(connections: connects, failed: true)
            transfer.ticket.finish(.failure(HTTPClientError(
                code: .init(curlCode: code, exceededLimit: transfer.exceededLimit),
                message: transfer.errorMessage(for: code), method: request.method,
                url: request.url, elapsed: .microseconds(microseconds))))
        }
    }

    /// Ends every transfer with `.shutdown` and releases all handles.
    private func failAll(pending: [Ticket]) {
        for ticket in pending {
            ticket.finish(.failure(driver.shutdownError(for: ticket.request)))
        }
        for transfer in active.values {
            curl_multi_remove_handle(multi, transfer.easy)
            curl_easy_cleanup(transfer.easy)
            transfer.ticket.finish(.failure(driver.shutdownError(for: transfer.ticket.request)))
        }
        active.removeAll()
    }
}
