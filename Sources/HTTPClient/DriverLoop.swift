internal import CCurl
#if canImport(Glibc)
import Glibc
#endif

/// The driver thread's side: owns the multi handle's transfers and runs the event loop.
///
/// The loop is libcurl's multi-socket API over an `epoll` set: libcurl says which sockets to
/// watch (``DriverLoop/watch(_:for:)``) and when its next timeout is, and each wake-up hands
/// it only the sockets that are ready. `curl_multi_perform` with `curl_multi_poll` instead
/// polled every open connection and walked every transfer on each wake-up, several times per
/// request with 200 in flight: most of the driver thread's kernel time.
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
    /// The `epoll` instance holding libcurl's sockets and the driver's wake-up `eventfd`.
    let epoll: Int32
    /// Sockets in the `epoll` set and the events each is registered for.
    var registered: [Int32: UInt32] = [:]
    /// Registered sockets libcurl no longer watches: idle keep-alive connections, left in the
    /// set for their next request (see ``watch(_:for:)``).
    var parked: Set<Int32> = []
    /// When libcurl wants `curl_multi_socket_action(CURL_SOCKET_TIMEOUT)`; `nil` for never.
    var timerDeadline: ContinuousClock.Instant?

    /// How long to sleep in `epoll_wait` with no transfers: any submission wakes it, so this
    /// only bounds how long an idle client goes without a check.
    private static let idlePollMilliseconds: Int32 = 60_000
    /// Upper bound while transfers run; libcurl shortens it to its own next timeout.
    private static let busyPollMilliseconds: Int32 = 1_000

    init(driver: CurlDriver) {
        self.driver = driver
        epoll = epoll_create1(Int32(EPOLL_CLOEXEC))
        guard epoll >= 0 else { fatalError("epoll_create1 failed: \(errno)") }
        var event = epoll_event()
        event.events = EPOLLIN.rawValue
        event.data.fd = driver.wakeFD
        guard epoll_ctl(epoll, EPOLL_CTL_ADD, driver.wakeFD, &event) == 0 else { fatalError("epoll_ctl failed: \(errno)") }
    }

    func run() {
        installCallbacks()
        var events = [epoll_event](repeating: epoll_event(), count: 256)
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
            // New transfers asked for an immediate timeout: start them before sleeping.
            runTimerIfDue()
            collectFinished()
            waitAndDispatch(into: &events, limit: active.isEmpty ? Self.idlePollMilliseconds : Self.busyPollMilliseconds)
            collectFinished()
        }
        for easy in idle { curl_easy_cleanup(easy) }
        idle.removeAll()
        curl_multi_cleanup(multi)
        close(epoll)
    }

    /// The receive buffer of each easy handle. libcurl's default is 16 KiB per handle, 3 MiB
    /// for 200 sends in flight; provider replies are a few hundred bytes, and a larger reply is
    /// simply read in more pieces.
    static let receiveBufferBytes = 4096

    /// A handle from the idle list, or a new one.
    private func takeHandle() -> UnsafeMutableRawPointer? {
        if let easy = idle.popLast() { return easy }
        driver.recordHandleCreated()
        guard let easy = curl_easy_init() else { return nil }
        // Only possible before the handle's first transfer allocates the buffer (see `recycle`).
        _ = ccurl_easy_setopt_long(easy, CURLOPT_BUFFERSIZE, Self.receiveBufferBytes)
        // Every socket libcurl opens comes through the loop, which forgets anything it still
        // holds under that descriptor number (see `watch`).
        _ = ccurl_easy_setopt_opensocket_callback(easy, curlOpenSocketCallback)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_OPENSOCKETDATA, Unmanaged.passUnretained(self).toOpaque())
        return easy
    }

    /// Takes back a handle already removed from the multi handle and keeps it for reuse, or
    /// frees it past the limit.
    ///
    /// The handle is not `curl_easy_reset`: the reset puts `CURLOPT_BUFFERSIZE` back to 16 KiB
    /// over the smaller buffer already allocated, which libcurl (7.88) then overruns, and it
    /// refuses to set the size again once the buffer exists. Instead `configure` sets every
    /// option a request can touch, each time, and the pointers into the finished transfer
    /// (its header list, error buffer and callbacks' data) are cleared here so that none
    /// outlives it.
    private func recycle(_ easy: UnsafeMutableRawPointer) {
        guard idle.count < driver.configuration.maxConnections else {
            curl_easy_cleanup(easy)
            return
        }
        _ = ccurl_easy_setopt_slist(easy, CURLOPT_HTTPHEADER, nil)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_ERRORBUFFER, nil)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_PRIVATE, nil)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_WRITEDATA, nil)
        _ = ccurl_easy_setopt_pointer(easy, CURLOPT_HEADERDATA, nil)
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
                code: .init(curlCode: code, exceededLimit: transfer.exceededLimit, refusedReplay: transfer.refusedReplay),
                message: transfer.refusedReplay
                    ? "connection lost after the request went out; not sent again (the request is not replayable)"
                    : transfer.errorMessage(for: code), method: request.method,
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
