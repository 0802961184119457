import Postgres

/// Queue figures for `/metrics`, computed at scrape time.
public struct QueueStatsStore: Sendable {
    static let depthByState = "SELECT state, count(*) AS jobs FROM outreach_jobs GROUP BY state"
    static let oldestDueAge = """
        SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(run_at)), 0)::float8 AS age
        FROM outreach_jobs WHERE state = 'queued' AND run_at <= now()
        """

    /// Every job state the schema allows, so a state with no jobs still reports 0.
    public static let states = ["queued", "running", "dead"]

    public init() {}

    /// Jobs per state (every state present, zero when empty).
    public func depthByState(on db: PostgresConnection) async throws -> [String: Int] {
        var result = Dictionary(uniqueKeysWithValues: Self.states.map { ($0, 0) })
        for row in try await db.query(Self.depthByState) {
            result[try row.decode("state", as: String.self)] = try row.decode("jobs", as: Int.self)
        }
        return result
    }

    /// Seconds since the oldest due, queued job became due (0 when none is waiting).
    public func oldestDueAgeSeconds(on db: PostgresConnection) async throws -> Double {
        try await db.query(Self.oldestDueAge).first?.decode("age", as: Double.self) ?? 0
    }
}
