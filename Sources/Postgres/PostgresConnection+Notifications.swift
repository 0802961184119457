import CLibPQ
import Foundation

extension PostgresConnection {
    /// Subscribes to `channel` (quoted with `PQescapeIdentifier`, so any name is safe). The
    /// subscription is re-issued automatically after a reconnect.
    public func listen(_ channel: String) async throws {
        try await run { session in try session.listen(channel) }
    }

    /// Removes a subscription made with ``listen(_:)``.
    public func unlisten(_ channel: String) async throws {
        try await run { session in try session.unlisten(channel) }
    }

    /// Sends a notification with `pg_notify($1, $2)` (delivered when the surrounding
    /// transaction, if any, commits).
    public func notify(_ channel: String, payload: String = "") async throws {
        try await query("SELECT pg_notify($1, $2)", [channel, payload])
    }

    /// Waits up to `timeout` for a notification on a channel this connection listens to;
    /// returns `nil` when none arrives in time.
    ///
    /// Blocks this connection's queue while waiting (use a dedicated connection for listening).
    /// Wakes within microseconds of the notification arriving: it `poll()`s the libpq socket
    /// rather than sleeping. Task cancellation interrupts the wait and throws `CancellationError`.
    public func waitForNotification(timeout: Duration) async throws -> PostgresNotification? {
        let cancelled = LockedBox(false)
        return try await withTaskCancellationHandler {
            try await run { [wakeReadFD] session in
                try session.waitForNotification(timeout: timeout, wakeFD: wakeReadFD, cancelled: cancelled)
            }
        } onCancel: {
            // Set the flag before writing so the waiter, which drains the pipe and then checks
            // the flag, can never miss it.
            cancelled.withLock { $0 = true }
            wake()
        }
    }
}

extension LibPQSession {
    func waitForNotification(
        timeout: Duration, wakeFD: Int32, cancelled: LockedBox<Bool>
    ) throws -> PostgresNotification? {
        let connection = try ready()
        // Notifications that arrived during earlier statements are already buffered.
        if let notification = nextNotification(connection) { return notification }
        drain(wakeFD)

        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while true {
            if cancelled.withLock({ $0 }) { throw CancellationError() }
            if status.withLock({ $0.closed }) {
                throw PostgresError(code: .connectionClosed, message: "the connection was closed while waiting for a notification")
            }
            let remaining = clock.now.duration(to: deadline)
            if remaining <= .zero { return nil }
            let (seconds, attoseconds) = remaining.components
            // Round up so a wait never returns (empty) just before its deadline.
            let milliseconds = min(Int64(Int32.max), seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000)

            let socket = PQsocket(connection)
            guard socket >= 0 else { throw lost(connection) }
            var fds = [
                pollfd(fd: socket, events: Int16(POLLIN), revents: 0),
                pollfd(fd: wakeFD, events: Int16(POLLIN), revents: 0),
            ]
            let ready = poll(&fds, 2, Int32(milliseconds))
            if ready < 0 {
                if errno == EINTR { continue }
                throw PostgresError(code: .connectionLost, message: "poll failed: \(String(cString: strerror(errno)))")
            }
            if fds[1].revents != 0 { drain(wakeFD) }
            if fds[0].revents != 0 {
                guard PQconsumeInput(connection) == 1 else { throw lost(connection) }
                if let notification = nextNotification(connection) { return notification }
                if PQstatus(connection) != CONNECTION_OK { throw lost(connection) }
            }
        }
    }

    private func nextNotification(_ connection: OpaquePointer) -> PostgresNotification? {
        guard let notify = PQnotifies(connection) else { return nil }
        defer { PQfreemem(notify) }
        return PostgresNotification(
            channel: String(cString: notify.pointee.relname),
            payload: notify.pointee.extra.map { String(cString: $0) } ?? "",
            pid: notify.pointee.be_pid)
    }

    private func lost(_ connection: OpaquePointer) -> PostgresError {
        status.withLock { $0.connected = false; $0.inTransaction = false }
        return PostgresError(
            code: .connectionLost,
            message: "connection lost while waiting for notifications: \(ConnectionInfo.oneLine(String(cString: PQerrorMessage(connection))))")
    }

    private func drain(_ fd: Int32) {
        var buffer = (UInt64(0), UInt64(0))
        while withUnsafeMutableBytes(of: &buffer, { read(fd, $0.baseAddress, $0.count) }) > 0 {}
    }
}
