import Postgres

/// Queue figures for `/metrics`, computed at scrape time.
public struct QueueStatsStore: Sendable {
    static let depthByState = "SELECT state, count(*) AS jobs FROM outreach_jobs GROUP BY state"
    /// The oldest due job through the claim's index, `(workspace_id, run_at)` over queued jobs:
    /// a skip scan finds each workspace with queued work (whether or not the claim's round-robin
    /// lists it: a job nobody can claim must show here), then its oldest run time.
    static let oldestDueAge = """
        WITH RECURSIVE ws AS (
            (SELECT workspace_id FROM outreach_jobs WHERE state = 'queued' ORDER BY workspace_id LIMIT 1)
            UNION ALL
            SELECT (SELECT j.workspace_id FROM outreach_jobs j
                     WHERE j.state = 'queued' AND j.workspace_id > ws.workspace_id ORDER BY j.workspace_id LIMIT 1)
              FROM ws WHERE ws.workspace_id IS NOT NULL
        )
        SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(j.run_at)), 0)::float8 AS age
        FROM ws
        CROSS JOIN LATERAL (SELECT j.run_at FROM outreach_jobs j
                             WHERE j.workspace_id = ws.workspace_id AND j.state = 'queued' AND j.run_at <= now()
                             ORDER BY j.run_at LIMIT 1) j
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
