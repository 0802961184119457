import Foundation
import Postgres
import Testing
import TestSupport

/// A long-running worker does not keep what it has finished.
@Suite(.serialized) struct WorkerMemoryTests {
    /// Every batch runs in a child task of the worker's task group. A plain task group keeps a
    /// finished child (its task and async frames) until its result is awaited, which the claim
    /// loop never does: a worker grew with every batch it had run (64 MB over these 2 000
    /// batches in a debug build). The no-op jobs also prove a worker finishes them: their
    /// context had no idempotency key, and every batch of them failed and was retried forever.
    @Test func finishedBatchesAreFreed() async throws {
        let f = try await EngineFixture.start()
        let ws = try await f.seedWorkspace(contacts: 0)
        let worker = try f.startWorker("memory", extra: ["--concurrency", "16", "--batch", "1"])
        func run(_ jobs: Int) async throws -> Int {
            try await f.db.query("""
                WITH ins AS (INSERT INTO outreach_jobs (workspace_id, kind) SELECT $1, 'noop' FROM generate_series(1, $2::int))
                INSERT INTO outreach_queue_workspaces (workspace_id) VALUES ($1) ON CONFLICT DO NOTHING
                """, [ws, jobs] as [any PostgresEncodable])
            try await f.db.query("NOTIFY outreach_jobs")
            try await f.waitForQuiet()
            return try residentKiB(of: worker.processIdentifier)
        }
        // Warm up (connections, caches, malloc arenas), then 2 000 batches of one job more.
        let warm = try await run(500)
        let after = try await run(2_000)
        #expect(try await f.count("SELECT count(*)::int FROM outreach_jobs") == 0)
        #expect(after - warm < 2_048, "resident memory grew by \(after - warm) KiB over 2 000 finished batches")
        #expect(await worker.stopGracefully() == 0)
        await f.stop()
    }

    private func residentKiB(of pid: Int32) throws -> Int {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
              let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else {
            throw EngineFixture.FixtureError(description: "no VmRSS for process \(pid)")
        }
        return kib
    }
}
