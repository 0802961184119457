import CLibPQ
import Foundation

/// State that other threads may read without waiting for the connection's queue.
struct ConnectionStatus: Sendable {
    /// `PQstatus == CONNECTION_OK` after the last operation.
    var connected = false
    /// `close()` was called.
    var closed = false
    /// The last operation left the session inside a transaction block.
    var inTransaction = false
    /// The connection dropped inside a transaction: until a ROLLBACK acknowledges it, further
    /// statements must fail rather than silently run outside the transaction on a new session.
    var abandonedTransaction = false
}

/// The libpq connection itself. Confined to its `PostgresConnection`'s serial queue: every
/// method here is called only from that queue, so the `PGconn*` is never used concurrently
/// (libpq forbids that) and blocking calls never run on Swift's cooperative pool.
final class LibPQSession {
    let conninfo: String
    let source: String
    let status: LockedBox<ConnectionStatus>
    private(set) var connection: OpaquePointer?
    /// Channels to re-`LISTEN` after a reconnect, in subscription order.
    private(set) var listening: [String] = []
    private var prepared = PreparedStatements()

    init(conninfo: String, source: String, status: LockedBox<ConnectionStatus>) {
        self.conninfo = conninfo
        self.source = source
        self.status = status
    }

    deinit {
        if let connection { PQfinish(connection) }
    }

    // MARK: - Connecting

    /// Opens the connection (first call) and configures the session.
    func open() throws {
        precondition(connection == nil)
        let keywords = ["dbname", "client_encoding", "fallback_application_name"]
        let values = [conninfo, "UTF8", "outreach"]
        // expand_dbname=1: the first `dbname` may be a whole URI or key=value string; the keys
        // after it then override (UTF8 is not negotiable: all decoding assumes it).
        let pointer = withArrayOfCStrings(keywords) { keywordPointers in
            withArrayOfCStrings(values) { valuePointers in
                PQconnectdbParams(keywordPointers, valuePointers, 1)
            }
        }
        guard let pointer else {
            throw PostgresError(code: .connectionFailed, message: "libpq could not allocate a connection")
        }
        connection = pointer
        // Server NOTICEs (e.g. "there is no transaction in progress") would otherwise go to stderr.
        PQsetNoticeProcessor(pointer, { _, _ in }, nil)
        guard PQstatus(pointer) == CONNECTION_OK else {
            throw connectFailure(pointer)
        }
        try configure(pointer)
    }

    /// Returns a healthy `PGconn*`, reconnecting (`PQreset`) first if the last operation found
    /// it broken. LISTENs are re-issued on the new session.
    func ready() throws -> OpaquePointer {
        guard let connection else {
            throw PostgresError(code: .connectionClosed, message: "the connection is closed")
        }
        let state = status.withLock { $0 }
        if state.closed {
            throw PostgresError(code: .connectionClosed, message: "the connection is closed")
        }
        if PQstatus(connection) == CONNECTION_OK { return connection }
        PQreset(connection)
        prepared.removeAll()
        guard PQstatus(connection) == CONNECTION_OK else {
            throw connectFailure(connection)
        }
        try configure(connection)
        for channel in listening {
            try checked(PQexec(connection, "LISTEN " + (try quoteIdentifier(channel, connection))), "LISTEN").discard()
        }
        return connection
    }

    /// Session settings every decoder relies on, in one round trip.
    private func configure(_ connection: OpaquePointer) throws {
        let setup = "SET TimeZone TO 'UTC'; SET DateStyle TO 'ISO, MDY'; SET bytea_output TO 'hex'; SET IntervalStyle TO 'postgres'"
        try checked(PQexec(connection, setup), "session setup").discard()
        status.withLock { $0.connected = true; $0.inTransaction = false }
    }

