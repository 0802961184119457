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
    ///
    /// When a request ends, libcurl stops watching its connection, and the next request on the
    /// same keep-alive connection watches it for reading again: an `EPOLL_CTL_DEL` and an
    /// `EPOLL_CTL_ADD` per request. A socket registered for reading only is instead left in
    /// the set, parked: an idle connection is not readable unless the server closes it, and
    /// an event on a parked socket removes it then (``waitAndDispatch(into:limit:)``). A
    /// parked socket that libcurl closes leaves the set by itself (the kernel drops a closed
    /// descriptor); its number may come back for a new socket, which
    /// ``forget(_:)`` clears first.
    func watch(_ socket: Int32, for what: Int32) {
        if what == CURL_POLL_REMOVE {
            guard let events = registered[socket] else { return }
            if events == EPOLLIN.rawValue {
                parked.insert(socket)
            } else {
                // Writable whenever idle: it would wake the loop at once.
                unregister(socket)
            }
            return
        }
        parked.remove(socket)
        let events = (what & CURL_POLL_IN != 0 ? EPOLLIN.rawValue : 0) | (what & CURL_POLL_OUT != 0 ? EPOLLOUT.rawValue : 0)
        var event = epoll_event()
        event.events = events
        event.data.fd = socket
        if let current = registered[socket] {
            guard current != events else { return }
            if epoll_ctl(epoll, EPOLL_CTL_MOD, socket, &event) != 0, errno == ENOENT {
                // Closed and reopened under the same number: the kernel dropped the old entry.
                _ = epoll_ctl(epoll, EPOLL_CTL_ADD, socket, &event)
            }
        } else if epoll_ctl(epoll, EPOLL_CTL_ADD, socket, &event) != 0, errno == EEXIST {
            _ = epoll_ctl(epoll, EPOLL_CTL_MOD, socket, &event)
        }
        registered[socket] = events
    }

    /// Takes `socket` out of the set.
    func unregister(_ socket: Int32) {
        parked.remove(socket)
        if registered.removeValue(forKey: socket) != nil {
            _ = epoll_ctl(epoll, EPOLL_CTL_DEL, socket, nil)
        }
    }

    /// A new socket has this number, so whatever the loop holds under it belongs to a closed
    /// one, which the kernel already took out of the set.
    func forget(_ socket: Int32) {
        parked.remove(socket)
        registered.removeValue(forKey: socket)
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
            if parked.contains(socket) {
                // An idle connection became readable: the server closed it or sent something
                // unasked. libcurl finds out when it next checks the connection.
                unregister(socket)
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

/// `CURLOPT_OPENSOCKETFUNCTION`: opens the socket libcurl asks for (close-on-exec) and tells
/// the loop, the `CURLOPT_OPENSOCKETDATA` pointer, that its number is taken anew.
func curlOpenSocketCallback(
    _ clientp: UnsafeMutableRawPointer?, _ purpose: curlsocktype, _ address: UnsafeMutablePointer<curl_sockaddr>?
) -> curl_socket_t {
    guard let address else { return -1 }
    let socket = Glibc.socket(address.pointee.family, address.pointee.socktype | Int32(SOCK_CLOEXEC.rawValue),
                              address.pointee.protocol)
    if socket >= 0, let clientp {
        Unmanaged<DriverLoop>.fromOpaque(clientp).takeUnretainedValue().forget(socket)
    }
    return socket
}

private func curlTimerCallback(_ multi: UnsafeMutableRawPointer?, _ timeout: Int, _ userp: UnsafeMutableRawPointer?) -> Int32 {
    guard let userp else { return 0 }
    Unmanaged<DriverLoop>.fromOpaque(userp).takeUnretainedValue().setTimer(milliseconds: timeout)
    return 0
}
