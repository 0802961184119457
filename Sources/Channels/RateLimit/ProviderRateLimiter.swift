import OutreachCore
import Postgres

/// A token bucket per provider account, kept in `outreach_rate_buckets`, so that any number of
/// worker processes together stay under the provider's throughput limit.
///
/// Each acquisition is one short statement that refills the bucket from the database clock and
/// takes what it can under the row lock, so workers on different machines agree on time. A 429
/// pauses the account for every worker until the provider's delay has passed.
public struct ProviderRateLimiter: Sendable {
    public let account: String
    public let ratePerSecond: Double
    /// The burst: how many tokens an idle bucket holds.
    public let capacity: Double

    static let upsert = """
        INSERT INTO outreach_rate_buckets (account, capacity, refill_rate, tokens)
        VALUES ($1, $2, $3, $2)
        ON CONFLICT (account) DO UPDATE
            SET capacity = EXCLUDED.capacity, refill_rate = EXCLUDED.refill_rate,
                tokens = least(outreach_rate_buckets.tokens, EXCLUDED.capacity)
        """

    /// Refill, then grant up to $2 whole tokens; answer how many were granted and how long to
    /// wait before asking again when none were.
    static let take = """
        WITH b AS (
            SELECT account, refill_rate, paused_until, clock_timestamp() AS now,
                   least(capacity, tokens + extract(epoch FROM clock_timestamp() - refreshed_at) * refill_rate) AS available
            FROM outreach_rate_buckets WHERE account = $1 FOR UPDATE
        ), g AS (
            SELECT b.*, CASE WHEN paused_until > now THEN 0
                             ELSE least($2::int, floor(available)::int) END AS granted
            FROM b
        )
        UPDATE outreach_rate_buckets r
           SET tokens = g.available - g.granted, refreshed_at = g.now
          FROM g WHERE r.account = g.account
        RETURNING g.granted,
                  CASE WHEN g.paused_until > g.now THEN extract(epoch FROM g.paused_until - g.now)
                       ELSE greatest(0, (1 - (g.available - g.granted)) / g.refill_rate) END AS wait_s
        """

    static let pause = """
        UPDATE outreach_rate_buckets
           SET paused_until = greatest(coalesce(paused_until, '-infinity'), clock_timestamp() + make_interval(secs => $2)),
               tokens = 0, refreshed_at = clock_timestamp()
         WHERE account = $1
        """

    public init(account: String, ratePerSecond: Double, capacity: Double? = nil) {
        self.account = account
        self.ratePerSecond = ratePerSecond
        self.capacity = max(1, capacity ?? ratePerSecond)
    }

    /// Creates the bucket or applies a changed configuration; call once per process.
    public func register(on db: PostgresConnection) async throws {
        try await db.query(Self.upsert, [account, capacity, ratePerSecond])
    }

    /// One attempt: how many of `count` tokens were granted now, and how long to wait before the
    /// next one is available (or the pause ends).
    public func tryAcquire(_ count: Int = 1, on db: PostgresConnection) async throws -> (granted: Int, retryIn: Duration) {
        var rows = try await db.query(Self.take, [account, count])
        if rows.isEmpty {
            try await register(on: db)
            rows = try await db.query(Self.take, [account, count])
        }
        guard let row = rows.first else { return (0, .seconds(1)) }
        let granted: Int = try row.decode("granted")
        let wait: Double = try row.decode("wait_s")
        return (granted, .milliseconds(Int64((wait * 1000).rounded(.up))))
    }

    /// Waits until at least one and at most `count` tokens are granted; returns how many.
    public func acquire(_ count: Int = 1, on db: PostgresConnection) async throws -> Int {
        while true {
            let (granted, wait) = try await tryAcquire(count, on: db)
            if granted > 0 { return granted }
            try await Task.sleep(for: max(wait, .milliseconds(2)))
        }
    }

    /// A provider said "slow down": every worker drawing from this account waits `delay`.
    public func pause(for delay: Duration, on db: PostgresConnection) async throws {
        try await db.query(Self.pause, [account, delay.inSeconds])
    }
}
