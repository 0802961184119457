/// A small bounded pool of ``PostgresConnection``s.
///
/// At most `maxConnections` are open at once; they are opened lazily on demand. When all are
/// busy, callers wait in FIFO order. A connection that comes back broken (dropped, or stuck in
/// a transaction that cannot be rolled back) is closed and its slot freed. Connections left in a
/// transaction by the caller are rolled back before reuse.
///
/// Do not `LISTEN` on pooled connections — the subscription would leak to the next user; open a
/// dedicated ``PostgresConnection`` for that.
public final class PostgresPool: Sendable {
    /// The upper bound on open connections.
    public let maxConnections: Int
    private let conninfo: String?
    private let state: PoolState

    /// Creates a pool; no connection is opened until first use.
    /// - Parameters:
    ///   - conninfo: as for ``PostgresConnection/connect(_:)``; `nil` uses `DATABASE_URL`.
    ///   - maxConnections: the most connections open at once (at least 1).
    public init(conninfo: String? = nil, maxConnections: Int = 4) {
        precondition(maxConnections >= 1, "a pool needs at least one connection")
        self.conninfo = conninfo
        self.maxConnections = maxConnections
        self.state = PoolState(maxConnections: maxConnections)
    }

    /// Leases a connection for the duration of `body`.
    nonisolated(nonsending) public func withConnection<T: Sendable>(_ body: nonisolated(nonsending) (PostgresConnection) async throws -> T) async throws -> T {
        let connection = try await lease()
        let value: T
        do {
            value = try await body(connection)
        } catch {
            await giveBack(connection)
            throw error
        }
        await giveBack(connection)
        return value
    }

    /// Runs `body` in a transaction on a leased connection (see
    /// ``PostgresConnection/transaction(isolation:_:)``).
    nonisolated(nonsending) public func transaction<T: Sendable>(
        isolation: IsolationLevel = .readCommitted,
        _ body: nonisolated(nonsending) (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try await connection.transaction(isolation: isolation, body)
        }
    }

    /// Runs `body` in a transaction scoped to one workspace for row-level security (see
    /// ``PostgresConnection/withWorkspace(_:isolation:_:)``).
    nonisolated(nonsending) public func withWorkspace<T: Sendable>(
        _ workspaceID: String,
        isolation: IsolationLevel = .readCommitted,
        _ body: nonisolated(nonsending) (PostgresConnection) async throws -> T
    ) async throws -> T {
        try await withConnection { connection in
            try await connection.withWorkspace(workspaceID, isolation: isolation, body)
        }
    }

    /// Runs one statement on a leased connection.
    @discardableResult
    public func query(_ sql: String, _ binds: [any PostgresEncodable] = []) async throws -> PostgresRows {
        try await withConnection { try await $0.query(sql, binds) }
    }

    /// Variadic form of ``query(_:_:)-(String,[any PostgresEncodable])``.
    @discardableResult
    public func query(_ sql: String, _ binds: any PostgresEncodable...) async throws -> PostgresRows {
        try await query(sql, binds)
    }

    /// Runs one statement on a leased connection and returns the affected row count.
    @discardableResult
    public func execute(_ sql: String, _ binds: [any PostgresEncodable] = []) async throws -> Int {
        try await query(sql, binds).affectedRows
    }

    /// Variadic form of ``execute(_:_:)-(String,[any PostgresEncodable])``.
    @discardableResult
    public func execute(_ sql: String, _ binds: any PostgresEncodable...) async throws -> Int {
        try await query(sql, binds).affectedRows
    }

    /// Connections currently open (idle or leased).
    public var openConnections: Int {
        get async { await state.openCount }
    }

    /// Closes idle connections now and leased ones when they are returned; pending and future
    /// leases fail with ``PostgresError/Code/poolClosed``.
    public func close() async {
        for connection in await state.close() { connection.close() }
    }

    // MARK: - Leasing

    private func lease() async throws -> PostgresConnection {
        switch try await state.acquire() {
        case .existing(let connection):
            return connection
        case .create:
            do {
                return try await PostgresConnection.connect(conninfo)
            } catch {
                await state.creationFailed()
                throw error
            }
        }
    }

    private func giveBack(_ connection: PostgresConnection) async {
        // The caller may have left a transaction open (manual BEGIN, or an error mid-way).
        if connection.isInTransaction && connection.isConnected {
            await connection.rollback()
        }
        let healthy = connection.isConnected && !connection.isInTransaction
        if let toClose = await state.release(connection, healthy: healthy) {
            toClose.close()
        }
    }
}

/// The pool's bookkeeping, serialized by actor isolation.
actor PoolState {
    enum Lease: Sendable {
        case existing(PostgresConnection)
        /// A slot is reserved: the caller opens a connection (outside the actor).
        case create
    }

    private struct Waiter {
        let id: Int
        let continuation: CheckedContinuation<Lease, any Error>
    }

    private let maxConnections: Int
    private var idle: [PostgresConnection] = []
    private(set) var openCount = 0
    private var waiters: [Waiter] = []
    private var nextWaiterID = 0
    private var closed = false

    init(maxConnections: Int) {
        self.maxConnections = maxConnections
    }

    func acquire() async throws -> Lease {
        if closed { throw PostgresError.poolClosed() }
        // Most recently used first: its session and server process are warmest.
        if let connection = idle.popLast() { return .existing(connection) }
        if openCount < maxConnections {
            openCount += 1
            return .create
        }
        let id = nextWaiterID
        nextWaiterID += 1
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                if Task.isCancelled {
                    continuation.resume(throwing: CancellationError())
                } else {
                    waiters.append(Waiter(id: id, continuation: continuation))
                }
            }
        } onCancel: {
            Task { await self.cancelWaiter(id) }
        }
    }

    private func cancelWaiter(_ id: Int) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(throwing: CancellationError())
    }

    /// A reserved slot's connect failed: free it, and let the next waiter try.
    func creationFailed() {
        openCount -= 1
        handOffSlot()
    }

    /// Takes a connection back. Returns it if it must be closed instead of reused.
    func release(_ connection: PostgresConnection, healthy: Bool) -> PostgresConnection? {
        guard healthy, !closed else {
            openCount -= 1
            handOffSlot()
            return connection
        }
        if !waiters.isEmpty {
            waiters.removeFirst().continuation.resume(returning: .existing(connection))
        } else {
            idle.append(connection)
        }
        return nil
    }

    private func handOffSlot() {
        guard !closed, !waiters.isEmpty, openCount < maxConnections else { return }
        openCount += 1
        waiters.removeFirst().continuation.resume(returning: .create)
    }

    /// Marks the pool closed; returns the idle connections for the caller to close.
    func close() -> [PostgresConnection] {
        closed = true
        for waiter in waiters { waiter.continuation.resume(throwing: PostgresError.poolClosed()) }
        waiters.removeAll()
        let toClose = idle
        openCount -= idle.count
        idle.removeAll()
        return toClose
    }
}

extension PostgresError {
    static func poolClosed() -> PostgresError {
        PostgresError(code: .poolClosed, message: "the connection pool is closed")
    }
}
