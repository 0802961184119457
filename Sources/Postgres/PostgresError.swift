/// An error from the Postgres layer: a stable ``Code`` to switch on, plus what the server
/// (or libpq) said. Modelled on postgres-nio's `PSQLError`: a struct with static codes rather
/// than an enum, so new codes can be added without breaking exhaustive switches downstream.
public struct PostgresError: Error, CustomStringConvertible, Sendable {
    /// What kind of failure this is. Compare with the static members (`error.code == .uniqueViolation`).
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private enum Base: String, Hashable, Sendable {
            case invalidConfiguration, connectionFailed, connectionLost, connectionClosed
            case uniqueViolation, foreignKeyViolation, checkViolation, notNullViolation
            case serializationFailure, deadlockDetected, lockNotAvailable, queryCanceled
            case server, decoding, invalidParameter, poolClosed, timeout
        }

        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The connection string could not be parsed (or `DATABASE_URL` is malformed).
        public static let invalidConfiguration = Code(.invalidConfiguration)
        /// The server could not be reached or refused the connection.
        public static let connectionFailed = Code(.connectionFailed)
        /// An established connection dropped while (or before) a statement ran. The statement's
        /// outcome is unknown; the next call on the connection reconnects.
        public static let connectionLost = Code(.connectionLost)
        /// The connection was closed with ``PostgresConnection/close()``.
        public static let connectionClosed = Code(.connectionClosed)
        /// SQLSTATE 23505.
        public static let uniqueViolation = Code(.uniqueViolation)
        /// SQLSTATE 23503.
        public static let foreignKeyViolation = Code(.foreignKeyViolation)
        /// SQLSTATE 23514.
        public static let checkViolation = Code(.checkViolation)
        /// SQLSTATE 23502.
        public static let notNullViolation = Code(.notNullViolation)
        /// SQLSTATE 40001 — retry the whole transaction.
        public static let serializationFailure = Code(.serializationFailure)
        /// SQLSTATE 40P01 — retry the whole transaction.
        public static let deadlockDetected = Code(.deadlockDetected)
        /// SQLSTATE 55P03 (`NOWAIT`, `lock_timeout`).
        public static let lockNotAvailable = Code(.lockNotAvailable)
        /// SQLSTATE 57014 (`statement_timeout`, cancel requests).
        public static let queryCanceled = Code(.queryCanceled)
        /// Any other server error; see ``PostgresError/sqlState``.
        public static let server = Code(.server)
        /// A column value could not be decoded into the requested Swift type.
        public static let decoding = Code(.decoding)
        /// A bind parameter cannot be sent (for example text containing a NUL character).
        public static let invalidParameter = Code(.invalidParameter)
        /// The pool was closed before or while waiting for a connection.
        public static let poolClosed = Code(.poolClosed)
        /// An operation did not complete in the time allowed.
        public static let timeout = Code(.timeout)

        public var description: String { base.rawValue }
    }

    /// What kind of failure this is.
    public var code: Code
    /// The server's SQLSTATE (`"23505"`), when the server reported one.
    public var sqlState: String?
    /// The primary message (one line), from the server or libpq.
    public var message: String
    /// The server's optional DETAIL line.
    public var detail: String?
    /// The violated constraint's name (`PG_DIAG_CONSTRAINT_NAME`), for integrity violations.
    public var constraint: String?
    /// The SQL text that failed. Parameters are never recorded: they may hold personal data.
    public var query: String?

    /// Creates an error. Usually produced by this module; public so that tests and higher
    /// layers can build matching values.
    public init(
        code: Code, message: String, sqlState: String? = nil, detail: String? = nil,
        constraint: String? = nil, query: String? = nil
    ) {
        self.code = code
        self.sqlState = sqlState
        self.message = message
        self.detail = detail
        self.constraint = constraint
        self.query = query
    }

    /// True when running the same work again may succeed: serialization failures, deadlocks and
    /// dropped connections. (Retry the whole transaction, not the single statement.)
    public var isRetryable: Bool {
        code == .serializationFailure || code == .deadlockDetected || code == .connectionLost
    }

    /// One line: code, SQLSTATE, message, constraint and detail — but never the parameters.
    public var description: String {
        var text = "PostgresError.\(code)"
        if let sqlState { text += " (\(sqlState))" }
        text += ": \(message)"
        if let constraint { text += " [constraint \(constraint)]" }
        if let detail { text += " — \(detail)" }
        if let query {
            // Keep logs readable: the first line of the statement, bounded.
            let firstLine = query.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
            text += " — query: \(firstLine.count > 120 ? firstLine.prefix(120) + "…" : firstLine)"
        }
        return text
    }
}

extension PostgresError.Code {
    /// Maps a server SQLSTATE to a code; unknown states become ``server``.
    static func from(sqlState: String?) -> PostgresError.Code {
        switch sqlState {
        case "23505": .uniqueViolation
        case "23503": .foreignKeyViolation
        case "23514": .checkViolation
        case "23502": .notNullViolation
        case "40001": .serializationFailure
        case "40P01": .deadlockDetected
        case "55P03": .lockNotAvailable
        case "57014": .queryCanceled
        default: .server
        }
    }
}

extension PostgresError {
    /// A decoding failure with a human reason; the row adds the column name.
    static func decoding(_ message: String) -> PostgresError {
        PostgresError(code: .decoding, message: message)
    }
}