    private func connectFailure(_ connection: OpaquePointer) -> PostgresError {
        let reason = ConnectionInfo.oneLine(String(cString: PQerrorMessage(connection)))
        let host = PQhost(connection).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        let port = PQport(connection).map { String(cString: $0) }.flatMap { $0.isEmpty ? nil : $0 }
        status.withLock { $0.connected = false }
        return PostgresError(
            code: .connectionFailed,
            message: "could not connect to PostgreSQL at host \(host ?? "(default)") port \(port ?? "5432") (from \(source)): \(reason)")
    }

    /// Frees the connection; later calls fail with `.connectionClosed`.
    func finish() {
        if let connection { PQfinish(connection) }
        connection = nil
        status.withLock { $0.connected = false }
    }

    // MARK: - Statements

    /// Runs one statement (extended protocol: a single statement, parameters never interpolated
    /// into the SQL). A statement with parameters is prepared on its first run and executed by
    /// name afterwards (see ``PreparedStatements``).
    func execute(_ sql: String, _ binds: [any PostgresEncodable]) throws -> PostgresResult {
        let connection = try readyForStatement(sql)
        if binds.isEmpty {
            return try checked(PQexecParams(connection, sql, 0, nil, nil, nil, nil, 0), sql)
        }
        let result = try ParameterBuffer.with(binds) { count, types, values, lengths, formats -> OpaquePointer? in
            let typeList = UnsafeBufferPointer(start: types, count: Int(count))
            if let statement = prepared.statement(for: sql, types: typeList) {
                return PQexecPrepared(connection, statement.name, count, values, lengths, formats, 0)
            }
            guard let name = prepared.reserveName() else {
                return PQexecParams(connection, sql, count, types, values, lengths, formats, 0)
            }
            // A failed prepare (a syntax error, an aborted transaction) is that statement's error.
            guard let preparation = PQprepare(connection, name, sql, count, types) else { return nil }
            guard PQresultStatus(preparation) == PGRES_COMMAND_OK else { return preparation }
            PQclear(preparation)
            prepared.insert(sql, name: name, types: typeList)
            return PQexecPrepared(connection, name, count, values, lengths, formats, 0)
        }
        do {
            return try checked(result, sql)
        } catch let error as PostgresError where error.sqlState == Self.cachedPlanChanged {
            // A migration changed the shape of what the statement returns: forget it, so the
            // next run prepares it afresh.
            forget(sql, on: connection)
            throw error
        }
    }

    /// `feature_not_supported`, raised as "cached plan must not change result type".
    private static let cachedPlanChanged = "0A000"

    private func forget(_ sql: String, on connection: OpaquePointer) {
        guard let statement = prepared.remove(sql), PQtransactionStatus(connection) == PQTRANS_IDLE else { return }
        PQclear(PQexec(connection, "DEALLOCATE " + statement.name))
    }

    /// Runs static SQL, possibly several statements, with `PQexec` (simple protocol).
    func executeSimple(_ sql: String) throws -> PostgresResult {
        let connection = try readyForStatement(sql)
        return try checked(PQexec(connection, sql), sql)
    }

    /// After a connection dropped mid-transaction only ROLLBACK may run (and clears the state).
    private func readyForStatement(_ sql: String) throws -> OpaquePointer {
        let abandoned = status.withLock { $0.abandonedTransaction }
        if abandoned {
            if sql.trimmingCharacters(in: .whitespacesAndNewlines).uppercased() == "ROLLBACK" {
                status.withLock { $0.abandonedTransaction = false }
            } else {
                throw PostgresError(
                    code: .connectionLost,
                    message: "the connection dropped inside a transaction; roll it back before running more statements",
                    query: sql)
            }
        }
        return try ready()
    }

    func listen(_ channel: String) throws {
        let connection = try ready()
        let sql = "LISTEN " + (try quoteIdentifier(channel, connection))
        try checked(PQexec(connection, sql), sql).discard()
        if !listening.contains(channel) { listening.append(channel) }
    }

