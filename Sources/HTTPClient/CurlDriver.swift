internal import CCurl
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The thread-safe side of the driver: a locked inbox of new and aborted transfers, the
/// multi handle's wakeup, shutdown and counters. Everything else about the multi handle lives
/// on the driver thread in ``DriverLoop``.
final class CurlDriver: Sendable {
    /// The libcurl multi handle (`CURLM *`).
    ///
    /// `nonisolated(unsafe)` because a raw pointer is not `Sendable`. Safe because only the
    /// driver thread touches it (everything, including the final `curl_multi_cleanup`); other
    /// threads wake that thread through `wakeFD` and never call libcurl.
    nonisolated(unsafe) let multi: UnsafeMutableRawPointer

    let configuration: HTTPClientConfiguration
    /// An `eventfd` in the driver loop's `epoll` set: writing to it wakes the loop. Closed
    /// only in `deinit`, after the loop has ended (it holds the driver) and after `wake`
    /// stopped writing (it checks `isShutdown` under the lock).
    let wakeFD: Int32
    private let inbox = Mutex(Inbox())
    private let thread = Mutex<DriverThread?>(nil)
    private let connectionsOpened = Atomic<Int>(0)
    private let responses = Atomic<Int>(0)
    private let failures = Atomic<Int>(0)
    private let handlesCreated = Atomic<Int>(0)

    struct Inbox: ~Copyable {
        /// Transfers to start.
        var submitted: [Ticket] = []
        /// Transfers whose callers were cancelled and that the driver must drop.
        var aborted: [Ticket] = []
        var isShutdown = false
        /// A wakeup was sent and the driver has not emptied the inbox since: one is enough.
        var wakeupPending = false
    }

    struct Work {
        var submitted: [Ticket]
        var aborted: [Ticket]
        var isShutdown: Bool
    }

    init(configuration: HTTPClientConfiguration) {
        CurlGlobal.ensureInitialized()
        guard let multi = curl_multi_init() else {
            fatalError("curl_multi_init failed (out of memory)")
        }
        self.multi = multi
        self.configuration = configuration
        wakeFD = eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC))
        guard wakeFD >= 0 else { fatalError("eventfd failed: \(errno)") }
        let limit = max(1, configuration.maxConnections)
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_TOTAL_CONNECTIONS, limit)
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, limit)
        // The connection cache: keep as many idle connections as may be open at once, so a
        // burst of 200 sends does not close and reopen connections between rounds.
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, limit)
        let loop = DriverLoop(driver: self)
        let driverThread = DriverThread { loop.run() }
        thread.withLock { $0 = driverThread }
    }

    /// Hands a ticket to the driver thread, or fails it if the client is shut down.
    func submit(_ ticket: Ticket) {
        let accepted = inbox.withLock { inbox in
            guard !inbox.isShutdown else { return false }
            inbox.submitted.append(ticket)
            wake(&inbox)
            return true
        }
        if !accepted {
            ticket.finish(.failure(shutdownError(for: ticket.request)))
        }
    }

    /// Hands a batch of tickets to the driver thread with one wake-up.
    func submit(_ tickets: [Ticket]) {
        let accepted = inbox.withLock { inbox in
            guard !inbox.isShutdown else { return false }
            inbox.submitted.append(contentsOf: tickets)
            wake(&inbox)
            return true
        }
        if !accepted {
            for ticket in tickets {
                ticket.finish(.failure(shutdownError(for: ticket.request)))
            }
        }
    }

    /// Asks the driver thread to drop the transfer of a cancelled ticket.
    func abort(_ ticket: Ticket) {
        inbox.withLock { inbox in
            guard !inbox.isShutdown else { return }
            inbox.aborted.append(ticket)
            wake(&inbox)
        }
    }

    /// Marks the client shut down, wakes the driver and waits for its thread to exit.
    func shutdown() {
        inbox.withLock { inbox in
            guard !inbox.isShutdown else { return }
            // Wake before setting the flag: `wake` must never run once it is set.
            wake(&inbox)
            inbox.isShutdown = true
        }
        // Only the first caller joins; the thread value is taken out so it is joined once.
        let running = thread.withLock { thread in
            defer { thread = nil }
            return thread
        }
        running?.join()
    }

    /// Called by the driver thread: takes everything queued since the last call.
    func takeWork() -> Work {
        inbox.withLock { inbox in
            inbox.wakeupPending = false
            defer {
                inbox.submitted.removeAll(keepingCapacity: false)
                inbox.aborted.removeAll(keepingCapacity: false)
            }
            return Work(submitted: inbox.submitted, aborted: inbox.aborted, isShutdown: inbox.isShutdown)
        }
    }

    deinit {
        close(wakeFD)
    }

    /// Makes the driver loop's `epoll_wait` return. A non-blocking write to an `eventfd`, so
    /// it is fine to call from the cooperative pool and under the lock.
    private func wake(_ inbox: inout Inbox) {
        guard !inbox.wakeupPending, !inbox.isShutdown else { return }
        inbox.wakeupPending = true
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    func shutdownError(for request: HTTPRequest) -> HTTPClientError {
        HTTPClientError(
            code: .shutdown, message: "the HTTP client was shut down", method: request.method,
            url: request.url)
    }

    func record(connections: Int, failed: Bool) {
        if connections > 0 {
            connectionsOpened.add(connections, ordering: .relaxed)
        }
        if failed {
            failures.add(1, ordering: .relaxed)
        } else {
            responses.add(1, ordering: .relaxed)
        }
    }

    func recordHandleCreated() {
        handlesCreated.add(1, ordering: .relaxed)
    }

    var stats: HTTPClientStats {
        HTTPClientStats(
            connectionsOpened: connectionsOpened.load(ordering: .relaxed),
            responses: responses.load(ordering: .relaxed),
            failures: failures.load(ordering: .relaxed),
            handlesCreated: handlesCreated.load(ordering: .relaxed))
    }
}
