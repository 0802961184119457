internal import CCurl
#if canImport(Glibc)
import Glibc
#endif

/// libcurl's multi-socket callbacks and the `epoll` wait that feeds them.
extension DriverLoop {
    /// Registers the socket and timer callbacks, with this loop as their user data. The loop
    /// outlives every call: libcurl calls back only from `curl_multi_*` calls on the driver
    /// thread, all inside `run()`, the last being `curl_multi_cleanup`.
    func installCallbacks() {
        let me = Unmanaged.passUnretained(self).toOpaque()
        _ = ccurl_multi_setopt_socket_callback(multi, curlSocketCallback)
        _ = ccurl_multi_setopt_pointer(multi, CURLMOPT_SOCKETDATA, me)
        _ = ccurl_multi_setopt_timer_callback(multi, curlTimerCallback)
        _ = ccurl_multi_setopt_pointer(multi, CURLMOPT_TIMERDATA, me)
    }

    /// `CURLMOPT_SOCKETFUNCTION`: what libcurl wants to hear about `socket`.
    func watch(_ socket: Int32, for what: Int32) {
        if what == CURL_POLL_REMOVE {
            if watched.remove(socket) != nil {
                _ = epoll_ctl(epoll, EPOLL_CTL_DEL, socket, nil)
            }
            return
        }
        var event = epoll_event()
        event.events = (what & CURL_POLL_IN != 0 ? EPOLLIN.rawValue : 0) | (what & CURL_POLL_OUT != 0 ? EPOLLOUT.rawValue : 0)
        event.data.fd = socket
        if watched.insert(socket).inserted {
            // A descriptor number libcurl closed without a REMOVE and then reused is already
            // in the set: modify it instead.
            if epoll_ctl(epoll, EPOLL_CTL_ADD, socket, &event) != 0, errno == EEXIST {
                _ = epoll_ctl(epoll, EPOLL_CTL_MOD, socket, &event)
            }
        } else if epoll_ctl(epoll, EPOLL_CTL_MOD, socket, &event) != 0, errno == ENOENT {
            // Closed and reopened under the same number: the kernel dropped the old entry.
            _ = epoll_ctl(epoll, EPOLL_CTL_ADD, socket, &event)
        }
    }

    /// `CURLMOPT_TIMERFUNCTION`: `-1` cancels the timer, otherwise it fires in that many ms.
    func setTimer(milliseconds: Int) {
        timerDeadline = milliseconds < 0 ? nil : .now + .milliseconds(milliseconds)
    }

    /// Lets libcurl handle its expired timeouts (new transfers start this way).
    func runTimerIfDue() {
        guard let deadline = timerDeadline, deadline <= .now else { return }
        timerDeadline = nil
        var running: Int32 = 0
        _ = curl_multi_socket_action(multi, curlSocketTimeout, 0, &running)
    }

    /// Sleeps until a socket is ready, the timer is due, a wake-up arrives or `limit` ms pass,
    /// then hands each ready socket to libcurl.
    func waitAndDispatch(into events: inout [epoll_event], limit: Int32) {
        var timeout = limit
        if let deadline = timerDeadline {
            let left = deadline - .now
            // Round up: waking a little early would only spin until the deadline.
            let milliseconds = left <= .zero ? 0 : (left / .milliseconds(1)).rounded(.up)
            timeout = Int32(min(Double(limit), milliseconds))
        }
        let count = events.withUnsafeMutableBufferPointer { buffer in
            epoll_wait(epoll, buffer.baseAddress, Int32(buffer.count), timeout)
        }
        var running: Int32 = 0
        for index in 0..<max(Int(count), 0) {
            let event = events[index]
            let socket = event.data.fd
            if socket == driver.wakeFD {
                var counter: UInt64 = 0
                _ = read(socket, &counter, 8)
                continue
            }
            var flags: Int32 = 0
            if event.events & EPOLLIN.rawValue != 0 { flags |= CURL_CSELECT_IN }
            if event.events & EPOLLOUT.rawValue != 0 { flags |= CURL_CSELECT_OUT }
            if event.events & (EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 { flags |= CURL_CSELECT_ERR }
            _ = curl_multi_socket_action(multi, socket, flags, &running)
        }
        runTimerIfDue()
    }
}

/// `CURL_SOCKET_TIMEOUT` (`CURL_SOCKET_BAD`), which the importer does not bring over.
private let curlSocketTimeout: Int32 = -1

private func curlSocketCallback(
    _ easy: UnsafeMutableRawPointer?, _ socket: Int32, _ what: Int32, _ userp: UnsafeMutableRawPointer?,
    _ socketp: UnsafeMutableRawPointer?
) -> Int32 {
    guard let userp else { return 0 }
    Unmanaged<DriverLoop>.fromOpaque(userp).takeUnretainedValue().watch(socket, for: what)
    return 0
}

private func curlTimerCallback(_ multi: UnsafeMutableRawPointer?, _ timeout: Int, _ userp: UnsafeMutableRawPointer?) -> Int32 {
    guard let userp else { return 0 }
    Unmanaged<DriverLoop>.fromOpaque(userp).takeUnretainedValue().setTimer(milliseconds: timeout)
    return 0
}