    func unlisten(_ channel: String) throws {
        let connection = try ready()
        let sql = "UNLISTEN " + (try quoteIdentifier(channel, connection))
        try checked(PQexec(connection, sql), sql).discard()
        listening.removeAll { $0 == channel }
    }

    private func quoteIdentifier(_ identifier: String, _ connection: OpaquePointer) throws -> String {
        let utf8Count = identifier.utf8.count
        guard let quoted = PQescapeIdentifier(connection, identifier, utf8Count) else {
            throw PostgresError(
                code: .invalidParameter,
                message: "invalid identifier: \(ConnectionInfo.oneLine(String(cString: PQerrorMessage(connection))))")
        }
        defer { PQfreemem(quoted) }
        return String(cString: quoted)
    }

    // MARK: - Results and errors

    /// Turns a `PGresult*` into rows or a thrown ``PostgresError``, and records the session state.
    func checked(_ result: OpaquePointer?, _ sql: String) throws -> PostgresResult {
        guard let connection else {
            if let result { PQclear(result) }
            throw PostgresError(code: .connectionClosed, message: "the connection is closed", query: sql)
        }
        let transactionStatus = PQtransactionStatus(connection)
        if let result {
            switch PQresultStatus(result) {
            case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
                status.withLock {
                    $0.connected = true
                    $0.inTransaction = transactionStatus == PQTRANS_INTRANS || transactionStatus == PQTRANS_INERROR
                }
                return PostgresResult(result)
            default:
                break
            }
        }
        defer { if let result { PQclear(result) } }
        throw failure(result, connection, sql)
    }

    private func failure(_ result: OpaquePointer?, _ connection: OpaquePointer, _ sql: String) -> PostgresError {
        func field(_ code: UInt8) -> String? {
            guard let result, let value = PQresultErrorField(result, Int32(code)) else { return nil }
            return String(cString: value)
        }
        // Field codes from postgres_ext.h (PG_DIAG_*), spelled out because Swift does not
        // import character-literal macros.
        let sqlState = field(UInt8(ascii: "C"))
        let primary = field(UInt8(ascii: "M"))
            ?? ConnectionInfo.oneLine(String(cString: PQerrorMessage(connection)))
        let detail = field(UInt8(ascii: "D"))
        let constraint = field(UInt8(ascii: "n"))

        if PQstatus(connection) != CONNECTION_OK {
            // The statement failed because the session is gone; whether it committed is unknown.
            status.withLock {
                if $0.inTransaction { $0.abandonedTransaction = true }
                $0.connected = false
                $0.inTransaction = false
            }
            return PostgresError(
                code: .connectionLost,
                message: primary.isEmpty ? "the server closed the connection" : ConnectionInfo.oneLine(primary),
                sqlState: sqlState, detail: detail, query: sql)
        }
        let transactionStatus = PQtransactionStatus(connection)
        status.withLock {
            $0.inTransaction = transactionStatus == PQTRANS_INTRANS || transactionStatus == PQTRANS_INERROR
        }
        let code: PostgresError.Code
        if result == nil {
            code = .server
        } else if PQresultStatus(result) == PGRES_COPY_IN || PQresultStatus(result) == PGRES_COPY_OUT {
            return PostgresError(code: .server, message: "COPY is not supported by this client", query: sql)
        } else {
            code = .from(sqlState: sqlState)
        }
        return PostgresError(
            code: code, message: ConnectionInfo.oneLine(primary), sqlState: sqlState,
            detail: detail, constraint: constraint, query: sql)
    }
}

extension PostgresResult {
    /// Marks a result as intentionally unused (it is freed when released).
    @inline(__always)
    func discard() {}
}

/// Calls `body` with a NULL-terminated `char**` for `strings`.
private func withArrayOfCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> R) -> R {
    let duplicates = strings.map { strdup($0) }
    defer { duplicates.forEach { free($0) } }
    let pointers: [UnsafePointer<CChar>?] = duplicates.map { $0.map { UnsafePointer($0) } } + [nil]
    return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
}
