import Foundation
import OutreachStore
import Postgres

/// The no-op queue loop the benchmarks run in separate processes: claim a batch, finish it,
/// repeat until nothing is due (or, listening, wake on NOTIFY like an idle worker).
public struct QueueDrain: Sendable {
    public var batch: Int
    public var worker: String

    static let done = "SELECT pg_notify('outreach_bench_done', $1)"

    public init(batch: Int = 100, worker: String) {
        self.batch = batch
        self.worker = worker
    }

    /// Claims and completes until a claim comes back empty; returns the jobs processed.
    public func drain(on db: PostgresConnection) async throws -> Int {
        let queue = JobQueue()
        var total = 0
        while true {
            let jobs = try await queue.claim(limit: batch, worker: worker, lease: .seconds(60), pilotWorkspaces: nil, on: db)
            if jobs.isEmpty { return total }
            try await queue.complete(jobs.map(\.lease), on: db)
            total += jobs.count
        }
    }

    /// Waits on NOTIFY (idle), claims what arrives, and reports each job done on
    /// `outreach_bench_done` so the benchmark can time enqueue → pickup. Runs until cancelled.
    public func serve(claimOn db: PostgresConnection, listener: PostgresConnection) async throws {
        try await listener.listen(JobQueue.channel)
        let queue = JobQueue()
        while !Task.isCancelled {
            let jobs = try await queue.claim(limit: batch, worker: worker, lease: .seconds(60), pilotWorkspaces: nil, on: db)
            if jobs.isEmpty {
                _ = try await listener.waitForNotification(timeout: .seconds(1))
                continue
            }
            for job in jobs { try await db.query(Self.done, [String(job.id)]) }
            try await queue.complete(jobs.map(\.lease), on: db)
        }
    }
}
