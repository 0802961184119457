import Postgres

extension PostgresConnection {
    static let lockWaits = """
        SELECT count(*)::int AS n FROM pg_stat_activity
        WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE $1
        """

    /// Polls until some session of this database waits for a lock, a session whose statement
    /// starts with `statementPrefix` when one is given, and returns how many wait; 0 when none
    /// has after `timeout`. Race tests use it to hold one transaction open until the other is
    /// blocked behind it, so the order is forced rather than timed.
    public func lockWaits(statementPrefix: String = "", timeout: Duration = .seconds(10)) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        while true {
            // Inside a transaction, activity is read once unless the snapshot is cleared.
            try await query("SELECT pg_stat_clear_snapshot()")
            let waiting: Int = try await query(Self.lockWaits, [statementPrefix + "%"])[0].decode("n")
            if waiting > 0 || ContinuousClock.now >= deadline { return waiting }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
