import OutreachStore
import Postgres

/// Refreshes the queue gauges from SQL; `/metrics` calls it just before rendering, so the
/// figures are as fresh as the scrape and cost nothing between scrapes.
public struct QueueGauges: Sendable {
    let store = QueueStatsStore()

    public init() {}

    /// Reads queue depth per state and the oldest due job's age, and sets the gauges.
    public func refresh(on db: PostgresConnection) async throws {
        for (state, jobs) in try await store.depthByState(on: db) {
            OutreachMetrics.setQueueDepth(state: state, jobs: jobs)
        }
        OutreachMetrics.setOldestDueJobAge(seconds: try await store.oldestDueAgeSeconds(on: db))
    }
}
