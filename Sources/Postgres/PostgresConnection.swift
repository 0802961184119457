import CLibPQ
import Dispatch
import Foundation

/// One libpq connection.
///
/// Every libpq call runs on the connection's own serial `DispatchQueue`, never on Swift's
/// cooperative thread pool, so a slow query or a `poll()` for notifications cannot starve other
/// tasks. Async methods enqueue the work and suspend until it finishes.
///
/// A connection runs one statement at a time and is meant to be used by one task at a time
/// (``PostgresPool`` hands each task its own). If a call finds the connection broken it
/// reconnects first (and re-issues `LISTEN`s); a statement that fails *because* the connection
/// dropped throws ``PostgresError/Code/connectionLost`` and is never retried automatically.
///
/// `@unchecked Sendable` is safe because the only mutable state, `session` (which owns the
/// `PGconn*`), is touched exclusively from blocks running on the serial `queue` (see ``run(_:)``)
/// or in `deinit`, when no other reference exists; cross-thread reads go through `status`,
/// a lock-protected `LockedBox`; the remaining stored properties are immutable.
public final class PostgresConnection: @unchecked Sendable {
    private let queue: DispatchQueue
    private let session: LibPQSession
    let status: LockedBox<ConnectionStatus>
    /// A self-pipe that interrupts `poll()` in ``waitForNotification(timeout:)`` on cancel/close.
    let wakeReadFD: Int32
    let wakeWriteFD: Int32

    private init(conninfo: String, source: String) throws {
        queue = DispatchQueue(label: "outreach.postgres.connection")
        status = LockedBox(ConnectionStatus())
        session = LibPQSession(conninfo: conninfo, source: source, status: status)
        var fds: [Int32] = [0, 0]
        guard pipe(&fds) == 0 else {
            throw PostgresError(code: .connectionFailed, message: "could not create a pipe: \(String(cString: strerror(errno)))")
        }
        for fd in fds { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
        wakeReadFD = fds[0]
        wakeWriteFD = fds[1]
    }

    deinit {
        // No queued block can be running: each holds a strong reference to `self`.
        session.finish()
        Foundation.close(wakeReadFD)
        Foundation.close(wakeWriteFD)
    }

    /// Opens a connection.
    ///
    /// - Parameter conninfo: a libpq URI (`postgresql://user@host:5432/db`) or key=value string.
    ///   `nil` uses `DATABASE_URL`; when that is unset or empty, "" so libpq applies its own
    ///   `PGHOST`/`PGPORT`/`PGUSER`/… variables.
    /// - Throws: ``PostgresError/Code/invalidConfiguration`` for a malformed string (naming
    ///   `DATABASE_URL` when it came from there); ``PostgresError/Code/connectionFailed`` with the
    ///   host, port and libpq's reason when the server cannot be reached.
    public static func connect(_ conninfo: String? = nil) async throws -> PostgresConnection {
        let (resolved, source) = ConnectionInfo.resolve(conninfo)
        try ConnectionInfo.validate(resolved, source: source)
        let connection = try PostgresConnection(conninfo: resolved, source: source)
        try await connection.run { session in try session.open() }
        return connection
    }

    /// Runs `work` on the connection's queue and returns its result.
    func run<T: Sendable>(_ work: @escaping @Sendable (LibPQSession) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            queue.async {
                continuation.resume(with: Result { try work(self.session) })
            }
        }
    }

    // MARK: - Statements

    /// Runs one statement with `$1…$n` parameters (`PQexecParams`; values are never spliced into
    /// the SQL). Bind `nil` through an optional (`String?.none`) or ``PostgresData/null``.
    ///
    /// An array *literal* of mixed values is the parameter list (`query(sql, [id, name])`); a typed
    /// array variable such as `ids: [UUID]` passed alone selects the variadic overload and binds
    /// as one Postgres array (`WHERE id = ANY($1)`). Write `[ids]` to be explicit.
    @discardableResult
    public func query(_ sql: String, _ binds: [any PostgresEncodable] = []) async throws -> PostgresRows {
        let result = try await run { session in try session.execute(sql, binds) }
        return PostgresRows(result: result)
    }

    /// Variadic form of ``query(_:_:)-(String,[any PostgresEncodable])``.
    @discardableResult
    public func query(_ sql: String, _ binds: any PostgresEncodable...) async throws -> PostgresRows {
        try await query(sql, binds)
    }

    /// Runs one statement and returns the number of rows it affected.
    @discardableResult
    public func execute(_ sql: String, _ binds: [any PostgresEncodable] = []) async throws -> Int {
        try await query(sql, binds).affectedRows
    }

    /// Variadic form of ``execute(_:_:)-(String,[any PostgresEncodable])``.
    @discardableResult
    public func execute(_ sql: String, _ binds: any PostgresEncodable...) async throws -> Int {
        try await query(sql, binds).affectedRows
    }

    /// Runs static SQL text that may hold several statements (`PQexec`). For migrations only:
    /// it takes no parameters, so never build its text from data.
    public func simpleQuery(_ sql: String) async throws {
        _ = try await run { session in try session.executeSimple(sql) }
    }

    // MARK: - State

    /// Whether the last operation left the connection healthy (and it was not closed).
    /// A `false` connection reconnects on its next call.
    public var isConnected: Bool {
        status.withLock { $0.connected && !$0.closed }
    }

    /// Whether the session is inside a transaction block (as of the last statement).
    public var isInTransaction: Bool {
        status.withLock { $0.inTransaction || $0.abandonedTransaction }
    }

    /// Closes the connection. A pending ``waitForNotification(timeout:)`` returns with
    /// ``PostgresError/Code/connectionClosed``; later calls throw the same.
    public func close() {
        let alreadyClosed = status.withLock { state -> Bool in
            defer { state.closed = true }
            return state.closed
        }
        guard !alreadyClosed else { return }
        wake()
        queue.async { self.session.finish() }
    }

    /// Interrupts a `poll()` in progress on the queue.
    func wake() {
        var byte: UInt8 = 1
        _ = write(wakeWriteFD, &byte, 1)
    }
}
